import { context, SpanKind, trace, type SpanContext } from '@opentelemetry/api';
import { MESSAGING_OPERATION_TYPE_SETTLE } from '../semconv.js';
import { startRouteSpan, type MessagingSpanInfo } from '../spans.js';
import { Operation, type MessagingOperation } from './operation.js';
import { withErrorType } from './routes.js';
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
  const settleInfo: MessagingSpanInfo = Object.assign({}, info, { operationName });
  const measured = options?.measured ?? true;
  const ambient = context.active();
  let links = info.links ?? [];
  if (creationContext) links = [...links, { context: creationContext }];
  const route = runtime.routes.get(settleInfo, MESSAGING_OPERATION_TYPE_SETTLE, runtime.semconv);
  const span = startRouteSpan(runtime.tracer, route, settleInfo, SpanKind.CLIENT, ambient, links);
  return new Operation(span, trace.setSpan(ambient, span), (error, seconds) => {
    if (!measured) return;
    runtime.instruments.operationDuration.record(
      seconds,
      error ? withErrorType(route.metric, error.value) : route.metric,
    );
  });
}
