import {
  context,
  diag,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import type { ParentMode } from './options.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_MESSAGING_DESTINATION_ANONYMOUS,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ERROR_TYPE_OTHER,
  MESSAGING_OPERATION_TYPE_PROCESS,
  MESSAGING_OPERATION_TYPE_SEND,
} from './semconv.js';

/*
 * Span helpers shared by every broker, so that names, kinds, attributes and
 * error handling are the same whichever client produced the span.
 */

/** What a broker adapter knows about one messaging operation. */
export interface MessagingSpanInfo {
  /** `messaging.system`, e.g. `kafka`. */
  system: string;
  /** `messaging.destination.name`; also the `{destination}` of the span name. */
  destination: string;
  /**
   * The destination has a generated name (e.g. a server-named queue). It is
   * then left out of the span name, which must stay low-cardinality.
   */
  anonymous?: boolean;
  /** `messaging.operation.name`; defaults to the operation type (`send` / `process`). */
  operationName?: string;
  server?: { address: string; port?: number } | undefined;
  /** Broker-specific attributes. Set at span start because samplers may read them. */
  attributes?: Attributes;
  /** Links known at start (samplers see them too). */
  links?: Link[];
}

function startAttributes(info: MessagingSpanInfo, operationType: string): Attributes {
  const attributes: Attributes = {
    [ATTR_MESSAGING_SYSTEM]: info.system,
    [ATTR_MESSAGING_OPERATION_NAME]: info.operationName ?? operationType,
    [ATTR_MESSAGING_OPERATION_TYPE]: operationType,
    [ATTR_MESSAGING_DESTINATION_NAME]: info.destination,
  };
  if (info.anonymous) attributes[ATTR_MESSAGING_DESTINATION_ANONYMOUS] = true;
  if (info.server) {
    attributes[ATTR_SERVER_ADDRESS] = info.server.address;
    if (info.server.port !== undefined) attributes[ATTR_SERVER_PORT] = info.server.port;
  }
  // Broker attributes last, but never let them replace the required ones above.
  return { ...info.attributes, ...attributes };
}

// Spec: span name is `{messaging.operation.name} {destination}`; the
// destination is omitted when there is none, or when it is temporary or
// anonymous (its name would make span names unbounded).
function spanName(info: MessagingSpanInfo, operationType: string): string {
  const operation = info.operationName ?? operationType;
  return info.destination && !info.anonymous ? `${operation} ${info.destination}` : operation;
}

/**
 * Starts a PRODUCER "send" span as a child of `parent` (default: the active
 * context). Its context is what gets injected into the messages, so the kind is
 * PRODUCER per the spec's kind table.
 */
export function startSendSpan(
  tracer: Tracer,
  info: MessagingSpanInfo,
  parent: Context = context.active(),
): Span {
  return tracer.startSpan(
    spanName(info, MESSAGING_OPERATION_TYPE_SEND),
    {
      kind: SpanKind.PRODUCER,
      attributes: startAttributes(info, MESSAGING_OPERATION_TYPE_SEND),
      links: info.links ?? [],
    },
    parent,
  );
}

/** A started process span and the context to run the handler in. */
export interface ProcessSpan {
  span: Span;
  context: Context;
}

/**
 * Starts a CONSUMER "process" span for one message, placed according to
 * `parentMode` (see {@link ParentMode}). `creationContext` is the producer's
 * context extracted from the message; when it is missing every mode falls back
 * to the ambient context as parent. Other values of the ambient context
 * (baggage, framework keys) are kept in every mode.
 */
export function startProcessSpan(
  tracer: Tracer,
  info: MessagingSpanInfo,
  creationContext: SpanContext | undefined,
  parentMode: ParentMode,
): ProcessSpan {
  const ambient = context.active();
  const links: Link[] = [...(info.links ?? [])];
  let parent = ambient;
  const producer = creationContext && isSpanContextValid(creationContext) ? creationContext : undefined;

  if (producer && parentMode === 'link') {
    links.push({ context: producer });
  } else if (producer) {
    // The producer becomes the parent; the ambient span (e.g. an HTTP server
    // span in a push endpoint) is kept as a link when asked for, per
    // messaging-spans.md "Message creation context as parent of Process span".
    const ambientSpan = trace.getSpanContext(ambient);
    if (parentMode === 'parent+ambient-link' && ambientSpan && isSpanContextValid(ambientSpan)) {
      links.push({ context: ambientSpan });
    }
    parent = trace.setSpanContext(ambient, producer);
  }

  const span = tracer.startSpan(
    spanName(info, MESSAGING_OPERATION_TYPE_PROCESS),
    { kind: SpanKind.CONSUMER, attributes: startAttributes(info, MESSAGING_OPERATION_TYPE_PROCESS), links },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/**
 * The `error.type` for an error: its class name (low cardinality, as the spec
 * asks), or `_OTHER` for values that are not class instances.
 */
export function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '' && name !== 'Object') return name;
  }
  return ERROR_TYPE_OTHER;
}

/** Records a failed operation on the span: exception event, `error.type`, ERROR status. Never throws. */
export function recordError(span: Span, error: unknown): void {
  guarded('record error', () => {
    const exception = error instanceof Error ? error : String(error);
    span.recordException(exception);
    span.setAttribute(ATTR_ERROR_TYPE, errorType(error));
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  });
}

/**
 * Runs instrumentation code so that a bug in it (or in a tracing SDK) can never
 * break the application: failures are logged with diag.warn and `fallback` is
 * returned instead.
 */
export function guarded<T>(what: string, fn: () => T, fallback: T): T;
export function guarded(what: string, fn: () => void): void;
export function guarded<T>(what: string, fn: () => T, fallback?: T): T | undefined {
  try {
    return fn();
  } catch (err) {
    diag.warn(`@signalbox/instrumentation: ${what} failed; continuing without it`, err);
    return fallback;
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Calls the application's (or broker client's) `fn` with `ctx` active and ends
 * `spans` when it is done: at return for a plain value, when the promise
 * settles for a promise. Errors are recorded on the spans and rethrown (or
 * re-rejected) unchanged, so callers see exactly what they would without us.
 */
export function runInSpans<T>(spans: readonly Span[], ctx: Context, fn: () => T): T {
  const end = (error?: { value: unknown }) =>
    guarded('end span', () => {
      for (const span of spans) {
        if (error) recordError(span, error.value);
        span.end();
      }
    });

  let result: T;
  try {
    result = context.with(ctx, fn);
  } catch (err) {
    end({ value: err });
    throw err;
  }
  if (!isPromiseLike(result)) {
    end();
    return result;
  }
  // The returned promise resolves/rejects with the same value as the original.
  return result.then(
    (value) => {
      end();
      return value;
    },
    (err: unknown) => {
      end({ value: err });
      throw err;
    },
  ) as T;
}
