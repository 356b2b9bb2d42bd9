/*
 * kafkajs adapter. Spans, metrics, propagation and the pathway header come
 * from the broker-independent layer in ../messaging/ (see "How a broker
 * adapter is written" in the README); this file only maps kafkajs's API and
 * message shape onto it. @confluentinc/kafka-javascript's KafkaJS-compatible
 * API has the same producer/consumer methods, so the wrappers are typed
 * structurally and accept its objects too (README "Supported versions").
 */
import { context, type Attributes } from '@opentelemetry/api';
import type {
  Consumer,
  IHeaders,
  KafkaMessage,
  Message,
  Producer,
  ProducerBatch,
  ProducerRecord,
  RecordMetadata,
  Transaction,
} from 'kafkajs';
import { wrapOnce, wrapperOf } from '../../messaging/wrap-once.js';
import { delegate } from '../../delegate.js';
import { runOperations, type MessagingOperation } from '../../messaging/operation.js';
import { beginSend, type SendInfo } from '../../messaging/produce.js';
import { resolveRuntime, type MessagingRuntime } from '../../messaging/runtime.js';
import type { MessagingInstrumentationOptions } from '../../options.js';
import type { MessageCarrier } from '../../propagation/carrier.js';
import { kafkaHeadersCarrier } from './headers.js';
import {
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE,
  ATTR_MESSAGING_KAFKA_OFFSET,
  MESSAGING_SYSTEM_KAFKA,
} from '../../semconv.js';
import { guarded } from '../../spans.js';
import { bypassContrib } from '../../messaging/coexist.js';

/** Options for `instrumentKafkaConsumer`. */
export interface KafkaConsumerInstrumentationOptions extends MessagingInstrumentationOptions {
  /**
   * The consumer's group id, reported as `messaging.consumer.group.name`.
   * kafkajs has no public accessor for it, so pass the same value you gave
   * `kafka.consumer({ groupId })`.
   */
  groupId?: string;
}

/** The producer methods the wrapper instruments (kafkajs and its look-alikes). */
export type KafkaSender = Pick<Producer, 'send' | 'sendBatch'>;
/** What {@link instrumentKafkaProducer} needs from a producer. */
export type KafkaProducerLike = KafkaSender & Pick<Producer, 'transaction'>;
/** What `instrumentKafkaConsumer` needs from a consumer. */
export type KafkaConsumerLike = Pick<Consumer, 'run' | 'commitOffsets'>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

