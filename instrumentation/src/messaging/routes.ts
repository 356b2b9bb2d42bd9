import type { Attributes } from '@opentelemetry/api';
import { metricSeries, type MetricSeries } from '../metrics/series.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_SYSTEM,
  ATTR_PATHWAY_HASH,
  ATTR_PATHWAY_HOPS,
  ATTR_PATHWAY_PARENT_HASH,
  type MessagingOperationType,
} from '../semconv.js';
import {
  errorType,
  messagingAttributes,
  metricAttributes,
  spanName,
  type MessagingSpanInfo,
} from '../spans.js';
import type { SemconvStability } from './stability.js';

/*
 * Everything about an operation that depends only on its route (system,
 * destination, operation, consumer group, server), built once per route and
 * reused for every message: the span name, the span attributes the
 * conventions define, and the metric attribute sets with their keys. The
 * per-message work is then a cache lookup instead of building strings and
 * objects, and a metric record is a Map lookup by a precomputed key.
 */

/** Per-pathway metric series of a delivery route. */
export interface DeliveryPathwaySeries {
  edge: MetricSeries;
  /** pathway.latency series per hop count. */
  byHops: Map<number, MetricSeries>;
}

export interface Route {
  readonly spanName: string;
  /** Span start attributes of the route (no broker-specific ones). Never modified. */
  readonly spanAttributes: Attributes;
  /** `messaging.*` metric attributes (operation duration, counts). */
  readonly metric: MetricSeries;
  /** Lazily built: redeliveries' attributes (system, destination, consumer group). */
  delivery?: MetricSeries;
  /** Delivery latency series per pathway hash. */
  deliveryPathways?: Map<string, DeliveryPathwaySeries>;
  /** The last pathway looked up in deliveryPathways (a consumer mostly sees one). */
  lastDeliveryPathway?: { hash: string; series: DeliveryPathwaySeries };
  /** pathway.sent series per pathway hash (its parent hash is a function of it). */
  sentPathways?: Map<string, MetricSeries>;
  /** Pathway of a send on this route, per parent hash: its hash and span attributes. */
  pathwayHashes?: Map<string, { hash: string; attributes: Attributes }>;
}

// Generated destination names are marked anonymous, but a service that sends
// to unbounded names (per-user queues) would still grow a cache without
// limit: past this many routes the cache starts over.
const MAX_ROUTES = 2048;
const MAX_PER_ROUTE = 256;

interface CachedRoute extends Route {
  readonly identity: RouteIdentity;
}

interface RouteIdentity {
  readonly operationType: MessagingOperationType;
  readonly dup: boolean;
  readonly system: string;
  readonly operationName: string | undefined;
  readonly anonymous: boolean;
  readonly consumerGroup: string | undefined;
  readonly serverAddress: string | undefined;
  readonly serverPort: number | undefined;
  readonly routeAttributes: Attributes | undefined;
}

/** Route attributes are one or two keys, mostly the same object per consumer: compared shallowly. */
function sameAttributes(a: Attributes | undefined, b: Attributes | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => a[key] === b[key]);
}

function sameRoute(
  identity: RouteIdentity,
  info: MessagingSpanInfo,
  operationType: MessagingOperationType,
  dup: boolean,
): boolean {
  return (
    identity.operationType === operationType &&
    identity.dup === dup &&
    identity.system === info.system &&
    identity.operationName === info.operationName &&
    identity.anonymous === (info.anonymous === true) &&
    identity.consumerGroup === info.consumerGroup &&
    identity.serverAddress === info.server?.address &&
    identity.serverPort === info.server?.port &&
    sameAttributes(identity.routeAttributes, info.routeAttributes)
  );
}

/**
 * A route cache; one per runtime. Looked up by destination, then by
 * comparing the few other fields, so a lookup builds no key string.
 */
export class RouteCache {
  private readonly byDestination = new Map<string, CachedRoute[]>();

