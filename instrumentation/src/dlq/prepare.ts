import { randomUUID } from 'node:crypto';
import { context, trace, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import { errorType, guarded } from '../spans.js';
import { headerLookup } from './header-lookup.js';
import { encodeDeadLetterHeaders, type DeadLetterRecord } from './headers.js';
import { parseDeadLetter } from './parse.js';
import { text, traceparent } from './values.js';

/** Options every `deadLetter*` helper takes. */
export interface DeadLetterOptions {
  /** What made processing fail: its class, message and stack go into the headers. */
  error: unknown;
  /**
   * Why the message is dead-lettered (see `DeadLetterReason`). Defaults to
   * `error`; use `rejected` for messages refused as invalid without trying.
   */
  reason?: string;
  /**
   * Processing attempts made in this round, the failed one included. Defaults
   * to the broker's delivery count where it keeps one (SQS receive count,
   * JetStream deliveries, quorum-queue delivery count, BullMQ attemptsMade),
   * else 1. Attempts recorded by an earlier dead-lettering of the same
   * message (before a replay) are added to it.
   */
  attempts?: number;
  /** Consumer group (or JetStream consumer, Redis group) that failed, recorded as the source. */
  consumerGroup?: string;
  /** Tracer provider for the `dead_letter` span; defaults to the global one. */
  tracerProvider?: TracerProvider;
  /** Meter provider for `signalbox.messaging.dead_letters`; defaults to the global one. */
  meterProvider?: MeterProvider;
}

/** What every `deadLetter*` helper returns, plus its broker's own result. */
export interface DeadLetterResult {
  /** `signalbox-dlq-id` of the copy written. */
  id: string;
  /** Where the copy was written (topic, queue, subject, stream, URL). */
  deadLetterDestination: string;
  /** The header set written (encoded values). */
  headers: Record<string, string>;
}

/** Where the failed message came from, as the broker helper knows it. */
export interface FailedMessageSource {
  system: string;
  destination: string;
  partition?: number | undefined;
  offset?: string | undefined;
  messageId?: string | undefined;
  consumerGroup?: string | undefined;
  /** The message's headers (any raw shape), to find an earlier dead-lettering and the trace. */
  headers?: unknown;
  /** SQS: the received Message, read like `parseDeadLetter`'s `attributes`. */
  attributes?: unknown;
  /** BullMQ: the job. */
  job?: unknown;
  /** The broker's delivery count for this message, when it keeps one. */
  deliveryCount?: number | null | undefined;
}

/** A prepared dead-lettering: the record and the header set to write. */
export interface PreparedDeadLetter {
  record: DeadLetterRecord;
  headers: Record<string, string>;
}

const positive = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;

interface ErrorDescription {
  type: string;
  message?: string | undefined;
  stack?: string | undefined;
}

function describe(error: unknown): ErrorDescription {
  return guarded<ErrorDescription>(
    'describe dead-letter error',
    () => {
      const type = errorType(error);
      if (error instanceof Error) {
        // `err.name = 'ValidationError'` on a plain Error is a common way to type errors.
        const name = typeof error.name === 'string' && error.name !== 'Error' ? error.name : type;
        return { type: name, message: String(error.message), stack: error.stack };
      }
      if (typeof error === 'string') return { type, message: error };
      return { type, message: text(error) ?? undefined };
    },
    { type: errorType(error) },
  );
}

function ownTraceparent(source: FailedMessageSource): string | null {
  const attributes = source.attributes as { MessageAttributes?: unknown } | undefined;
  return guarded(
    'read traceparent',
    () => traceparent(headerLookup(source.headers, attributes?.MessageAttributes).get('traceparent')),
    null,
  );
}

/** The trace the failed message belonged to: its own header, an earlier record, or the active span. */
function failedTrace(headerValue: string | null, earlier: string | null): string | undefined {
  if (headerValue) return headerValue;
  if (earlier) return earlier;
  const active = trace.getSpanContext(context.active());
  if (!active || !trace.isSpanContextValid(active)) return undefined;
  return `00-${active.traceId}-${active.spanId}-${(active.traceFlags & 1).toString(16).padStart(2, '0')}`;
}

/**
 * Builds the header set for dead-lettering one message: reads any earlier
 * Signalbox dead-lettering from its headers (attempts add up, the first
 * failure time is kept), describes the error and stamps the times.
 */
export function prepareDeadLetter(
  source: FailedMessageSource,
  options: DeadLetterOptions,
): PreparedDeadLetter {
  const earlier = guarded(
    'read earlier dead-letter headers',
    () =>
      parseDeadLetter({
        system: source.system,
        destination: source.destination,
        headers: source.headers,
        attributes: source.attributes,
        job: source.job,
      }),
    undefined,
  );
  const ours = earlier?.dialect === 'signalbox' ? earlier : undefined;
  const now = new Date().toISOString();
  const thisRound = positive(options.attempts) ?? positive(source.deliveryCount) ?? 1;
  const error = describe(options.error);
  const record: DeadLetterRecord = {
    id: randomUUID(),
    reason: text(options.reason, 64) ?? 'error',
    system: source.system,
    destination: source.destination,
    partition: source.partition,
    offset: source.offset,
    messageId: source.messageId,
    consumerGroup: options.consumerGroup ?? source.consumerGroup,
    traceparent: failedTrace(ownTraceparent(source), ours?.traceparent ?? null),
    errorType: error.type,
    errorMessage: error.message,
    errorStack: error.stack,
    attempts: (ours?.attempts ?? 0) + thisRound,
    firstFailedAt: ours?.firstFailedAt ?? now,
    lastFailedAt: now,
  };
  return { record, headers: encodeDeadLetterHeaders(record) };
}
