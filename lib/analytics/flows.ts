import type { DeliveryEdgeRow, PublishEdgeRow, TelemetryStore } from '@/lib/store/types';
import type { TimeRange } from './time-range';

export interface FlowNode {
  id: string;
  kind: 'service' | 'destination';
  name: string;
  /** messaging.system for destinations; null for services (they may use several). */
  system: string | null;
}

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  /**
   * What the percentiles measure: `publish` = duration of the producer's send
   * span; `delivery` = from the send to the start of processing (queue wait
   * and transport), the latency users feel.
   */
  latencyKind: 'publish' | 'delivery';
  system: string;
  consumerGroup: string | null;
  messages: number;
  errors: number;
  ratePerSecond: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface FlowGraph {
  from: string;
  to: string;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export const serviceNodeId = (name: string) => `service:${name}`;
export const destinationNodeId = (system: string, name: string) => `destination:${system}:${name}`;

const round = (ms: number | null) => (ms === null ? null : Math.round(ms * 1000) / 1000);

/** Pure: builds the graph from the store's edge rows (tested with fixtures). */
export function buildFlowGraph(
  range: TimeRange,
  publishes: readonly PublishEdgeRow[],
  deliveries: readonly DeliveryEdgeRow[],
): FlowGraph {
  const nodes = new Map<string, FlowNode>();
  const windowSeconds = (range.toUs - range.fromUs) / 1e6;
  const addService = (name: string) => {
    const id = serviceNodeId(name);
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'service', name, system: null });
    return id;
  };
  const addDestination = (system: string, name: string) => {
    const id = destinationNodeId(system, name);
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'destination', name, system });
    return id;
  };
  const common = (row: PublishEdgeRow | DeliveryEdgeRow) => ({
    system: row.system,
    messages: row.messages,
    errors: row.errors,
    ratePerSecond: Math.round((row.messages / windowSeconds) * 1000) / 1000,
    p50Ms: round(row.p50Ms),
    p95Ms: round(row.p95Ms),
    p99Ms: round(row.p99Ms),
  });
  const edges: FlowEdge[] = [];
  for (const row of publishes) {
    const source = addService(row.service);
    const target = addDestination(row.system, row.destination);
    edges.push({
      id: `${source}->${target}`,
      source,
      target,
      latencyKind: 'publish',
      consumerGroup: null,
      ...common(row),
    });
  }
  for (const row of deliveries) {
    const source = addDestination(row.system, row.destination);
    const target = addService(row.service);
    const id = `${source}->${target}${row.consumerGroup ? `#${row.consumerGroup}` : ''}`;
    edges.push({
      id,
      source,
      target,
      latencyKind: 'delivery',
      consumerGroup: row.consumerGroup,
      ...common(row),
    });
  }
  return { from: range.from, to: range.to, nodes: [...nodes.values()], edges };
}

export async function getFlowGraph(store: TelemetryStore, range: TimeRange): Promise<FlowGraph> {
  const [publishes, deliveries] = await Promise.all([store.publishEdges(range), store.deliveryEdges(range)]);
  return buildFlowGraph(range, publishes, deliveries);
}
