import { context, SpanKind, trace, type Context, type Span, type SpanContext } from '@opentelemetry/api';
import { MESSAGING_OPERATION_TYPE_SETTLE } from '../semconv.js';
import { NO_LINKS, startRouteSpan, type MessagingSpanInfo } from '../spans.js';
import { Operation, type MessagingOperation } from './operation.js';
import { withErrorType, type Route } from './routes.js';
import type { MessagingRuntime } from './runtime.js';

/** Options for {@link recordSettle}. */
export interface SettleOptions {
  /**
   * Record `messaging.client.operation.duration` (default true). False for
   * fire-and-forget settlements (amqplib ack/nack/reject write a frame and
   * return; the broker never answers), whose duration would only measure a
   * buffer write.
   */
  measured?: boolean;
}

/**
 * Starts a CLIENT settle span named `{operationName} {destination}` (`ack`,
 * `nack`, `reject`, `term`, `commit`, ...), a child of the active context
 * (usually the process span), linked to the message's creation context when
 * given (messaging-spans.md "Settlement"). Its duration is recorded as
 * `messaging.client.operation.duration` when it ends: run the client's
 * settle call with `run`, or call `end()` right after a fire-and-forget one.
 * Adapters call it through `guarded` and fall back to the bare call.
 */
export function recordSettle(
  runtime: MessagingRuntime,
  info: MessagingSpanInfo,
  operationName: string,
  creationContext?: SpanContext,
  options?: SettleOptions,
): MessagingOperation {
  // Adapters that know the settle's name up front pass it in `info` (no copy).
  const settleInfo: MessagingSpanInfo =
    info.operationName === operationName ? info : Object.assign({}, info, { operationName });
  const ambient = context.active();
  let links = info.links ?? NO_LINKS;
  if (creationContext)
    links = links.length === 0 ? [{ context: creationContext }] : [...links, { context: creationContext }];
  const route = runtime.routes.get(settleInfo, MESSAGING_OPERATION_TYPE_SETTLE, runtime.semconv);
  const span = startRouteSpan(runtime.tracer, route, SpanKind.CLIENT, ambient, links, settleInfo.attributes);
  return new SettleOp(span, trace.setSpan(ambient, span), runtime, route, options?.measured ?? true);
}

/** A settle operation: records `messaging.client.operation.duration` when it ends, if measured. */
class SettleOp extends Operation {
  constructor(
    span: Span,
    ctx: Context,
    private readonly runtime: MessagingRuntime,
    private readonly route: Route,
    private readonly measured: boolean,
  ) {
    super(span, ctx);
  }

  protected override recordEnd(error: { value: unknown } | undefined, seconds: number): void {
    if (!this.measured) return;
    const metric = this.route.metric;
    this.runtime.instruments.operationDuration.record(
      seconds,
      error ? withErrorType(metric, error.value) : metric,
    );
  }
}
