import type { MessagingSpan } from '@/lib/model/span';
import { type PathwayEdge, type SeriesDims, seriesKey } from '@/lib/model/series';
import {
  type DeliveryResolver,
  type PendingDelivery,
  type ResolvedDelivery,
  sendKey,
} from './delivery-resolver';
import type { Dictionary } from './dictionary';
import type { RollupAccumulator } from './rollup-accumulator';
import { type SpanShape, genericShape, sameShape, shapeKey, shapeOf, spanSeriesDims } from './span-shapes';

export interface PlannedSpan {
  span: MessagingSpan;
  shapeId: number;
  /** Send → start latency of a process or receive span, when known now. */
  latencyUs: number | null;
}

/** Everything one transaction writes for a group of spans, besides the rollups. */
export interface SpanWritePlan {
  spans: PlannedSpan[];
  /** Deliveries of earlier batches completed by a send in this one. */
  lateDeliveries: ResolvedDelivery[];
  newPending: PendingDelivery[];
  resolvedPendingIds: number[];
  pathways: PathwayEdge[];
}

export interface SpanPlanContext {
  shapes: Dictionary<SpanShape>;
  series: Dictionary<SeriesDims>;
  resolver: DeliveryResolver;
  rollups: RollupAccumulator;
  /** Start times of the given producer spans found in the store (key = traceId + spanId). */
  lookupSends: (producers: { traceId: string; spanId: string }[]) => Promise<Map<string, number>>;
  nowUs: number;
}

interface SeriesIds {
  publish: number | null;
  delivery: number | null;
  /** Only for receive shapes: other shapes never feed it, so it is not created for them. */
  receive: number | null;
  process: number | null;
}

type Producer = { traceId: string; spanId: string };

const OVERFLOW_SHAPE = 0;

/**
 * Plans the write of a group of spans: shape ids, rollup contributions
 * (publish, delivery, receive, process and pathway latency) and delivery joins.
 * Receive spans are joined to their sends like process spans, into their own
 * series: a consumer may report both for the same messages (analytics pick one).
 * Pure apart from the one store lookup for producers not seen recently.
 */
