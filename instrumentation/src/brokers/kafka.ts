import { context, trace, type Attributes, type Link, type Span } from '@opentelemetry/api';
import type {
  Consumer,
  ConsumerRunConfig,
  EachMessageHandler,
  EachMessagePayload,
  Message,
  Producer,
  ProducerBatch,
  ProducerRecord,
  RecordMetadata,
  Transaction,
} from 'kafkajs';
import { delegate } from '../delegate.js';
import { resolveOptions, type MessagingInstrumentationOptions, type ResolvedOptions } from '../options.js';
import { extractSpanContext, injectContext, TRACEPARENT } from '../propagation/carrier.js';
import { kafkaHeadersCarrier } from '../propagation/kafka-headers.js';
import {
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_PARTITION_ID,
  ATTR_MESSAGING_KAFKA_MESSAGE_KEY,
  ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE,
  ATTR_MESSAGING_KAFKA_OFFSET,
  MESSAGING_SYSTEM_KAFKA,
} from '../semconv.js';
import { guarded, runInSpans, startProcessSpan, startSendSpan } from '../spans.js';

/** Options for {@link instrumentKafkaConsumer}. */
export interface KafkaConsumerInstrumentationOptions extends MessagingInstrumentationOptions {
  /**
   * The consumer's group id, reported as `messaging.consumer.group.name`.
   * kafkajs has no public accessor for it, so pass the same value you gave
   * `kafka.consumer({ groupId })`.
   */
  groupId?: string;
}

type Sender = Pick<Producer, 'send' | 'sendBatch'>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

// kafka.md: the key's string form, and no attribute when the key is null or
// has no unambiguous string form (bytes that are not valid UTF-8).
function keyAttribute(key: Buffer | string | null | undefined): string | undefined {
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

function singleMessageAttributes(message: Message): Attributes {
  const attributes: Attributes = {};
  const key = keyAttribute(message.key);
  if (key !== undefined) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_KEY] = key;
  if (typeof message.partition === 'number') {
    attributes[ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(message.partition);
  }
  if (message.value === null) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE] = true;
  return attributes;
}

interface PreparedSend {
  span: Span;
  messages: Message[];
}

/**
 * Starts the send span for one topic and returns copies of the messages with
 * its context injected.
 *
 * Copies, not the caller's objects: applications retry failed sends and fan
 * the same message object out to several topics. If we wrote our traceparent
 * into their object, the second send would find it, treat it as a
 * user-supplied creation context and keep it, attributing the retry to the
 * first attempt's span. Only the message and its headers object are copied;
 * keys and values (possibly large Buffers) are shared.
 */
function prepareTopicSend(resolved: ResolvedOptions, topic: string, messages: Message[]): PreparedSend {
  const copies = messages.map((message) => ({ ...message, headers: { ...message.headers } }));

  // The send span links to every creation context the caller already put in
  // a message (messaging-spans.md "Producer spans"); those headers stay as is.
  const links: Link[] = [];
  for (const copy of copies) {
    const carrier = kafkaHeadersCarrier(copy.headers);
    if (carrier.get(TRACEPARENT) === undefined) continue;
    const userContext = extractSpanContext(carrier);
    if (userContext) links.push({ context: userContext });
  }

  const attributes =
    copies.length === 1 && copies[0]
      ? singleMessageAttributes(copies[0])
      : { [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: copies.length };
  const span = startSendSpan(resolved.tracer, {
    system: MESSAGING_SYSTEM_KAFKA,
    destination: topic,
    server: resolved.server,
    attributes,
    links,
  });

  // One span, one context for all messages of the call: kafkajs sends them in
  // one request. Per-message "create" spans are not emitted (yet).
  const spanContext = trace.setSpan(context.active(), span);
  for (const copy of copies) injectContext(kafkaHeadersCarrier(copy.headers), spanContext);
  return { span, messages: copies };
}

function senderOverrides(sender: Sender, resolved: ResolvedOptions): Sender {
  return {
    send(record: ProducerRecord): Promise<RecordMetadata[]> {
      const prepared = guarded(
        'kafka send instrumentation',
        () => prepareTopicSend(resolved, record.topic, record.messages),
        undefined,
      );
      if (!prepared) return sender.send(record);
      const instrumented: ProducerRecord = { ...record, messages: prepared.messages };
      const active = trace.setSpan(context.active(), prepared.span);
      return runInSpans([prepared.span], active, () => sender.send(instrumented));
    },

    // One send span per topic: a destination is part of a span's identity
    // (name and messaging.destination.name), and a batch may span topics.
    sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
      const prepared = guarded(
        'kafka sendBatch instrumentation',
        () => (batch.topicMessages ?? []).map((tm) => prepareTopicSend(resolved, tm.topic, tm.messages)),
        undefined,
      );
      if (!prepared) return sender.sendBatch(batch);
      const instrumented: ProducerBatch = {
        ...batch,
        topicMessages: (batch.topicMessages ?? []).map((tm, i) => ({
          ...tm,
          messages: prepared[i]?.messages ?? tm.messages,
        })),
      };
      // Several spans cover this one call, so none of them is made active.
      return runInSpans(
        prepared.map((p) => p.span),
        context.active(),
        () => sender.sendBatch(instrumented),
      );
    },
  };
}

