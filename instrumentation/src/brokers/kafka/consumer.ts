/*
 * kafkajs consumer side: eachMessage, eachBatch (+ processKafkaMessage for
 * per-message process spans) and commitOffsets, on the layer in ../messaging/.
 */
import { context } from '@opentelemetry/api';
import type {
  Batch,
  ConsumerRunConfig,
  EachBatchHandler,
  EachBatchPayload,
  EachMessageHandler,
  KafkaMessage,
  TopicPartitionOffsetAndMetadata,
} from 'kafkajs';
import { bypassContrib } from '../../messaging/coexist.js';
import { wrapOnce, wrapperOf } from '../../messaging/wrap-once.js';
import { delegate } from '../../delegate.js';
import { beginProcess, beginReceive, processMessage } from '../../messaging/consume.js';
import type { Delivery } from '../../messaging/delivery.js';
import { runOperations, type MessagingOperation } from '../../messaging/operation.js';
import { resolveRuntime, type MessagingRuntime } from '../../messaging/runtime.js';
import { recordSettle } from '../../messaging/settle.js';
import { kafkaHeadersCarrier } from './headers.js';
import { ATTR_MESSAGING_DESTINATION_PARTITION_ID, MESSAGING_SYSTEM_KAFKA } from '../../semconv.js';
import { guarded, warnFailure } from '../../spans.js';
import {
  consumedMessageAttributes,
  topicInfo,
  type KafkaConsumerInstrumentationOptions,
  type KafkaConsumerLike,
} from './producer.js';

interface BatchState {
  runtime: MessagingRuntime;
  groupId: string | undefined;
  deliveries: Map<KafkaMessage, Delivery>;
}

// Batches handed to an instrumented eachBatch, so processKafkaMessage finds
// the runtime and the already-recorded deliveries from the payload alone.
// Weak: a batch is garbage once its handler is done.
const instrumentedBatches = new WeakMap<Batch, BatchState>();

function wrapEachMessage(
  eachMessage: EachMessageHandler,
  runtime: MessagingRuntime,
  groupId: string | undefined,
): EachMessageHandler {
  return (payload) => {
    let operation: MessagingOperation | undefined;
    try {
      operation = beginProcess(
        runtime,
        {
          system: MESSAGING_SYSTEM_KAFKA,
          destination: payload.topic,
          server: runtime.server,
          consumerGroup: groupId,
          attributes: consumedMessageAttributes(payload.partition, payload.message),
        },
        kafkaHeadersCarrier(payload.message.headers),
      );
    } catch (err) {
      warnFailure('kafka process instrumentation', err);
    }
    if (!operation) return eachMessage(payload);
    return operation.run(() => eachMessage(payload));
  };
}

/*
 * A batch is marked by a CLIENT `poll {topic}` span (kafka.md's receive
 * operation) linking to every message's creation context, ended at hand-off:
 * kafkajs fetched the batch before we saw it, so the span marks the hand-off
 * and records no operation duration. The delivery metrics (consumed count,
 * edge and pathway latency) are recorded for every message here, whether or
 * not the handler uses processKafkaMessage, so metrics are complete either way.
 */
