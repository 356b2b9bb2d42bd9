import {
  context,
  diag,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type SpanContext,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

/**
 * The one contract every broker's header adapter implements: a string view of
 * the message's headers. Adapters decode the wire format (Buffers, arrays,
 * AMQP tables, ...) and must never throw.
 */
export interface MessageCarrier {
  /** The header's value as a string, or undefined when absent or not decodable. */
  get(key: string): string | undefined;
  /** Writes a header, replacing any existing value for the same key. */
  set(key: string, value: string): void;
  /** The header names present. */
  keys(): string[];
}

/** What {@link injectContext} did. */
export interface InjectResult {
  /**
   * True when the carrier already had a `traceparent` (set by the user or an
   * upstream library): the headers were left untouched.
   */
  preserved: boolean;
  /** The creation context found in the preserved `traceparent`, when it is valid. */
  userContext?: SpanContext;
}

export const TRACEPARENT = 'traceparent';
export const TRACESTATE = 'tracestate';

/**
 * A W3C traceparent is 55 characters; 512 is the minimum tracestate length the
 * W3C spec asks vendors to propagate. Anything longer is not ours to parse: a
 * producer we do not control must not make us allocate or regex-scan megabytes.
 */
export const MAX_TRACE_HEADER_LENGTH = 512;

/**
 * Cap for every other header a propagator may read (baggage, b3, ...). 8192 is
 * the W3C baggage limit, the largest standard propagation header.
 */
export const MAX_HEADER_VALUE_LENGTH = 8192;

// W3C trace-context headers are printable ASCII; binary junk decoded as UTF-8
// turns into replacement characters, which this rejects before any parsing.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function isTraceHeader(key: string): boolean {
  if (key === TRACEPARENT || key === TRACESTATE) return true;
  // Propagators ask in lower case; only a same-length name needs lower-casing.
  if (key.length !== TRACEPARENT.length && key.length !== TRACESTATE.length) return false;
  const name = key.toLowerCase();
  return name === TRACEPARENT || name === TRACESTATE;
}

function isAcceptable(key: string, value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (isTraceHeader(key)) {
    return value.length <= MAX_TRACE_HEADER_LENGTH && PRINTABLE_ASCII.test(value);
  }
  return value.length <= MAX_HEADER_VALUE_LENGTH;
}

// Going through propagation.inject/extract (rather than writing traceparent
// ourselves) honours whatever propagator the application registered: W3C,
// B3, Jaeger, baggage, or a composite of them.
const getter: TextMapGetter<MessageCarrier> = {
  keys(carrier) {
    try {
      const keys: unknown = carrier.keys();
      return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
    } catch {
      return [];
    }
  },
  get(carrier, key) {
    try {
      const value: unknown = carrier.get(key);
      return isAcceptable(key, value) ? value : undefined;
    } catch {
      return undefined;
    }
  },
};

const setter: TextMapSetter<MessageCarrier> = {
  set(carrier, key, value) {
    carrier.set(key, value);
  },
};

/**
 * Writes `ctx` (default: the active context) into the carrier with the
 * registered propagator, unless the carrier already has a `traceparent`.
 *
 * A traceparent that is already there is the message's creation context as
 * chosen by the user or an upstream library; the messaging conventions say it
 * must not be modified, so the headers are left exactly as they are. Never throws.
 */
export function injectContext(carrier: MessageCarrier, ctx: Context = context.active()): InjectResult {
  try {
    const existing = carrier.get(TRACEPARENT);
    if (existing !== undefined && existing !== '') {
      const userContext = extractSpanContext(carrier);
      return userContext ? { preserved: true, userContext } : { preserved: true };
    }
    propagation.inject(ctx, carrier, setter);
  } catch (err) {
    diag.warn('@signalbox/instrumentation: could not inject trace context into message headers', err);
  }
  return { preserved: false };
}

/**
 * Writes `ctx` into the carrier with the registered propagator, for callers
 * that already checked the carrier has no `traceparent` of its own (the send
 * path reads it once per message). Never throws.
 */
export function injectUnchecked(carrier: MessageCarrier, ctx: Context): void {
  try {
    propagation.inject(ctx, carrier, setter);
  } catch (err) {
    diag.warn('@signalbox/instrumentation: could not inject trace context into message headers', err);
  }
}

/**
 * Reads the creation context from the carrier with the registered propagator.
 * Safe on hostile input: non-string values, oversized or non-ASCII trace
 * headers are ignored, and any failure yields an empty context. Never throws.
 */
export function extractContext(carrier: MessageCarrier): Context {
  try {
    return propagation.extract(ROOT_CONTEXT, carrier, getter);
  } catch (err) {
    diag.warn('@signalbox/instrumentation: could not extract trace context from message headers', err);
    return ROOT_CONTEXT;
  }
}

/** The valid span context carried by the message, if any. Never throws. */
export function extractSpanContext(carrier: MessageCarrier): SpanContext | undefined {
  const spanContext = trace.getSpanContext(extractContext(carrier));
  return spanContext && isSpanContextValid(spanContext) ? spanContext : undefined;
}