/**
 * Wraps a kafkajs producer so that `send` and `sendBatch` (also inside
 * transactions) emit PRODUCER `send {topic}` spans and carry their trace
 * context in each message's headers. A `traceparent` you set yourself is
 * never overwritten. Your message objects are not modified (copies are sent).
 * Every other method behaves exactly as on the original producer.
 */
export function instrumentKafkaProducer(
  producer: Producer,
  options?: MessagingInstrumentationOptions,
): Producer {
  const resolved = resolveOptions(options);
  return delegate(producer, {
    ...senderOverrides(producer, resolved),
    transaction: async (): Promise<Transaction> => {
      const transaction = await producer.transaction();
      return guarded(
        'kafka transaction instrumentation',
        () => delegate(transaction, senderOverrides(transaction, resolved)),
        transaction,
      );
    },
  });
}

function processAttributes(payload: EachMessagePayload, groupId: string | undefined): Attributes {
  const { message, partition } = payload;
  const attributes: Attributes = {
    [ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(partition),
  };
  if (groupId) attributes[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = groupId;
  // Offsets are int64 strings in kafkajs; report them only when exact as a JS number.
  const offset = Number(message.offset);
  if (Number.isSafeInteger(offset)) attributes[ATTR_MESSAGING_KAFKA_OFFSET] = offset;
  const key = keyAttribute(message.key);
  if (key !== undefined) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_KEY] = key;
  if (message.value === null) attributes[ATTR_MESSAGING_KAFKA_MESSAGE_TOMBSTONE] = true;
  return attributes;
}

function wrapEachMessage(
  eachMessage: EachMessageHandler,
  resolved: ResolvedOptions,
  groupId: string | undefined,
): EachMessageHandler {
  return (payload) => {
    const started = guarded(
      'kafka process instrumentation',
      () =>
        startProcessSpan(
          resolved.tracer,
          {
            system: MESSAGING_SYSTEM_KAFKA,
            destination: payload.topic,
            server: resolved.server,
            attributes: processAttributes(payload, groupId),
          },
          extractSpanContext(kafkaHeadersCarrier(payload.message.headers)),
          resolved.parentMode,
        ),
      undefined,
    );
    if (!started) return eachMessage(payload);
    return runInSpans([started.span], started.context, () => eachMessage(payload));
  };
}

/**
 * Wraps a kafkajs consumer so that each message given to `run({ eachMessage })`
 * is handled inside a CONSUMER `process {topic}` span. The span is active while
 * your handler runs, ends when its promise settles, and records a thrown error
 * (which is rethrown unchanged, so kafkajs retries as usual). How the span
 * relates to the producer is set by `parentMode`. `eachBatch` handlers are
 * passed through without spans for now.
 */
export function instrumentKafkaConsumer(
  consumer: Consumer,
  options?: KafkaConsumerInstrumentationOptions,
): Consumer {
  const resolved = resolveOptions(options);
  const groupId = options?.groupId;
  return delegate(consumer, {
    run: (config?: ConsumerRunConfig): Promise<void> => {
      const eachMessage = config?.eachMessage;
      const instrumented = eachMessage
        ? guarded(
            'kafka run instrumentation',
            (): ConsumerRunConfig => ({
              ...config,
              eachMessage: wrapEachMessage(eachMessage, resolved, groupId),
            }),
            config,
          )
        : config;
      return consumer.run(instrumented);
    },
  });
}
