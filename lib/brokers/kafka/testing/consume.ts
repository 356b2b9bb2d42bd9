import type { Kafka } from 'kafkajs';

/**
 * A real consumer in `groupId` that reads `count` messages of `topic` from the start, commits each,
 * and leaves: for tests that need a group caught up to a known offset (or a consumer that stopped).
 */
export async function consumeAndCommit(
  kafka: Kafka,
  groupId: string,
  topic: string,
  count: number,
): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          if (seen >= count) return;
          seen++;
          await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
          if (seen === count) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
}
