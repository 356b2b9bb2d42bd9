import type { TopologyRead } from '@/lib/brokers/rabbitmq/topology-cache';
import type { SeriesTotals, TelemetryStore } from '@/lib/store/types';
import { percentilesMs } from '@/lib/model/histogram';
import { type EdgeFigures, type EdgeKind, edgeFigures } from './edge-figures';
import type { Source } from './series-pick';
import type { TimeRange } from './time-range';
import { type DestinationRole, destinationRole } from './topology/destination-role';
import { deliverySource, jetstreamStream } from './topology/jetstream-routes';
import type { BindingsStatus, RabbitTopology } from '@/lib/model/rabbitmq-topology';
import { type RouteVia, brokerRouting } from './topology/routes';

export type { Source };

export interface FlowNode {
  id: string;
  kind: 'service' | 'destination';
  name: string;
  /** messaging.system for destinations; null for services (they may use several). */
  system: string | null;
  /** For destinations, what it is in its broker's vocabulary (exchange, queue, subject, filter…), when known. */
  role: DestinationRole | null;
  /** What to call it on the page: the queue or exchange alone where `name` spells out the whole route. */
  label: string;
  /** A RabbitMQ exchange's type (direct, topic, fanout, headers or a plugin's), when the management API says. */
  exchangeType?: string;
  /** Why no queue receives what is published here, when RabbitMQ's bindings say so (never claimed without them). */
  unroutable?: string;
}

/**
 * A consumer group reading a destination. Groups are not graph nodes (the
 * graph stays service → destination → service, and `FlowNode.kind` keeps its
 * two values); each delivery edge names its group in `consumerGroup`, and
 * this list summarises the groups for views that want them as entities.
 */
export interface FlowConsumerGroup {
  id: string;
  name: string;
  system: string;
  destination: string;
  /** The destination node this group reads. */
  destinationId: string;
  /** Services (nodes) consuming as members of this group. */
  serviceIds: string[];
  messages: number;
  errors: number;
  ratePerSecond: number;
}

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  /**
   * `publish`: a service sending to a destination; `deliver`: a destination
   * delivering to a consuming service; `route`: the broker routing from one
   * destination to another (a NATS subject to the wildcard subscription
   * that receives it, or to the JetStream stream that captures it), counting
   * what was published to the first.
   */
  kind: 'publish' | 'route' | 'deliver';
  /**
   * What the percentiles measure: `publish` = duration of the producer's send;
   * `delivery` = from the send to the start of processing (queue wait and
   * transport), the latency users feel; for a consumer that reports only
   * receive spans, from the send to the start of the receive (poll).
   */
  latencyKind: EdgeKind | 'route';
  /**
   * Delivery edges: where the latency ends — the start of processing, or the start of the receive for a
   * consumer that reports only receive spans. Null for publish edges.
   */
  deliveryEnd: 'process' | 'receive' | null;
  system: string;
  consumerGroup: string | null;
  messages: number;
  errors: number;
  /** messages per second over the window (the edge's rate). */
  ratePerSecond: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** How many latencies the percentiles summarise. */
  latencySamples: number;
  /** Where each figure came from: metrics (exact under sampling) or spans. */
  sources: { messages: Source; errors: Source; latency: Source | null };
  /**
   * Route edges that RabbitMQ's bindings give (management API): a binding, a queue's dead-letter
   * exchange (its figures are zero: nothing the graph reads counts dead letters), or an exchange's
   * alternate exchange. Absent on routes only telemetry shows.
   */
  via?: RouteVia;
  /** Why the route may not be taken: its binding matches on message headers the graph does not see. */
  uncertain?: string;
}

export interface FlowGraph {
  from: string;
  to: string;
  nodes: FlowNode[];
  edges: FlowEdge[];
  consumerGroups: FlowConsumerGroup[];
  /** Whether RabbitMQ's bindings were read from the management API; absent when it is not configured. */
  rabbitmqBindings?: BindingsStatus;
}

/** What an edge's latency measures: the send (publish), or from the send to the start of process or receive. */
export type LatencyMeasure = 'publish' | 'process' | 'receive' | 'route';

export function latencyMeasure(edge: Pick<FlowEdge, 'latencyKind' | 'deliveryEnd'>): LatencyMeasure {
  if (edge.latencyKind === 'publish' || edge.latencyKind === 'route') return edge.latencyKind;
  return edge.deliveryEnd ?? 'process';
}

const LATENCY_OF: Record<LatencyMeasure, string> = {
  publish: 'publish',
  route: 'routing (none of its own)',
  process: 'send → process',
  receive: 'send → receive',
};

/** What an edge's latency measures, as the tables' "Latency of" column says it. */
export const latencyOf = (edge: Pick<FlowEdge, 'latencyKind' | 'deliveryEnd'>) =>
  LATENCY_OF[latencyMeasure(edge)];

