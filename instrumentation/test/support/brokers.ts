import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { BROKERS } from '../../../lib/testing/brokers.js';
import { instrumentKafkaConsumer, instrumentKafkaProducer } from '../../src/index.js';

/** A topic/queue/group name no other run (or test) uses. */
export const uniqueName = (what: string) => `signalbox-instr-${what}-${randomUUID()}`;

export function kafkaClient(clientId = 'signalbox-instrumentation-tests') {
  return new Kafka({
    clientId,
    brokers: [`${BROKERS.kafka.host}:${BROKERS.kafka.port}`],
    // Tests assert on spans; kafkajs' own logs would only bury failures.
    logLevel: logLevel.NOTHING,
  });
}

/** Creates a one-partition topic and waits until it has a leader, so sends do not race creation. */
export async function createTopic(admin: Admin, topic: string): Promise<void> {
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
}

export function amqpConnect() {
  return amqp.connect(`amqp://guest:guest@${BROKERS.rabbitmq.host}:${BROKERS.rabbitmq.port}`);
}

export const hrTimeToMs = ([seconds, nanos]: [number, number]) => seconds * 1e3 + nanos / 1e6;

type ProducerOptions = NonNullable<Parameters<typeof instrumentKafkaProducer>[1]>;
type ConsumerOptions = NonNullable<Parameters<typeof instrumentKafkaConsumer>[1]>;

/**
 * A fresh topic with an instrumented producer and an instrumented consumer in `groupId`, both
 * connected (the consumer not yet subscribed); `close` disconnects them and deletes the topic.
 */
export async function kafkaTopic(
  kafka: Kafka,
  { topic, groupId }: { topic: string; groupId: string },
  producerOptions: ProducerOptions,
  consumerOptions: Omit<ConsumerOptions, 'groupId'> = producerOptions,
) {
  const admin = kafka.admin();
  await admin.connect();
  await createTopic(admin, topic);
  const producer = instrumentKafkaProducer(kafka.producer(), producerOptions);
  const consumer = instrumentKafkaConsumer(kafka.consumer({ groupId }), { ...consumerOptions, groupId });
  await producer.connect();
  await consumer.connect();
  return {
    producer,
    consumer,
    close: async () => {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => {});
      await admin.disconnect();
    },
  };
}
