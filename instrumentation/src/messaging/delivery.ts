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
import { warnFailure, type MessagingSpanInfo } from '../spans.js';
import { deliverySeries, hopsSeries, latencySeries, type Route } from './routes.js';
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
  /** The producer's context from the message headers; only ever set to a valid one. */
  readonly creationContext: SpanContext | undefined;
  /** The decoded `signalbox-pathway` header, when valid. */
  readonly pathway: PathwayHeader | undefined;
}

/** Reads a message's creation context and pathway header without recording anything. Never throws. */
export function readDelivery(runtime: MessagingRuntime, carrier: MessageCarrier): Delivery {
  return readDeliveryAt(runtime, carrier, runtime.pathway ? runtime.now() : 0);
}

function readDeliveryAt(runtime: MessagingRuntime, carrier: MessageCarrier, nowMs: number): Delivery {
  let creationContext: SpanContext | undefined;
  try {
    creationContext = extractSpanContext(carrier);
  } catch (err) {
    warnFailure('extract trace context', err);
  }
  let pathway: PathwayHeader | undefined;
  if (runtime.pathway) {
    try {
      pathway = parsePathway(carrier.get(PATHWAY_HEADER), nowMs);
    } catch (err) {
      warnFailure('read pathway header', err);
    }
  }
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
  let route: Route | undefined;
  try {
    route = runtime.routes.get(info, operationType, runtime.semconv);
  } catch (err) {
    warnFailure('record delivery metrics', err);
  }
  return recordDeliveryOn(runtime, info, route, carrier, extras);
}

/**
 * {@link recordDelivery} on a route the caller already looked up (a process
 * span's, so a message costs one route lookup); without a route it records
 * nothing and only reads the message. Never throws.
 */
export function recordDeliveryOn(
  runtime: MessagingRuntime,
  info: MessagingSpanInfo,
  route: Route | undefined,
  carrier: MessageCarrier,
  extras?: DeliveryExtras,
): Delivery {
  // One clock read per message: the pathway header's sanity check and both latencies.
  const nowMs = runtime.pathway ? runtime.now() : 0;
  const delivery = readDeliveryAt(runtime, carrier, nowMs);
  if (route === undefined) return delivery;
  try {
    const instruments = runtime.instruments;
    instruments.consumedMessages.add(1, route.metric);
    if (extras?.redelivered) instruments.redeliveries.add(1, deliverySeries(route, info));
    const pathway = delivery.pathway;
    if (pathway) {
      const series = latencySeries(route, info, pathway.hash);
      // Clocks of different hosts disagree; a send "in the future" is recorded
      // as 0 rather than dropped (histograms reject negative values), so the
      // count stays exact and the skew shows up as a spike in the first bucket.
      instruments.edgeLatency.record(Math.max(0, nowMs - pathway.sendMs) / 1000, series.edge);
      instruments.pathwayLatency.record(
        Math.max(0, nowMs - pathway.originMs) / 1000,
        hopsSeries(series, pathway.hops),
      );
    }
  } catch (err) {
    warnFailure('record delivery metrics', err);
  }
  return delivery;
}
