import type { GroupLag, LagSnapshot } from './types';

/** The parts of the Flows graph (lib/analytics/flows.ts) this mapping reads. */
export interface FlowGraphLike {
  nodes: readonly { id: string; name: string }[];
  edges: readonly {
    id: string;
    source: string;
    latencyKind: 'publish' | 'delivery' | 'route';
    system: string;
    consumerGroup: string | null;
  }[];
}

/** What a Flows edge shows about the lag of the consumers at its end. */
export interface EdgeLag {
  group: string;
  status: GroupLag['status'];
  lagMessages: number;
  lagSeconds: number | null;
  etaSeconds: number | null;
  trend: GroupLag['trend'];
  /** The group's row on the Lag page. */
  href: string;
}

/** Queue brokers: a queue is its own group, so every delivery from it shares its backlog. */
const QUEUE_SYSTEMS = new Set(['rabbitmq', 'aws_sqs', 'bullmq']);

/** Link to a group's drill-down on the Lag page. */
export function lagHref(g: { system: string; destination: string; group: string }): string {
  return `/lag?${new URLSearchParams({ system: g.system, destination: g.destination, group: g.group }).toString()}`;
}

/**
 * Lag per delivery edge (destination → consuming service), keyed by edge id. An edge matches the group
 * of the same system and destination with the edge's consumer group (messaging.consumer.group.name);
 * an edge without one matches when the destination has a single group, and any edge from a queue
 * matches the queue. Edges nobody can match are absent.
 */
export function lagByFlowEdge(graph: FlowGraphLike, snapshot: LagSnapshot): Map<string, EdgeLag> {
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  const out = new Map<string, EdgeLag>();
  for (const edge of graph.edges) {
    if (edge.latencyKind !== 'delivery') continue;
    const destination = names.get(edge.source);
    const candidates = snapshot.groups.filter(
      (g) => g.system === edge.system && g.destination === destination,
    );
    const match =
      candidates.find((g) => edge.consumerGroup !== null && g.group === edge.consumerGroup) ??
      (QUEUE_SYSTEMS.has(edge.system) || (edge.consumerGroup === null && candidates.length === 1)
        ? candidates[0]
        : undefined);
    if (!match) continue;
    out.set(edge.id, {
      group: match.group,
      status: match.status,
      lagMessages: match.lagMessages,
      lagSeconds: match.lagSeconds,
      etaSeconds: match.etaSeconds,
      trend: match.trend,
      href: lagHref(match),
    });
  }
  return out;
}
