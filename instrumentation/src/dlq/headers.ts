import { encodeHeaderValue } from './encoding.js';

/*
 * Signalbox's dead-letter header set, version 1. Documented in
 * instrumentation/README.md ("Dead-letter headers"); the dashboard reads it
 * through parseDeadLetter. Names are lowercase ASCII. Readers accept any
 * version and read the names they know: a change that alters the meaning of a
 * name gets a new name, never a new meaning under the old one.
 */

/** Value of `signalbox-dlq-version` written by this package. */
export const DLQ_HEADER_VERSION = '1';

/** Header names of the dead-letter set. */
export const DLQ_HEADERS = {
  version: 'signalbox-dlq-version',
  /** Unique per dead-lettering (a UUID): lets readers and replays spot duplicates. */
  id: 'signalbox-dlq-id',
  reason: 'signalbox-dlq-reason',
  originalSystem: 'signalbox-dlq-original-system',
  originalDestination: 'signalbox-dlq-original-destination',
  originalPartition: 'signalbox-dlq-original-partition',
  originalOffset: 'signalbox-dlq-original-offset',
  originalMessageId: 'signalbox-dlq-original-message-id',
  originalConsumerGroup: 'signalbox-dlq-original-consumer-group',
  originalTraceparent: 'signalbox-dlq-original-traceparent',
  errorType: 'signalbox-dlq-error-type',
  errorMessage: 'signalbox-dlq-error-message',
  errorStack: 'signalbox-dlq-error-stack',
  attempts: 'signalbox-dlq-attempts',
  firstFailedAt: 'signalbox-dlq-first-failed-at',
  lastFailedAt: 'signalbox-dlq-last-failed-at',
} as const;

/** Every dead-letter header starts with this; a new dead-lettering replaces them all. */
export const DLQ_HEADER_PREFIX = 'signalbox-dlq-';

/** Replay markers, written by the dashboard's replay and kept by deadLetter helpers. */
export const REPLAY_HEADERS = {
  id: 'signalbox-replay-id',
  count: 'signalbox-replay-count',
} as const;

/**
 * SQS allows 10 message attributes per message, so on SQS the whole set
 * travels as ONE String attribute of this name whose value is a JSON object
 * keyed by the header names above (values encoded the same way).
 */
export const SQS_DLQ_ATTRIBUTE = 'signalbox-dlq';

/**
 * BullMQ jobs have no headers: a job in a Signalbox dead-letter queue has data
 * `{ "signalbox-dlq": { <header set> }, "data": <the original job's data> }`.
 */
export const BULLMQ_DLQ_DATA_KEY = 'signalbox-dlq';

/**
 * Maximum ENCODED length of each value. Longer values are cut and end with
 * `%E2%80%A6` (`…`). The sum stays far below the smallest header budget we
 * write to (AMQP's 128 KiB frame, NATS's payload limit, SQS's message size).
 */
export const DLQ_VALUE_LIMITS = {
  errorMessage: 1024,
  errorStack: 4096,
  other: 512,
} as const;

/** What one dead-lettering records, before encoding. */
export interface DeadLetterRecord {
  id: string;
  reason: string;
  system: string;
  destination: string;
  partition?: number | undefined;
  offset?: string | undefined;
  messageId?: string | undefined;
  consumerGroup?: string | undefined;
  traceparent?: string | undefined;
  errorType?: string | undefined;
  errorMessage?: string | undefined;
  errorStack?: string | undefined;
  attempts: number;
  /** ISO 8601. */
  firstFailedAt: string;
  /** ISO 8601. */
  lastFailedAt: string;
}

/** The header set for `record`: every value an ASCII string within its limit. */
export function encodeDeadLetterHeaders(record: DeadLetterRecord): Record<string, string> {
  const headers: Record<string, string> = {};
  const put = (name: string, value: string | number | undefined, max: number = DLQ_VALUE_LIMITS.other) => {
    if (value === undefined || value === '') return;
    headers[name] = encodeHeaderValue(String(value), max);
  };
  put(DLQ_HEADERS.version, DLQ_HEADER_VERSION);
  put(DLQ_HEADERS.id, record.id);
  put(DLQ_HEADERS.reason, record.reason);
  put(DLQ_HEADERS.originalSystem, record.system);
  put(DLQ_HEADERS.originalDestination, record.destination);
  put(DLQ_HEADERS.originalPartition, record.partition);
  put(DLQ_HEADERS.originalOffset, record.offset);
  put(DLQ_HEADERS.originalMessageId, record.messageId);
  put(DLQ_HEADERS.originalConsumerGroup, record.consumerGroup);
  put(DLQ_HEADERS.originalTraceparent, record.traceparent);
  put(DLQ_HEADERS.errorType, record.errorType);
  put(DLQ_HEADERS.errorMessage, record.errorMessage, DLQ_VALUE_LIMITS.errorMessage);
  put(DLQ_HEADERS.errorStack, record.errorStack, DLQ_VALUE_LIMITS.errorStack);
  put(DLQ_HEADERS.attempts, record.attempts);
  put(DLQ_HEADERS.firstFailedAt, record.firstFailedAt);
  put(DLQ_HEADERS.lastFailedAt, record.lastFailedAt);
  return headers;
}

/** True for the names a new dead-lettering replaces (any case). */
export function isDeadLetterHeader(name: string): boolean {
  return name.toLowerCase().startsWith(DLQ_HEADER_PREFIX);
}