function wrapEachBatch(
  eachBatch: EachBatchHandler,
  runtime: MessagingRuntime,
  groupId: string | undefined,
): EachBatchHandler {
  return (payload) => {
    const started = guarded(
      'kafka batch instrumentation',
      () => {
        const { batch } = payload;
        const info = topicInfo(runtime, batch.topic, {
          consumerGroup: groupId,
          operationName: 'poll',
          attributes: { [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(batch.partition) },
        });
        const poll = beginReceive(
          runtime,
          info,
          batch.messages.map((message) => kafkaHeadersCarrier(message.headers)),
          { measured: false },
        );
        const deliveries = new Map<KafkaMessage, Delivery>();
        batch.messages.forEach((message, i) => {
          const delivery = poll.deliveries[i];
          if (delivery) deliveries.set(message, delivery);
        });
        instrumentedBatches.set(batch, { runtime, groupId, deliveries });
        poll.end();
        return poll;
      },
      undefined,
    );
    if (!started) return eachBatch(payload);
    return context.with(started.context, () => eachBatch(payload));
  };
}

/**
 * Runs `handler` for one message of a kafkajs `eachBatch` batch inside its own
 * CONSUMER `process {topic}` span, so each message gets real process
 * boundaries (start, end, error) rather than the batch's. Use it inside the
 * `eachBatch` of a consumer wrapped by `instrumentKafkaConsumer` (or the auto
 * instrumentation); elsewhere it just calls `handler`. Returns what `handler`
 * returns; its errors are recorded and rethrown unchanged.
 *
 * ```ts
 * eachBatch: async (payload) => {
 *   for (const message of payload.batch.messages) {
 *     await processKafkaMessage(payload, message, () => handle(message));
 *     payload.resolveOffset(message.offset);
 *   }
 * }
 * ```
 */
export function processKafkaMessage<T>(
  payload: Pick<EachBatchPayload, 'batch'>,
  message: KafkaMessage,
  handler: () => T,
): T {
  const state = guarded('kafka batch lookup', () => instrumentedBatches.get(payload.batch), undefined);
  if (!state) return handler();
  const { batch } = payload;
  const delivery = state.deliveries.get(message);
  const info = guarded(
    'kafka process instrumentation',
    () =>
      topicInfo(state.runtime, batch.topic, {
        consumerGroup: state.groupId,
        attributes: consumedMessageAttributes(batch.partition, message),
      }),
    undefined,
  );
  if (!info) return handler();
  return processMessage(
    state.runtime,
    info,
    kafkaHeadersCarrier(message.headers),
    handler,
    delivery ? { delivery } : undefined,
  );
}

function commitOperations(
  runtime: MessagingRuntime,
  groupId: string | undefined,
  offsets: TopicPartitionOffsetAndMetadata[],
) {
  // One settle span per topic: the destination is part of the span's identity.
  const topics = [...new Set(offsets.map((o) => o.topic))];
  return topics.map((topic) => {
    const partitions = offsets.filter((o) => o.topic === topic);
    const attributes =
      partitions.length === 1 && partitions[0]
        ? { [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(partitions[0].partition) }
        : undefined;
    return recordSettle(
      runtime,
      topicInfo(runtime, topic, { consumerGroup: groupId, ...(attributes && { attributes }) }),
      'commit',
    );
  });
}

/**
 * Wraps a kafkajs consumer so that:
 * - each message given to `run({ eachMessage })` is handled inside a CONSUMER
 *   `process {topic}` span that is active while your handler runs and ends
 *   when its promise settles (errors recorded and rethrown, so kafkajs retries
 *   as usual); how it relates to the producer is set by `parentMode`;
 * - each `run({ eachBatch })` batch gets a CLIENT `poll {topic}` span linking
 *   to every message, delivery metrics for every message, and
 *   {@link processKafkaMessage} for per-message process spans;
 * - `commitOffsets` emits CLIENT `commit {topic}` settle spans.
 * Every other method behaves exactly as on the original consumer.
 */
export function instrumentKafkaConsumer<C extends KafkaConsumerLike>(
  consumer: C,
  options?: KafkaConsumerInstrumentationOptions,
): C {
  return wrapOnce(consumer, 'Kafka consumer', () => {
    const runtime = resolveRuntime(options);
    const groupId = options?.groupId;
    const run = bypassContrib(consumer, 'run');
    const commitOffsets = bypassContrib(consumer, 'commitOffsets');
    return delegate<KafkaConsumerLike>(consumer, {
      ...wrapperOf(consumer),
      run: (config?: ConsumerRunConfig): Promise<void> => {
        const instrumented = guarded(
          'kafka run instrumentation',
          (): ConsumerRunConfig | undefined => {
            if (!config) return config;
            const { eachMessage, eachBatch } = config;
            return {
              ...config,
              ...(eachMessage && { eachMessage: wrapEachMessage(eachMessage, runtime, groupId) }),
              ...(eachBatch && { eachBatch: wrapEachBatch(eachBatch, runtime, groupId) }),
            };
          },
          config,
        );
        return run(instrumented);
      },
      commitOffsets: (offsets: TopicPartitionOffsetAndMetadata[]): Promise<void> => {
        const operations = guarded(
          'kafka commit instrumentation',
          () => commitOperations(runtime, groupId, offsets),
          undefined,
        );
        if (!operations) return commitOffsets(offsets);
        return runOperations(operations, context.active(), () => commitOffsets(offsets));
      },
    }) as C;
  });
}
