import Link from 'next/link';
import type { FlowEdge, FlowGraph } from '@/lib/analytics/flows';

/**
 * A short ranked list of edges, each a link into its detail on Flows.
 * `figure` renders the number the list is ranked by.
 */
export function EdgeList({
  graph,
  edges,
  figure,
  params,
  empty,
}: {
  graph: FlowGraph;
  edges: FlowEdge[];
  figure: (edge: FlowEdge) => string;
  params: Record<string, string>;
  empty: string;
}) {
  if (edges.length === 0) return <p className="muted">{empty}</p>;
  // The short name (the queue, not exchange:key:queue), the whole one on hover.
  const node = (id: string) => graph.nodes.find((n) => n.id === id);
  const name = (id: string) => node(id)?.label ?? id;
  const range = Object.fromEntries(Object.entries(params).filter(([key]) => key === 'from' || key === 'to'));
  return (
    <ol className="ranked">
      {edges.map((edge) => (
        <li key={edge.id}>
          <Link
            href={`/flows?${new URLSearchParams({ ...range, edge: edge.id }).toString()}`}
            title={`${node(edge.source)?.name ?? edge.source} → ${node(edge.target)?.name ?? edge.target}`}
          >
            {name(edge.source)} → {name(edge.target)}
          </Link>
          <span className="ranked-figure">{figure(edge)}</span>
        </li>
      ))}
    </ol>
  );
}
