import { Kafka, type Producer, Partitioners, logLevel } from 'kafkajs';
import { demoConfig } from './config.js';

export function demoKafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: demoConfig.kafkaBrokers, logLevel: logLevel.WARN });
}

/** kafkajs 2's default partitioner, chosen explicitly (silences its migration warning). */
export function demoProducer(kafka: Kafka): Producer {
  return kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
}

/**
 * Creates the topic unless it exists. checkout and billing both call this at
 * start (either may come up first); a concurrent creation by the other is fine.
 * A broker that has just started may answer that it does not host the new
 * topic yet (a retriable error): that is retried for a while, not fatal.
 */
export async function ensureTopic(kafka: Kafka, topic: string, numPartitions = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createUnlessListed(kafka, topic, numPartitions);
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true;
      if (!retriable || attempt === 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function createUnlessListed(kafka: Kafka, topic: string, numPartitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(topic)) return;
    await admin
      .createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true })
      .catch(async (error: unknown) => {
        if (!(await admin.listTopics()).includes(topic)) throw error;
      });
  } finally {
    await admin.disconnect();
  }
}
