/*
 * The one failure model every dead-letter dialect is read into (issue #3
 * "Dead letters", consumed by the dashboard's DLQ pages, issue #7). Plain JSON:
 * strings, numbers, nulls and arrays only, so it can be stored, sent over HTTP
 * and compared as is. "Unknown" is always `null`, never a missing key.
 */

/**
 * Where a dead-letter model's data came from. `signalbox` is our own header
 * set; the others are the broker's or framework's own bookkeeping.
 */
export type DeadLetterDialect =
  | 'signalbox'
  | 'rabbitmq'
  | 'spring-kafka'
  | 'kafka-connect'
  | 'masstransit'
  | 'nservicebus'
  | 'azure-servicebus'
  | 'sqs'
  | 'bullmq'
  | 'nats';

/**
 * Why a message was dead-lettered. The named values are normalised across
 * brokers so the dashboard can group by them; anything a dialect reports that
 * has no equivalent (an Azure application reason, a MassTransit reason we do
 * not know) is kept as free text.
 *
 * - `error`: processing failed (an exception; ours by default, Spring, Kafka
 *   Connect, MassTransit faults, NServiceBus, BullMQ).
 * - `rejected`: a consumer rejected it without requeue (RabbitMQ `rejected`).
 * - `expired`: its time-to-live ran out (RabbitMQ `expired`, Azure `TTLExpiredException`).
 * - `maxlen`: the queue was over its length limit (RabbitMQ `maxlen`).
 * - `delivery_limit`: delivered too many times (RabbitMQ quorum `delivery_limit`,
 *   JetStream `max_deliver` advisories, SQS redrive `maxReceiveCount`, Azure
 *   `MaxDeliveryCountExceeded`). One name, whatever the broker calls it.
 * - `terminated`: a JetStream consumer terminated it (`AckTerm`).
 * - `stalled`: a BullMQ job stalled more often than allowed.
 */
export type DeadLetterReason =
  'error' | 'rejected' | 'expired' | 'maxlen' | 'delivery_limit' | 'terminated' | 'stalled' | (string & {});

/** Where the message was when it failed: what a replay sends it back to. */
export interface DeadLetterSource {
  /**
   * `messaging.system` of the original destination (`kafka`, `rabbitmq`,
   * `aws_sqs`, `nats`, `redis`, `bullmq`, `servicebus`, ...).
   */
  system: string | null;
  /**
   * The destination it was consumed from: Kafka topic, RabbitMQ queue, SQS
   * queue name, NATS subject, Redis stream key, BullMQ queue name.
   */
  destination: string | null;
  /** Kafka partition. */
  partition: number | null;
  /**
   * Position in an ordered log, as a decimal string because Kafka offsets are
   * 64-bit: Kafka offset, JetStream stream sequence, Redis Streams entry id.
   */
  offset: string | null;
  /** The broker's or application's message id: AMQP message-id, SQS MessageId, BullMQ job id, ... */
  messageId: string | null;
  /** Consumer group (Kafka, Redis), JetStream consumer, or the failing endpoint's name. */
  consumerGroup: string | null;
}

/** Replay bookkeeping added by the dashboard's replay (`signalbox-replay-*`). */
export interface DeadLetterReplay {
  /** The replay job's id; duplicates from a resumed replay carry the same id. */
  id: string;
  /** How many times this message has been replayed. */
  count: number;
}

/** One dead-lettered message, whatever wrote it. */
export interface DeadLetterFailure {
  /** Why it was dead-lettered (see {@link DeadLetterReason}). */
  reason: DeadLetterReason | null;
  /** Exception class: `TypeError`, `java.lang.IllegalStateException`, `System.TimeoutException`. */
  errorType: string | null;
  /** Exception message, at most {@link PARSE_LIMITS.errorMessage} characters. */
  errorMessage: string | null;
  /** Stack trace as the failing runtime printed it, at most {@link PARSE_LIMITS.stackTrace} characters. */
  stackTrace: string | null;
  source: DeadLetterSource;
  /**
   * Processing attempts that failed before (and including) the one that
   * dead-lettered it; with our headers, summed over every time it was
   * dead-lettered. `null` when the dialect does not say.
   */
  attempts: number | null;
  /** When it first failed (ISO 8601, UTC, millisecond precision). */
  firstFailedAt: string | null;
  /** When it last failed, i.e. was dead-lettered this time (ISO 8601). */
  lastFailedAt: string | null;
  /** W3C `traceparent` of the trace the failed message belonged to. */
  traceparent: string | null;
  /** The trace id in {@link traceparent}, for linking to the trace. */
  traceId: string | null;
  /** Present when the message was replayed before. */
  replay: DeadLetterReplay | null;
  /** The dialect that supplied the model (ours wins, then the most specific). */
  dialect: DeadLetterDialect | null;
  /** Every dialect found in the message, most authoritative first. */
  dialects: DeadLetterDialect[];
  /**
   * Dialect-specific facts worth showing but not part of the model, under
   * namespaced keys (`rabbitmq.exchange`, `connect.connector`,
   * `sqs.source_arn`, ...). At most {@link PARSE_LIMITS.detailEntries} entries.
   */
  details: Record<string, string>;
}

/**
 * Bounds on what the parser keeps, so hostile or huge headers cost bounded
 * memory. Longer text is cut and ends with `…`.
 */
export const PARSE_LIMITS = {
  /** Characters kept of an error message. */
  errorMessage: 4096,
  /** Characters kept of a stack trace. */
  stackTrace: 16384,
  /** Characters kept of any other text value (names, types, details). */
  text: 1024,
  /** Header entries looked at; the rest are ignored. */
  headerEntries: 1024,
  /** RabbitMQ `x-death` entries looked at. */
  deathEntries: 64,
  /** Entries kept in `details`. */
  detailEntries: 32,
  /** Bytes of a binary value decoded as text, or of JSON parsed. */
  bytes: 65536,
} as const;

/** A model with nothing known, the starting point of every parse. */
export function emptyFailure(): DeadLetterFailure {
  return {
    reason: null,
    errorType: null,
    errorMessage: null,
    stackTrace: null,
    source: {
      system: null,
      destination: null,
      partition: null,
      offset: null,
      messageId: null,
      consumerGroup: null,
    },
    attempts: null,
    firstFailedAt: null,
    lastFailedAt: null,
    traceparent: null,
    traceId: null,
    replay: null,
    dialect: null,
    dialects: [],
    details: {},
  };
}