export const serviceNodeId = (name: string) => `service:${name}`;
export const destinationNodeId = (system: string, name: string) => `destination:${system}:${name}`;
export const consumerGroupId = (system: string, destination: string, group: string) =>
  `group:${system}:${destination}:${group}`;

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** The graph plus, per edge id, the figures behind it (series ids for timelines). */
export interface FlowAnalysis {
  graph: FlowGraph;
  figures: Map<string, EdgeFigures>;
}

const PUBLISH_KINDS = new Set(['publish', 'sent']);
const DELIVERY_KINDS = new Set(['delivery', 'consumed', 'process', 'receive']);

/**
 * Pure: builds the graph from rollup series totals (tested with fixtures), routing RabbitMQ
 * publishes by `rabbit`'s bindings too when they are known.
 */
export function analyseFlows(
  range: TimeRange,
  totals: readonly SeriesTotals[],
  rabbit: RabbitTopology | null = null,
): FlowAnalysis {
  const publish = new Map<string, SeriesTotals[]>();
  const delivery = new Map<string, SeriesTotals[]>();
  // Destinations as consumers named them (routes need a JetStream delivery's subject and stream).
  const consumedNames = new Map<string, { system: string; destination: string }>();
  for (const t of totals) {
    const d = t.dims;
    if (PUBLISH_KINDS.has(d.kind)) push(publish, JSON.stringify([d.service, d.system, d.destination]), t);
    else if (DELIVERY_KINDS.has(d.kind)) {
      // A stream's consumers are fed by the stream node, whichever of its subjects a message came by.
      const source = deliverySource(d.system, d.destination);
      push(delivery, JSON.stringify([d.system, source, d.service, d.consumerGroup]), t);
      consumedNames.set(`${d.system}\u0000${d.destination}`, {
        system: d.system,
        destination: d.destination,
      });
    }
  }

  const nodes = new Map<string, FlowNode>();
  const windowSeconds = (range.toUs - range.fromUs) / 1e6;
  const addService = (name: string) => {
    const id = serviceNodeId(name);
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'service', name, system: null, role: null, label: name });
    return id;
  };
  const addDestination = (system: string, name: string) => {
    const id = destinationNodeId(system, name);
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'destination', name, system, role: null, label: name });
    return id;
  };
  const edges: FlowEdge[] = [];
  const figures = new Map<string, EdgeFigures>();
  const addEdge = (
    kind: EdgeKind | 'route',
    source: string,
    target: string,
    system: string,
    group: string | null,
    f: EdgeFigures,
    // Routes the bindings give are topology: drawn even when nothing was counted on them.
    bound: Pick<FlowEdge, 'via' | 'uncertain'> = {},
  ) => {
    if (f.messages === 0 && f.latency === null && !bound.via) return;
    const id = `${source}->${target}${group ? `#${group}` : ''}`;
    const p = f.latency
      ? percentilesMs(f.latency.buckets, { min: f.latency.latencyMin, max: f.latency.latencyMax })
      : null;
    edges.push({
      id,
      source,
      target,
      kind: kind === 'delivery' ? 'deliver' : kind,
      latencyKind: kind,
      deliveryEnd: kind === 'delivery' ? (f.fromReceiveSpans ? 'receive' : 'process') : null,
      system,
      consumerGroup: group,
      messages: round3(f.messages),
      errors: round3(f.errors),
      ratePerSecond: round3(f.messages / windowSeconds),
      p50Ms: p?.p50Ms ?? null,
      p95Ms: p?.p95Ms ?? null,
      p99Ms: p?.p99Ms ?? null,
      latencySamples: f.latency?.latencyCount ?? 0,
      sources: f.sources,
      ...bound,
    });
    figures.set(id, f);
  };

  const published: { system: string; destination: string; figures: EdgeFigures }[] = [];
  for (const [key, series] of publish) {
    const [service, system, destination] = JSON.parse(key) as [string, string, string];
    const f = edgeFigures('publish', series);
    if (f.messages === 0 && f.latency === null) continue;
    addEdge('publish', addService(service), addDestination(system, destination), system, null, f);
    published.push({ system, destination, figures: f });
  }
  const consumed = [...consumedNames.values()];
  const { routes, exchanges } = brokerRouting(published, consumed, rabbit);
  // Looked up per route and per node: keyed once, so a large topology stays linear.
  const named = (system: string, destination: string) => `${system}\u0000${destination}`;
  const publishedAt = new Map<string, EdgeFigures[]>();
  for (const p of published) push(publishedAt, named(p.system, p.destination), p.figures);
  // Dead letters leave queues: their route does not make its source an exchange.
  const routeSources = new Set(
    routes.filter((r) => r.via !== 'dead-letter').map((r) => named(r.system, r.from)),
  );
  const consumedAt = new Set(consumed.map((c) => named(c.system, deliverySource(c.system, c.destination))));
  const streams = new Set(
    consumed.flatMap((c) => {
      const stream = jetstreamStream(c.system, c.destination);
      return stream === null ? [] : [named(c.system, stream)];
    }),
  );
  const queueAt = new Map(
    routes.flatMap((r) => (r.queue ? [[named(r.system, r.to), r.queue] as const] : [])),
  );
  for (const route of routes) {
    // What the route carried: what was published to its source (or to the exchange a hop came from).
    const carries = route.carries === undefined ? route.from : route.carries;
    const from = carries === null ? [] : (publishedAt.get(named(route.system, carries)) ?? []);
    addEdge(
      'route',
      addDestination(route.system, route.from),
      addDestination(route.system, route.to),
      route.system,
      null,
      routeFigures(from),
      {
        ...(route.via ? { via: route.via } : {}),
        ...(route.uncertain ? { uncertain: route.uncertain } : {}),
      },
    );
  }
  const groups = new Map<string, FlowConsumerGroup>();
  for (const [key, series] of delivery) {
    const [system, destination, service, group] = JSON.parse(key) as [string, string, string, string | null];
    const f = edgeFigures('delivery', series);
    if (f.messages === 0 && f.latency === null) continue;
    const destinationId = addDestination(system, destination);
    const serviceId = addService(service);
    addEdge('delivery', destinationId, serviceId, system, group, f);
    if (group !== null) {
      const id = consumerGroupId(system, destination, group);
      const g = groups.get(id) ?? {
        id,
        name: group,
        system,
        destination,
        destinationId,
        serviceIds: [],
        messages: 0,
        errors: 0,
        ratePerSecond: 0,
      };
      if (!g.serviceIds.includes(serviceId)) g.serviceIds.push(serviceId);
      g.messages = round3(g.messages + f.messages);
      g.errors = round3(g.errors + f.errors);
      g.ratePerSecond = round3(g.messages / windowSeconds);
      groups.set(id, g);
    }
  }
  for (const node of nodes.values()) {
    if (node.kind !== 'destination' || node.system === null) continue;
    const key = named(node.system, node.name);
    // A queue the bindings reach is a queue, consumed in the window or not.
    node.role = destinationRole(node.system, node.name, {
      routesFrom: routeSources.has(key),
      consumed: consumedAt.has(key) || queueAt.has(key),
      stream: streams.has(key),
    });
    const facts = node.system === 'rabbitmq' ? exchanges.get(node.name) : undefined;
    if (facts && node.role !== 'queue') {
      node.role = 'exchange';
      node.exchangeType = facts.exchangeType;
      if (facts.unroutable) node.unroutable = facts.unroutable;
    }
    node.label = destinationLabel(node, queueAt.get(key));
  }
  edges.sort((a, b) => a.id.localeCompare(b.id));
  return {
    graph: {
      from: range.from,
      to: range.to,
      nodes: [...nodes.values()],
      edges,
      consumerGroups: [...groups.values()],
    },
    figures,
  };
}

