import type { Attributes, SpanContext } from '@opentelemetry/api';
import { parsePathway, PATHWAY_HEADER, type PathwayHeader } from '../pathway/header.js';
import { extractSpanContext, type MessageCarrier } from '../propagation/carrier.js';
import {
  ATTR_PATHWAY_HASH,
  ATTR_PATHWAY_HOPS,
  ATTR_PATHWAY_ORIGIN_MS,
  ATTR_PATHWAY_SEND_MS,
  type MessagingOperationType,
} from '../semconv.js';
import { guarded, type MessagingSpanInfo } from '../spans.js';
import { deliverySeries, latencySeries } from './routes.js';
import type { MessagingRuntime } from './runtime.js';

/** What the broker says about one delivery, beyond its headers. */
export interface DeliveryExtras {
  /** The broker marks this delivery as a redelivery (AMQP `redelivered`, JetStream deliveryCount > 1, ...). */
  redelivered?: boolean;
}

/**
 * One message as handed to the application, read once: its creation context
 * and pathway header. Produced by `recordDelivery` (or a receive), consumed by
 * `beginProcess` / `processMessage`.
 */
export interface Delivery {
  /** The producer's context from the message headers, when valid. */
  readonly creationContext: SpanContext | undefined;
  /** The decoded `signalbox-pathway` header, when valid. */
  readonly pathway: PathwayHeader | undefined;
}

/** Reads a message's creation context and pathway header without recording anything. Never throws. */
export function readDelivery(runtime: MessagingRuntime, carrier: MessageCarrier): Delivery {
  const creationContext = guarded('extract trace context', () => extractSpanContext(carrier), undefined);
  const pathway = runtime.pathway
    ? guarded(
        'read pathway header',
        () => parsePathway(carrier.get(PATHWAY_HEADER), runtime.now()),
        undefined,
      )
    : undefined;
  return { creationContext, pathway };
}

/** Span attributes describing an incoming pathway (PATHWAY.md "Span attributes"). */
export function pathwaySpanAttributes(pathway: PathwayHeader | undefined): Attributes | undefined {
  if (!pathway) return undefined;
  return {
    [ATTR_PATHWAY_HASH]: pathway.hash,
    [ATTR_PATHWAY_ORIGIN_MS]: pathway.originMs,
    [ATTR_PATHWAY_SEND_MS]: pathway.sendMs,
    [ATTR_PATHWAY_HOPS]: pathway.hops,
  };
}

/**
 * Records that one message was handed to the application: the
 * `messaging.client.consumed.messages` count, the redelivery count, and the
 * edge and pathway latencies from its pathway header (PATHWAY.md). Call it
 * exactly once per delivery; `beginProcess` does unless given a Delivery that
 * was already recorded. Never throws.
 */
export function recordDelivery(
  runtime: MessagingRuntime,
  info: MessagingSpanInfo,
  operationType: MessagingOperationType,
  carrier: MessageCarrier,
  extras?: DeliveryExtras,
): Delivery {
  const delivery = readDelivery(runtime, carrier);
  guarded('record delivery metrics', () => {
    const instruments = runtime.instruments;
    const route = runtime.routes.get(info, operationType, runtime.semconv);
    instruments.consumedMessages.add(1, route.metric);
    if (extras?.redelivered) instruments.redeliveries.add(1, deliverySeries(route, info));
    const pathway = delivery.pathway;
    if (pathway) {
      const nowMs = runtime.now();
      const series = latencySeries(route, info, pathway.hash, pathway.hops);
      // Clocks of different hosts disagree; a send "in the future" is recorded
      // as 0 rather than dropped (histograms reject negative values), so the
      // count stays exact and the skew shows up as a spike in the first bucket.
      instruments.edgeLatency.record(Math.max(0, nowMs - pathway.sendMs) / 1000, series.edge);
      instruments.pathwayLatency.record(Math.max(0, nowMs - pathway.originMs) / 1000, series.pathway);
    }
  });
  return delivery;
}
