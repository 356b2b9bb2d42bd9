import type { FlowEdge, FlowGraph, FlowNode } from '@/lib/analytics/flows';
import { formatCount, formatMs } from '@/lib/format';

interface Lane {
  destination: FlowNode;
  producers: { node: FlowNode; edge: FlowEdge }[];
  consumers: { node: FlowNode; edge: FlowEdge }[];
}

/** Pure: one lane per destination, with who publishes to it and who consumes from it. */
export function lanesOf(graph: FlowGraph): Lane[] {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  return graph.nodes
    .filter((node) => node.kind === 'destination')
    .map((destination) => ({
      destination,
      producers: graph.edges
        .filter((edge) => edge.target === destination.id)
        .map((edge) => ({ node: byId.get(edge.source)!, edge })),
      consumers: graph.edges
        .filter((edge) => edge.source === destination.id)
        .map((edge) => ({ node: byId.get(edge.target)!, edge })),
    }))
    .sort((a, b) => a.destination.name.localeCompare(b.destination.name));
}

function Endpoint({ node, edge }: { node: FlowNode; edge: FlowEdge }) {
  return (
    <span className="chip service" data-errors={edge.errors > 0 || undefined}>
      <span className="chip-name">{node.name}</span>
      <span className="chip-meta">
        {formatCount(edge.messages)} msg · p99 {formatMs(edge.p99Ms)}
      </span>
    </span>
  );
}

function Side({ items, empty }: { items: Lane['producers']; empty: string }) {
  if (items.length === 0) return <span className="chip missing">{empty}</span>;
  return (
    <span className="stack">
      {items.map(({ node, edge }) => (
        <Endpoint key={edge.id} node={node} edge={edge} />
      ))}
    </span>
  );
}

export function FlowLanes({ graph }: { graph: FlowGraph }) {
  return (
    <ol className="lanes" aria-label="Message flows by destination">
      {lanesOf(graph).map(({ destination, producers, consumers }) => {
        const label = `${producers.map((p) => p.node.name).join(', ') || 'unknown producer'} → ${destination.name} → ${
          consumers.map((c) => c.node.name).join(', ') || 'no consumer'
        }`;
        return (
          <li key={destination.id} className="lane" aria-label={label}>
            <Side items={producers} empty="no instrumented producer" />
            <span className="arrow" aria-hidden="true">
              →
            </span>
            <span className="chip destination">
              <span className="chip-system">{destination.system}</span>
              <span className="chip-name">{destination.name}</span>
            </span>
            <span className="arrow" aria-hidden="true">
              →
            </span>
            <Side items={consumers} empty="no instrumented consumer" />
          </li>
        );
      })}
    </ol>
  );
}