// kafka.md: the key's string form, and no attribute when the key is null or
// has no unambiguous string form (bytes that are not valid UTF-8).
export function keyAttribute(key: Buffer | string | null | undefined): string | undefined {
  if (typeof key === 'string') return key;
  if (key instanceof Uint8Array) {
    try {
      return utf8.decode(key);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function producedMessageAttributes(message: Message): Attributes {
  const attributes: Attributes = {};
  const key = keyAttribute(message.key);
  if (key !== undefined) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_KEY] = key;
  if (typeof message.partition === 'number') {
    attributes[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(message.partition);
  }
  if (message.value === null) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE] = true;
  return attributes;
}

export function consumedMessageAttributes(partition: number, message: KafkaMessage): Attributes {
  const attributes: Attributes = { [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(partition) };
  // Offsets are int64 strings in kafkajs; report them only when exact as a JS number.
  const offset = Number(message.offset);
  if (Number.isSafeInteger(offset)) attributes[ATTR_MESSAGING_KAFKA_OFFSET] = offset;
  const key = keyAttribute(message.key);
  if (key !== undefined) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_KEY] = key;
  if (message.value === null) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE] = true;
  return attributes;
}

export const topicInfo = (runtime: MessagingRuntime, topic: string, extra?: Partial<SendInfo>): SendInfo =>
  Object.assign({ system: MESSAGING_SYSTEM_KAFKA, destination: topic, server: runtime.server }, extra);

interface PreparedSend {
  operation: MessagingOperation;
  messages: Message[];
}

/**
 * Starts the send for one topic and returns copies of the messages carrying
 * its context.
 *
 * Copies, not the caller's objects: applications retry failed sends and fan
 * the same message object out to several topics. If we wrote our traceparent
 * into their object, the second send would find it, treat it as a
 * user-supplied creation context and keep it, attributing the retry to the
 * first attempt's span. Only the message and its headers object are copied;
 * keys and values (possibly large Buffers) are shared.
 */
function prepareTopicSend(runtime: MessagingRuntime, topic: string, messages: Message[]): PreparedSend {
  // Object.assign, not spread: see assignAttributes in ../spans.ts.
  // Not an array: kafkajs will reject the record; we send it untouched (the caller warns).
  if (!Array.isArray(messages)) throw new TypeError('record.messages is not an array');
  const count = messages.length;
  const copies = new Array<Message>(count);
  const attributes = new Array<Attributes>(count);
  const carriers = new Array<MessageCarrier>(count);
  for (let i = 0; i < count; i++) {
    const message = messages[i] as Message;
    const copy = Object.assign({}, message);
    const headers = Object.assign<IHeaders, IHeaders | undefined>({}, message.headers);
    copy.headers = headers;
    copies[i] = copy;
    attributes[i] = producedMessageAttributes(copy);
    carriers[i] = kafkaHeadersCarrier(headers);
  }
  const operation = beginSend(
    runtime,
    {
      system: MESSAGING_SYSTEM_KAFKA,
      destination: topic,
      server: runtime.server,
      messageAttributes: attributes,
    },
    carriers,
  );
  return { operation, messages: copies };
}

function senderOverrides(sender: KafkaSender, runtime: MessagingRuntime): KafkaSender {
  // When a contrib kafkajs instrumentation also patched this object, call
  // the unpatched method so the message gets exactly one set of spans and one
  // traceparent (ours); see ../../messaging/coexist.ts.
  const send = bypassContrib(sender, 'send');
  const sendBatch = bypassContrib(sender, 'sendBatch');
  return {
    send(record: ProducerRecord): Promise<RecordMetadata[]> {
      const prepared = guarded(
        'kafka send instrumentation',
        () => prepareTopicSend(runtime, record.topic, record.messages),
        undefined,
      );
      if (!prepared) return send(record);
      const instrumented: ProducerRecord = { ...record, messages: prepared.messages };
      return prepared.operation.run(() => send(instrumented));
    },

    // One send operation per topic: a destination is part of a span's
    // identity (name and messaging.destination.name), and a batch may span topics.
    sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
      const prepared = guarded(
        'kafka sendBatch instrumentation',
        () => (batch.topicMessages ?? []).map((tm) => prepareTopicSend(runtime, tm.topic, tm.messages)),
        undefined,
      );
      if (!prepared) return sendBatch(batch);
      const ambient = context.active();
      const instrumented: ProducerBatch = {
        ...batch,
        topicMessages: (batch.topicMessages ?? []).map((tm, i) => ({
          ...tm,
          messages: prepared[i]?.messages ?? tm.messages,
        })),
      };
      return runOperations(
        prepared.map((p) => p.operation),
        // The ambient context: no single send span is the call's parent.
        ambient,
        () => sendBatch(instrumented),
      );
    },
  };
}

/**
 * Wraps a kafkajs producer so that `send` and `sendBatch` (also inside
 * transactions) emit send spans (and per-message create spans for
 * multi-message sends) and carry trace context and the pathway header in each
 * message's headers. A `traceparent` you set yourself is never overwritten.
 * Your message objects are not modified (copies are sent). Every other method
 * behaves exactly as on the original producer.
 */
export function instrumentKafkaProducer<P extends KafkaProducerLike>(
  producer: P,
  options?: MessagingInstrumentationOptions,
): P {
  return wrapOnce(producer, 'Kafka producer', () => {
    const runtime = resolveRuntime(options);
    const startTransaction = bypassContrib(producer, 'transaction');
    return delegate<KafkaProducerLike>(producer, {
      ...wrapperOf(producer),
      ...senderOverrides(producer, runtime),
      transaction: async (): Promise<Transaction> => {
        const transaction = await startTransaction();
        return guarded(
          'kafka transaction instrumentation',
          () => delegate(transaction, senderOverrides(transaction, runtime)),
          transaction,
        );
      },
    }) as P;
  });
}