export async function planSpans(
  spans: readonly MessagingSpan[],
  ctx: SpanPlanContext,
): Promise<SpanWritePlan> {
  const plan: SpanWritePlan = {
    spans: [],
    lateDeliveries: [],
    newPending: [],
    resolvedPendingIds: [],
    pathways: [],
  };
  const seriesId = (dims: SeriesDims | null) =>
    dims === null ? null : ctx.series.idFor(seriesKey(dims), () => dims);
  // Series depend only on the shape: resolved once per shape per batch.
  const byShape = new Map<number, SeriesIds>();
  const seriesOf = (shapeId: number, shape: SpanShape): SeriesIds => {
    let ids = byShape.get(shapeId);
    if (!ids) {
      ids = {
        publish: seriesId(spanSeriesDims(shape, 'publish')),
        delivery: seriesId(spanSeriesDims(shape, 'delivery')),
        receive: shape.operationType === 'receive' ? seriesId(spanSeriesDims(shape, 'receive')) : null,
        process: seriesId(spanSeriesDims(shape, 'process')),
      };
      byShape.set(shapeId, ids);
    }
    return ids;
  };
  const observe = (id: number, startUs: number, latencyUs: number) =>
    ctx.rollups.observe(id, startUs, Math.max(0, latencyUs) / 1e6);

  const sends = new Map<string, number>();
  // Process and receive spans to join to their sends, with the series their latency goes to.
  const joins: { planned: PlannedSpan; latencySeries: number }[] = [];
  // The shape object is only built when a shape is new (once per distinct shape, not per span).
  const shapeById = new Map<number, SpanShape>();
  // Spans arrive grouped by service and scope, so a span usually has the shape of the one before:
  // comparing its fields (interned strings, mostly the same objects) skips building the key.
  let previous: { span: MessagingSpan; shapeId: number; shape: SpanShape } | null = null;
  for (const span of spans) {
    let shapeId: number | null;
    let shape: SpanShape;
    if (previous !== null && sameShape(previous.span, span)) {
      shapeId = previous.shapeId;
      shape = previous.shape;
    } else {
      shapeId = ctx.shapes.idFor(shapeKey(span), () => shapeOf(span));
      if (shapeId === null) {
        shape = genericShape(span);
        const generic = shape;
        shapeId = ctx.shapes.idFor(shapeKey(generic), () => generic) ?? OVERFLOW_SHAPE;
      } else {
        shape = shapeById.get(shapeId) ?? shapeOf(span);
        shapeById.set(shapeId, shape);
      }
      previous = { span, shapeId, shape };
    }
    const planned: PlannedSpan = { span, shapeId, latencyUs: null };
    plan.spans.push(planned);
    const ids = seriesOf(shapeId, shape);
    if (span.operationType === 'send' || span.operationType === 'create') {
      sends.set(sendKey(span.traceId, span.spanId), span.startTimeUs);
      if (span.operationType === 'send' && ids.publish !== null) {
        const messages = span.batchMessageCount ?? 1;
        ctx.rollups.count(ids.publish, span.startTimeUs, messages, span.statusCode === 2 ? messages : 0);
        ctx.rollups.observe(ids.publish, span.startTimeUs, span.durationUs / 1e6);
      }
      if (span.pathway && span.pathway.parentHash !== null && span.destination !== null) {
        plan.pathways.push({
          hash: span.pathway.hash,
          parentHash: span.pathway.parentHash,
          service: span.service,
          system: span.system,
          destination: span.destination,
          hops: null,
          seenUs: span.startTimeUs,
        });
      }
    } else if (span.operationType === 'process') {
      if (ids.delivery !== null) {
        ctx.rollups.count(ids.delivery, span.startTimeUs, 1, span.statusCode === 2 ? 1 : 0);
        joins.push({ planned, latencySeries: ids.delivery });
      }
      if (ids.process !== null) ctx.rollups.observe(ids.process, span.startTimeUs, span.durationUs / 1e6);
      const origin = span.pathway?.originMs;
      if (span.pathway && origin != null) {
        const pathwayId = seriesId(spanSeriesDims(shape, 'pathway', span.pathway.hash));
        if (pathwayId !== null) observe(pathwayId, span.startTimeUs, span.startTimeUs - origin * 1000);
      }
    } else if (span.operationType === 'receive' && ids.receive !== null) {
      const messages = span.batchMessageCount ?? 1;
      ctx.rollups.count(ids.receive, span.startTimeUs, messages, span.statusCode === 2 ? messages : 0);
      joins.push({ planned, latencySeries: ids.receive });
    }
  }

  const fromPending = ctx.resolver.stageSends(sends);
  plan.resolvedPendingIds = fromPending.pendingIds;
  for (const d of fromPending.resolved) {
    plan.lateDeliveries.push(d);
    observe(d.seriesId, d.startUs, d.latencyUs);
  }
  const measured = (p: PlannedSpan, id: number, sentUs: number) => {
    p.latencyUs = p.span.startTimeUs - sentUs;
    observe(id, p.span.startTimeUs, p.latencyUs);
  };

  const unresolved: { planned: PlannedSpan; latencySeries: number; producers: Producer[] }[] = [];
  for (const { planned, latencySeries } of joins) {
    const span = planned.span;
    const sendMs = span.pathway?.sendMs;
    if (sendMs != null) {
      measured(planned, latencySeries, sendMs * 1000);
      continue;
    }
    const producers: Producer[] = [...span.links];
    if (span.parentSpanId) producers.push({ traceId: span.traceId, spanId: span.parentSpanId });
    let sentUs: number | undefined;
    for (const p of producers) sentUs ??= ctx.resolver.knownSendUs(p.traceId, p.spanId, sends);
    if (sentUs !== undefined) measured(planned, latencySeries, sentUs);
    else if (producers.length > 0) unresolved.push({ planned, latencySeries, producers });
  }
  if (unresolved.length === 0) return plan;

  const found = await ctx.lookupSends(unresolved.flatMap((u) => u.producers));
  for (const { planned, latencySeries, producers } of unresolved) {
    let sentUs: number | undefined;
    for (const p of producers) sentUs ??= found.get(sendKey(p.traceId, p.spanId));
    if (sentUs !== undefined) {
      measured(planned, latencySeries, sentUs);
      continue;
    }
    // Wait for the producer named first (the link in link mode, the parent otherwise).
    const span = planned.span;
    const pending = ctx.resolver.stagePending({
      startUs: span.startTimeUs,
      seriesId: latencySeries,
      traceId: span.traceId,
      spanId: span.spanId,
      messageId: span.messageId,
      receivedUs: ctx.nowUs,
      producerTraceId: producers[0]!.traceId,
      producerSpanId: producers[0]!.spanId,
    });
    if (pending) plan.newPending.push(pending);
  }
  return plan;
}
