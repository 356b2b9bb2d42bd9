import dagre from '@dagrejs/dagre';
import type { FlowGraph } from '@/lib/analytics/flows';

export const NODE_WIDTH = 156;
export const NODE_HEIGHT = 56;

export interface Positioned {
  id: string;
  x: number;
  y: number;
}

/**
 * Left-to-right layered layout (producers → destinations → consumers), so a
 * pipeline reads like a sentence. Pure: same graph, same positions.
 */
export function layoutFlowGraph(graph: Pick<FlowGraph, 'nodes' | 'edges'>): Positioned[] {
  // ranksep leaves room for an edge label (~130 px) between two ranks.
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 170, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const edge of graph.edges) g.setEdge(edge.source, edge.target);
  dagre.layout(g);
  return graph.nodes.map((node) => {
    const { x, y } = g.node(node.id) as { x: number; y: number };
    // dagre gives centres; React Flow positions nodes by their top-left corner.
    return { id: node.id, x: x - NODE_WIDTH / 2, y: y - NODE_HEIGHT / 2 };
  });
}

/** Height in px the laid-out graph needs, so a one-row pipeline gets no empty band. */
export function layoutHeight(positions: readonly Positioned[]): number {
  const bottom = positions.reduce((max, p) => Math.max(max, p.y + NODE_HEIGHT), 0);
  return Math.min(560, Math.max(240, bottom + 140));
}
