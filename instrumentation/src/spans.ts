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
import type { SemconvStability } from './messaging/stability.js';
import type { ParentMode } from './options.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_LEGACY_MESSAGING_DESTINATION,
  ATTR_LEGACY_MESSAGING_KAFKA_CONSUMER_GROUP,
  ATTR_LEGACY_MESSAGING_OPERATION,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_ANONYMOUS,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ERROR_TYPE_OTHER,
  MESSAGING_OPERATION_TYPE_PROCESS,
  MESSAGING_SYSTEM_KAFKA,
  type MessagingOperationType,
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
   * then left out of the span name and of metric attributes, which must stay
   * low-cardinality.
   */
  anonymous?: boolean;
  /** `messaging.operation.name`; defaults to the operation type (`send`, `process`, ...). */
  operationName?: string;
  /** `messaging.consumer.group.name` (consumers only), on spans and metrics. */
  consumerGroup?: string | undefined;
  server?: { address: string; port?: number } | undefined;
  /** Broker-specific attributes. Set at span start because samplers may read them. */
  attributes?: Attributes;
  /**
   * Broker-specific attributes that say where a message was consumed from
   * beyond its destination (a JetStream stream): low-cardinality, so they go
   * on the spans and on every metric of the operation, where a backend can
   * tell the route apart. Build the object once per consumer: routes are
   * cached by it.
   */
  routeAttributes?: Attributes;
  /** Links known at start (samplers see them too). */
  links?: Link[];
}

// The value `messaging.operation` had before 1.26 for each operation type.
const LEGACY_OPERATION: Partial<Record<MessagingOperationType, string>> = {
  create: 'create',
  send: 'publish',
  receive: 'receive',
  process: 'process',
};

/**
 * Copies `source`'s own enumerable attributes into `target`. Used instead of
 * object spread on every hot path: V8 (Node 20) falls off its fast path when
 * spreading objects whose dotted keys were added one by one, which is how
 * attribute objects are built, and a `{ ...attributes }` then costs
 * microseconds instead of nanoseconds (measured in bench/instrumentation).
 */
export function assignAttributes(target: Attributes, source: Attributes | undefined): Attributes {
  // Object.assign takes V8's fast copy path: about half the time of a
  // key-by-key loop for our 4–10 dotted keys (bench/instrumentation/micro.mjs).
  return source ? Object.assign(target, source) : target;
}