  get(info: MessagingSpanInfo, operationType: MessagingOperationType, semconv: SemconvStability): Route {
    const dup = semconv.dup;
    let candidates = this.byDestination.get(info.destination);
    if (candidates !== undefined) {
      for (const route of candidates) {
        if (sameRoute(route.identity, info, operationType, dup)) return route;
      }
    } else {
      if (this.byDestination.size >= MAX_ROUTES) this.byDestination.clear();
      candidates = [];
      this.byDestination.set(info.destination, candidates);
    }
    const routeInfo: MessagingSpanInfo = {
      system: info.system,
      destination: info.destination,
      anonymous: info.anonymous,
      operationName: info.operationName,
      consumerGroup: info.consumerGroup,
      server: info.server,
      routeAttributes: info.routeAttributes,
    };
    const route: CachedRoute = {
      identity: {
        operationType,
        dup,
        system: info.system,
        operationName: info.operationName,
        anonymous: info.anonymous === true,
        consumerGroup: info.consumerGroup,
        serverAddress: info.server?.address,
        serverPort: info.server?.port,
        routeAttributes: info.routeAttributes,
      },
      spanName: spanName(routeInfo, operationType),
      spanAttributes: messagingAttributes(routeInfo, operationType, semconv),
      metric: metricSeries(metricAttributes(routeInfo, operationType)),
    };
    if (candidates.length >= MAX_PER_ROUTE) candidates.length = 0;
    candidates.push(route);
    return route;
  }
}

function bounded<K, V>(map: Map<K, V>): Map<K, V> {
  if (map.size >= MAX_PER_ROUTE) map.clear();
  return map;
}

function deliveryBase(info: MessagingSpanInfo): Attributes {
  const base: Attributes = Object.assign({}, info.routeAttributes);
  base[ATTR_MESSAGING_SYSTEM] = info.system;
  if (!info.anonymous) base[ATTR_MESSAGING_DESTINATION_NAME] = info.destination;
  if (info.consumerGroup) base[ATTR_MESSAGING_CONSUMER_GROUP_NAME] = info.consumerGroup;
  return base;
}

/** The redeliveries series of a delivery route. */
export function deliverySeries(route: Route, info: MessagingSpanInfo): MetricSeries {
  route.delivery ??= metricSeries(deliveryBase(info));
  return route.delivery;
}

/**
 * The edge.latency series of a delivery on `route` carrying pathway `hash`,
 * with its pathway.latency series per hop count ({@link hopsSeries}).
 */
export function latencySeries(route: Route, info: MessagingSpanInfo, hash: string): DeliveryPathwaySeries {
  // Each message's hash is a new string: comparing 16 characters is cheaper
  // than hashing them for the Map.
  const last = route.lastDeliveryPathway;
  if (last !== undefined && last.hash === hash) return last.series;
  const pathways = (route.deliveryPathways ??= new Map<string, DeliveryPathwaySeries>());
  let entry = pathways.get(hash);
  if (entry === undefined) {
    const edge = deliveryBase(info);
    edge[ATTR_PATHWAY_HASH] = hash;
    entry = { edge: metricSeries(edge), byHops: new Map<number, MetricSeries>() };
    bounded(pathways).set(hash, entry);
  }
  route.lastDeliveryPathway = { hash, series: entry };
  return entry;
}

/** The pathway.latency series of a delivery with `hops` hops on the pathway of `entry`. */
export function hopsSeries(entry: DeliveryPathwaySeries, hops: number): MetricSeries {
  let pathway = entry.byHops.get(hops);
  if (pathway === undefined) {
    const withHops = Object.assign({}, entry.edge.attributes);
    withHops[ATTR_PATHWAY_HOPS] = hops;
    pathway = metricSeries(withHops);
    bounded(entry.byHops).set(hops, pathway);
  }
  return pathway;
}

/** The pathway.sent series of a send on `route`. */
export function sentPathwaySeries(
  route: Route,
  info: MessagingSpanInfo,
  hash: string,
  parentHash: string,
): MetricSeries {
  const sent = (route.sentPathways ??= new Map<string, MetricSeries>());
  let series = sent.get(hash);
  if (series === undefined) {
    const attributes: Attributes = {};
    attributes[ATTR_PATHWAY_HASH] = hash;
    attributes[ATTR_PATHWAY_PARENT_HASH] = parentHash;
    attributes[ATTR_MESSAGING_SYSTEM] = info.system;
    if (!info.anonymous) attributes[ATTR_MESSAGING_DESTINATION_NAME] = info.destination;
    series = metricSeries(attributes);
    bounded(sent).set(hash, series);
  }
  return series;
}

/** `series` plus `error.type` for a failed operation (rare: built per failure). */
export function withErrorType(series: MetricSeries, error: unknown): MetricSeries {
  const attributes = Object.assign({}, series.attributes);
  attributes[ATTR_ERROR_TYPE] = errorType(error);
  return metricSeries(attributes);
}
