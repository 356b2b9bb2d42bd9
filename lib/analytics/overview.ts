import type { FlowEdge, FlowGraph } from './flows';

const TOP = 5;

/**
 * Pure rankings for the Overview page. Route edges (a broker routing between
 * two destinations) carry the same messages as the publish before them, so
 * they are left out: each message would be ranked twice.
 */
export function busiestEdges(graph: FlowGraph): FlowEdge[] {
  return graph.edges
    .filter((e) => e.kind !== 'route')
    .sort((a, b) => b.messages - a.messages)
    .slice(0, TOP);
}

/** Deliveries with the worst p99 (what users feel), slowest first. */
export function slowestDeliveries(graph: FlowGraph): FlowEdge[] {
  return graph.edges
    .filter((e) => e.latencyKind === 'delivery' && e.p99Ms !== null)
    .sort((a, b) => b.p99Ms! - a.p99Ms!)
    .slice(0, TOP);
}

/** Edges with errors, highest error rate first. */
export function failingEdges(graph: FlowGraph): FlowEdge[] {
  return graph.edges
    .filter((e) => e.errors > 0)
    .sort((a, b) => b.errors / b.messages - a.errors / a.messages || b.errors - a.errors)
    .slice(0, TOP);
}