/** The attributes every messaging span starts with (broker ones first, never replacing ours). */
export function messagingAttributes(
  info: MessagingSpanInfo,
  operationType: MessagingOperationType,
  semconv?: SemconvStability,
): Attributes {
  // Broker attributes first, so the required ones below always win.
  const attributes = assignAttributes(assignAttributes({}, info.routeAttributes), info.attributes);
  attributes[ATTR_MESSAGING_SYSTEM] = info.system;
  attributes[ATTR_MESSAGING_OPERATION_NAME] = info.operationName ?? operationType;
  attributes[ATTR_MESSAGING_OPERATION_TYPE] = operationType;
  // '' when the operation has no single destination (amqplib ackAll).
  if (info.destination) attributes[ATTR_MESSAGING_DESTINATION_NAME] = info.destination;
  if (info.anonymous) attributes[ATTR_MESSAGING_DESTINATION_ANONYMOUS] = true;
  if (info.consumerGroup) attributes[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = info.consumerGroup;
  if (info.server) {
    attributes[ATTR_SERVER_ADDRESS] = info.server.address;
    if (info.server.port !== undefined) attributes[ATTR_SERVER_PORT] = info.server.port;
  }
  if (semconv?.dup) {
    const legacy = LEGACY_OPERATION[operationType];
    if (legacy) attributes[ATTR_LEGACY_MESSAGING_OPERATION] = legacy;
    if (info.destination) attributes[ATTR_LEGACY_MESSAGING_DESTINATION] = info.destination;
    if (info.consumerGroup && info.system === MESSAGING_SYSTEM_KAFKA) {
      attributes[ATTR_LEGACY_MESSAGING_KAFKA_CONSUMER_GROUP] = info.consumerGroup;
    }
  }
  return attributes;
}

/**
 * Attributes for the semconv metrics: the low-cardinality subset of the span
 * attributes. Message ids, keys, offsets and partitions never go on metrics;
 * anonymous destinations are left out.
 */
export function metricAttributes(info: MessagingSpanInfo, operationType: MessagingOperationType): Attributes {
  const attributes = assignAttributes({}, info.routeAttributes);
  attributes[ATTR_MESSAGING_SYSTEM] = info.system;
  attributes[ATTR_MESSAGING_OPERATION_NAME] = info.operationName ?? operationType;
  attributes[ATTR_MESSAGING_OPERATION_TYPE] = operationType;
  if (info.destination && !info.anonymous) attributes[ATTR_MESSAGING_DESTINATION_NAME] = info.destination;
  if (info.consumerGroup) attributes[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = info.consumerGroup;
  if (info.server) {
    attributes[ATTR_SERVER_ADDRESS] = info.server.address;
    if (info.server.port !== undefined) attributes[ATTR_SERVER_PORT] = info.server.port;
  }
  return attributes;
}

// Spec: span name is `{messaging.operation.name} {destination}`; the
// destination is omitted when there is none, or when it is temporary or
// anonymous (its name would make span names unbounded).
export function spanName(info: MessagingSpanInfo, operationType: MessagingOperationType): string {
  const operation = info.operationName ?? operationType;
  return info.destination && !info.anonymous ? `${operation} ${info.destination}` : operation;
}

/** Starts a messaging span with the semconv name and start attributes. */
export function startMessagingSpan(
  tracer: Tracer,
  info: MessagingSpanInfo,
  operationType: MessagingOperationType,
  kind: SpanKind,
  parent: Context,
  extra?: { links?: Link[]; attributes?: Attributes; semconv?: SemconvStability },
): Span {
  const attributes = assignAttributes(
    messagingAttributes(info, operationType, extra?.semconv),
    extra?.attributes,
  );
  const links = extra?.links ?? info.links ?? [];
  return tracer.startSpan(spanName(info, operationType), { kind, attributes, links }, parent);
}

/**
 * Links of a span that has none. Shared and frozen: the SDK copies the links
 * it is given, so a span without links costs no array of its own.
 */
export const NO_LINKS: Link[] = Object.freeze([]) as unknown as Link[];

/**
 * One fresh object with the attributes of the sources in order (a later one
 * wins on a shared key); undefined sources are skipped. Built in one pass so
 * a span's start attributes are copied once, not once per layer.
 */
export function mergeAttributes(
  a: Attributes | undefined,
  b: Attributes | undefined,
  c?: Attributes,
  d?: Attributes,
): Attributes {
  // Object.assign skips undefined sources; see assignAttributes for why not spread.
  const target: Attributes = {};
  Object.assign(target, a, b, c, d);
  return target;
}

/**
 * Starts a messaging span from a cached route (../messaging/routes.ts): the
 * name and the route's attributes are built once per route, so a message
 * without broker-specific attributes builds nothing here. `broker`
 * attributes go first so the conventions' own always win; `extra` and `last`
 * (pathway, message, batch size) after them. Every attribute is passed at
 * start, where samplers see it.
 */
export function startRouteSpan(
  tracer: Tracer,
  route: { readonly spanName: string; readonly spanAttributes: Attributes },
  kind: SpanKind,
  parent: Context,
  links: Link[],
  broker?: Attributes,
  extra?: Attributes,
  last?: Attributes,
): Span {
  // The route's object is shared by every span of the route: never handed
  // out for changes, only as is when nothing is added to it.
  const attributes =
    broker === undefined && extra === undefined && last === undefined
      ? route.spanAttributes
      : mergeAttributes(broker, route.spanAttributes, extra, last);
  return tracer.startSpan(route.spanName, { kind, attributes, links }, parent);
}

/** A started process span and the context to run the handler in. */
export interface ProcessSpan {
  span: Span;
  context: Context;
}

/**
 * Where a process span goes under `parentMode` (see {@link ParentMode}): its
 * parent context and the links it starts with. `creationContext` is the
 * producer's context extracted from the message; when it is missing every
 * mode falls back to the ambient context as parent. Other values of the
 * ambient context (baggage, framework keys) are kept in every mode.
 */
export function processPlacement(
  ambient: Context,
  creationContext: SpanContext | undefined,
  parentMode: ParentMode,
): { parent: Context; links: Link[] } {
  const links: Link[] = [];
  const producer = creationContext && isSpanContextValid(creationContext) ? creationContext : undefined;
  if (!producer) return { parent: ambient, links };
  if (parentMode === 'link') {
    links.push({ context: producer });
    return { parent: ambient, links };
  }
  // The producer becomes the parent; the ambient span (e.g. an HTTP server
  // span in a push endpoint) is kept as a link when asked for, per
  // messaging-spans.md "Message creation context as parent of Process span".
  const ambientSpan = trace.getSpanContext(ambient);
  if (parentMode === 'parent+ambient-link' && ambientSpan && isSpanContextValid(ambientSpan)) {
    links.push({ context: ambientSpan });
  }
  return { parent: trace.setSpanContext(ambient, producer), links };
}

/**
 * Starts a CONSUMER "process" span for one message, placed according to
 * `parentMode` (see {@link processPlacement}).
 */
export function startProcessSpan(
  tracer: Tracer,
  info: MessagingSpanInfo,
  creationContext: SpanContext | undefined,
  parentMode: ParentMode,
): ProcessSpan {
  const placement = processPlacement(context.active(), creationContext, parentMode);
  const span = startMessagingSpan(
    tracer,
    info,
    MESSAGING_OPERATION_TYPE_PROCESS,
    SpanKind.CONSUMER,
    placement.parent,
    { links: [...(info.links ?? []), ...placement.links] },
  );
  return { span, context: trace.setSpan(placement.parent, span) };
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
    warnFailure(what, err);
    return fallback;
  }
}

/**
 * What {@link guarded} logs when instrumentation code fails. Per-message hot
 * paths use try/catch with this directly: a closure per call to `guarded`
 * is an allocation per message.
 */
export function warnFailure(what: string, err: unknown): void {
  diag.warn(`@signalbox/instrumentation: ${what} failed; continuing without it`, err);
}
