import { createHash } from 'node:crypto';
import { PATHWAY_HEADER, REPLAY_HEADERS } from '@signalbox/instrumentation/protocol';
import type { HeaderValue } from './dlq-types';

/**
 * Headers that carry a message's context, not its content: W3C trace context and baggage, the
 * pathway, the replay markers. Redis Streams keeps them among the payload's fields, and SQS's
 * instrumentation folds them into one attribute when the 10-attribute budget is short; both
 * adapters tell them apart from the payload by this list.
 */
export const CONTEXT_HEADERS: ReadonlySet<string> = new Set([
  'traceparent',
  'tracestate',
  'baggage',
  PATHWAY_HEADER,
  REPLAY_HEADERS.id,
  REPLAY_HEADERS.count,
]);

/**
 * Header values from broker clients (kafkajs Buffers and arrays, AMQP tables with numbers, dates and
 * nested arrays) as display strings. Binary that is not UTF-8 is shown as `base64:…` so nothing is
 * silently garbled; the raw value still goes to parseDeadLetter.
 */
export function headerText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) {
    const text = value.toString('utf8');
    return Buffer.from(text, 'utf8').equals(value) ? text : `base64:${value.toString('base64')}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) return value.toISOString();
  try {
    return JSON.stringify(value, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('utf8') : v)) ?? '';
  } catch {
    return '(unreadable value)';
  }
}

/** A client's header record as strings; repeated (array) Kafka headers stay arrays. */
export function normaliseHeaders(raw: unknown, arraysRepeat: boolean): Record<string, HeaderValue> {
  const out: Record<string, HeaderValue> = {};
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (value === undefined) continue;
    out[name] = arraysRepeat && Array.isArray(value) ? value.map(headerText) : headerText(value);
  }
  return out;
}

/** A stable key for a message with no id of its own: the same bytes always give the same key. */
export function contentKey(body: Buffer, headers: Record<string, HeaderValue>): string {
  const hash = createHash('sha256');
  hash.update(body);
  for (const name of Object.keys(headers).sort()) hash.update(`\n${name}=${JSON.stringify(headers[name])}`);
  return `sha256:${hash.digest('hex').slice(0, 32)}`;
}