/** A RabbitMQ queue reached through an exchange is called by the queue's name, an exchange by its own. */
function destinationLabel(node: FlowNode, routedQueue: string | undefined): string {
  if (routedQueue) return routedQueue;
  if (node.system === 'rabbitmq' && node.role === 'exchange') return node.name.split(':')[0] || node.name;
  return node.name;
}

/** A route's figures: the messages and errors of the publishes it carries, no latency of its own. */
function routeFigures(publishes: readonly EdgeFigures[]): EdgeFigures {
  const ids = (pick: (f: EdgeFigures) => number[]) => publishes.flatMap(pick);
  return {
    messages: publishes.reduce((sum, f) => sum + f.messages, 0),
    errors: publishes.reduce((sum, f) => sum + f.errors, 0),
    latency: null,
    sources: {
      messages: publishes[0]?.sources.messages ?? 'spans',
      errors: publishes[0]?.sources.errors ?? 'spans',
      latency: null,
    },
    seriesIds: {
      messages: ids((f) => f.seriesIds.messages),
      errors: ids((f) => f.seriesIds.errors),
      latency: [],
    },
    spanSeriesIds: [],
    fromReceiveSpans: false,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const FLOW_KINDS = ['publish', 'sent', 'delivery', 'consumed', 'process', 'receive'] as const;

/** What the graph is built from: the telemetry, and RabbitMQ's bindings when they can be read. */
export interface FlowSources {
  store: TelemetryStore;
  /** Never rejects: an unreadable management API is a status (lib/brokers/rabbitmq/topology-cache.ts). */
  rabbitmqBindings: () => Promise<TopologyRead>;
}

/** The graph from the store, with RabbitMQ's bindings when the management API is configured. */
export async function analyseFlowsFromStore(
  { store, rabbitmqBindings }: FlowSources,
  range: TimeRange,
): Promise<FlowAnalysis> {
  const [totals, bindings] = await Promise.all([
    store.seriesTotals(range, { kinds: FLOW_KINDS }),
    rabbitmqBindings(),
  ]);
  const analysis = analyseFlows(range, totals, bindings.topology);
  if (bindings.status) analysis.graph.rabbitmqBindings = bindings.status;
  return analysis;
}

/** GET /api/flows: services, destinations, consumer groups and the edges between them. */
export async function getFlowGraph(sources: FlowSources, range: TimeRange): Promise<FlowGraph> {
  return (await analyseFlowsFromStore(sources, range)).graph;
}
