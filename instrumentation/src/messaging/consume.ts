import {
  context,
  isSpanContextValid,
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { setConsumedPathway } from '../pathway/context.js';
import type { MessageCarrier } from '../propagation/carrier.js';
import {
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  MESSAGING_OPERATION_TYPE_PROCESS,
  MESSAGING_OPERATION_TYPE_RECEIVE,
} from '../semconv.js';
import { guarded, NO_LINKS, startRouteSpan, type MessagingSpanInfo } from '../spans.js';
import {
  pathwaySpanAttributes,
  recordDelivery,
  recordDeliveryOn,
  type Delivery,
  type DeliveryExtras,
} from './delivery.js';
import { Operation, type MessagingOperation } from './operation.js';
import { withErrorType, type Route } from './routes.js';
import type { MessagingRuntime } from './runtime.js';

/** Extras for {@link beginProcess}. */
export interface ProcessExtras extends DeliveryExtras {
  /**
   * The message was already recorded as delivered (by a receive or a batch
   * hand-off): its consumed count and latencies are not recorded again.
   */
  delivery?: Delivery;
}

/** A started process operation, with what was read from the message. */
export interface ProcessOperation extends MessagingOperation {
  /** The message's creation context and pathway (for settle links). */
  readonly delivery: Delivery;
}

/** A process operation: records `messaging.process.duration` when it ends. */
class ProcessOp extends Operation implements ProcessOperation {
  constructor(
    span: Span,
    ctx: Context,
    private readonly runtime: MessagingRuntime,
    private readonly route: Route,
    readonly delivery: Delivery,
  ) {
    super(span, ctx);
  }

  protected override recordEnd(error: { value: unknown } | undefined, seconds: number): void {
    const metric = this.route.metric;
    this.runtime.instruments.processDuration.record(
      seconds,
      error ? withErrorType(metric, error.value) : metric,
    );
  }
}

function withLink(links: Link[] | undefined, link: Link): Link[] {
  return links === undefined || links.length === 0 ? [link] : [...links, link];
}

/**
 * Starts the CONSUMER `process {destination}` span for one message handed to
 * a handler, placed per the runtime's parentMode, with the pathway from the
 * message made current so sends inside the handler continue it. Records the
 * delivery metrics (unless `extras.delivery` says they were recorded) now and
 * `messaging.process.duration` when the operation ends. Run the handler with
 * `run`. Adapters call it through `guarded` and fall back to the bare handler.
 */
export function beginProcess(
  runtime: MessagingRuntime,
  info: MessagingSpanInfo,
  carrier: MessageCarrier,
  extras?: ProcessExtras,
): ProcessOperation {
  const route = runtime.routes.get(info, MESSAGING_OPERATION_TYPE_PROCESS, runtime.semconv);
  const delivery = extras?.delivery ?? recordDeliveryOn(runtime, info, route, carrier, extras);
  // Placement per parentMode, as processPlacement (../spans.ts) does it,
  // without its result object; a Delivery's creation context is always valid.
  const ambient = context.active();
  const producer = delivery.creationContext;
  let parent = ambient;
  let links = info.links;
  if (producer !== undefined) {
    if (runtime.parentMode === 'link') {
      links = withLink(links, { context: producer });
    } else {
      const ambientSpan = trace.getSpanContext(ambient);
      if (runtime.parentMode === 'parent+ambient-link' && ambientSpan && isSpanContextValid(ambientSpan)) {
        links = withLink(links, { context: ambientSpan });
      }
      parent = trace.setSpanContext(ambient, producer);
    }
  }
  const span = startRouteSpan(
    runtime.tracer,
    route,
    SpanKind.CONSUMER,
    parent,
    links ?? NO_LINKS,
    info.attributes,
  );
  // Not sampling-relevant (messaging-spans.md lists which are): set only on
  // a span that records, so a sampled-out message builds no object for them.
  if (delivery.pathway && span.isRecording()) {
    span.setAttributes(pathwaySpanAttributes(delivery.pathway) as Attributes);
  }
  let handlerContext = trace.setSpan(parent, span);
  if (delivery.pathway) handlerContext = setConsumedPathway(handlerContext, delivery.pathway);
  return new ProcessOp(span, handlerContext, runtime, route, delivery);
}

/**
 * Runs `handler` for one message inside its own process span (see
 * {@link beginProcess}): the helper for batch and pull consumers, so each
 * message gets real process boundaries rather than the batch's timing.
 * Returns what the handler returns; its errors are recorded and rethrown.
 */
export function processMessage<T>(
  runtime: MessagingRuntime,
  info: MessagingSpanInfo,
  carrier: MessageCarrier,
  handler: () => T,
  extras?: ProcessExtras,
): T {
  const operation = guarded(
    'process instrumentation',
    () => beginProcess(runtime, info, carrier, extras),
    undefined,
  );
  return operation ? operation.run(handler) : handler();
}

/** A started pull (receive) operation. */
export interface ReceiveOperation extends MessagingOperation {
  /**
   * Reports the messages the pull returned: links the receive span to each
   * one's creation context, records their delivery metrics, and returns one
   * {@link Delivery} per carrier for `processMessage`/`beginProcess`. Call it
   * at most once, before ending (also with an empty list).
   */
  received(carriers: readonly MessageCarrier[], extras?: readonly (DeliveryExtras | undefined)[]): Delivery[];
  /** The deliveries reported so far. */
  readonly deliveries: readonly Delivery[];
}

/** Options for {@link beginReceive}. */
export interface ReceiveOptions {
  /**
   * Record `messaging.client.operation.duration` when it ends (default true).
   * False when the span only marks a hand-off whose fetch we never saw (a
   * kafkajs eachBatch): a near-zero duration would misstate the broker call.
   */
  measured?: boolean;
}

/**
 * Starts the CLIENT `receive {destination}` span of a pull API (amqplib
 * `get`, SQS ReceiveMessage, JetStream fetch). The messages are usually known
 * only when the call returns: pass them to `received`, which adds a link per
 * message (with its pathway as link attributes). Pass `carriers` here when
 * they are known before the span starts, so samplers see the links.
 */
export function beginReceive(
  runtime: MessagingRuntime,
  info: MessagingSpanInfo,
  carriers?: readonly MessageCarrier[],
  options?: ReceiveOptions,
): ReceiveOperation {
  const ambient = context.active();
  const deliveries: Delivery[] = [];
  const linksFor = (batch: readonly MessageCarrier[], extras?: readonly (DeliveryExtras | undefined)[]) => {
    const links: Link[] = [];
    batch.forEach((carrier, i) => {
      const delivery = recordDelivery(runtime, info, MESSAGING_OPERATION_TYPE_RECEIVE, carrier, extras?.[i]);
      deliveries.push(delivery);
      if (delivery.creationContext) {
        const attributes: Attributes | undefined = pathwaySpanAttributes(delivery.pathway);
        links.push(
          attributes
            ? { context: delivery.creationContext, attributes }
            : { context: delivery.creationContext },
        );
      }
    });
    return links;
  };

  const startLinks = carriers ? linksFor(carriers) : [];
  const route = runtime.routes.get(info, MESSAGING_OPERATION_TYPE_RECEIVE, runtime.semconv);
  const span = startRouteSpan(
    runtime.tracer,
    route,
    SpanKind.CLIENT,
    ambient,
    info.links ? [...info.links, ...startLinks] : startLinks,
    info.attributes,
    carriers && carriers.length !== 1 ? { [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: carriers.length } : undefined,
  );
  let reported = carriers !== undefined;
  const measured = options?.measured ?? true;
  const operation = new Operation(span, trace.setSpan(ambient, span), (error, seconds) => {
    if (!measured) return;
    runtime.instruments.operationDuration.record(
      seconds,
      error ? withErrorType(route.metric, error.value) : route.metric,
    );
  });
  return Object.assign(operation, {
    deliveries,
    received(batch: readonly MessageCarrier[], extras?: readonly (DeliveryExtras | undefined)[]): Delivery[] {
      if (reported) return deliveries;
      reported = true;
      return guarded(
        'receive instrumentation',
        () => {
          const links = linksFor(batch, extras);
          if (links.length > 0) span.addLinks(links);
          if (batch.length !== 1) span.setAttribute(ATTR_MESSAGING_BATCH_MESSAGE_COUNT, batch.length);
          return deliveries;
        },
        deliveries,
      );
    },
  });
}
