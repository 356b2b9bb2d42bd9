import type { IHeaders, KafkaMessage, Producer, RecordMetadata } from 'kafkajs';
import { isDeadLetterHeader } from '../../dlq/headers.js';
import { prepareDeadLetter, type DeadLetterOptions, type DeadLetterResult } from '../../dlq/prepare.js';
import { SYSTEM_KAFKA } from '../../dlq/system.js';
import { withDeadLetterTelemetry } from '../../dlq/telemetry.js';

/** Options of {@link deadLetterKafka}. */
export interface KafkaDeadLetterOptions extends DeadLetterOptions {
  /**
   * Dead-letter topic. Defaults to `<topic>.DLT`, Spring Kafka's convention,
   * so Java and Node services of one system share a naming scheme.
   */
  deadLetterTopic?: string;
  /** Consumer group that failed (kafkajs does not expose it on the message). */
  groupId?: string;
}

/** A message as kafkajs hands it to `eachMessage` (its payload fits as is). */
export interface KafkaFailedMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

export interface KafkaDeadLetterResult extends DeadLetterResult {
  /** kafkajs' send result for the copy. */
  metadata: RecordMetadata[];
}

/** Default dead-letter topic for `topic`. */
export const kafkaDeadLetterTopic = (topic: string) => `${topic}.DLT`;

/**
 * Publishes a failed Kafka message to its dead-letter topic: same key and
 * value, the original headers (repeated headers kept as arrays) plus the
 * Signalbox `signalbox-dlq-*` set, which records the original topic,
 * partition and offset. The partition of the copy is left to the producer's
 * partitioner (the key keeps per-key order); the original partition is in
 * the headers. Sent with the producer's acks (kafkajs defaults to all
 * in-sync replicas).
 *
 * Commit the original's offset only after this resolves: it rejects with the
 * broker's error when the copy was not written.
 */
export async function deadLetterKafka(
  producer: Producer,
  failed: KafkaFailedMessage,
  options: KafkaDeadLetterOptions,
): Promise<KafkaDeadLetterResult> {
  const { topic, partition, message } = failed;
  const dlq = options.deadLetterTopic ?? kafkaDeadLetterTopic(topic);
  const prepared = prepareDeadLetter(
    {
      system: SYSTEM_KAFKA,
      destination: topic,
      partition,
      offset: message.offset,
      consumerGroup: options.groupId,
      headers: message.headers,
    },
    options,
  );
  // Earlier dead-letter headers are replaced, not repeated: one current set.
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!isDeadLetterHeader(name) && value !== undefined) headers[name] = value;
  }
  Object.assign(headers, prepared.headers);

  const metadata = await withDeadLetterTelemetry(options, prepared.record, dlq, () =>
    producer.send({ topic: dlq, messages: [{ key: message.key, value: message.value, headers }] }),
  );
  return { id: prepared.record.id, deadLetterDestination: dlq, headers: prepared.headers, metadata };
}
