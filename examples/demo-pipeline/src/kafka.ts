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
 */
export async function ensureTopic(kafka: Kafka, topic: string, numPartitions = 3): Promise<void> {
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
