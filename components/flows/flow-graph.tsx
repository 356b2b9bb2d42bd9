'use client';

import {
  Background,
  Controls,
  type Edge,
  Handle,
  MarkerType,
  type Node,
  type NodeProps,
  Position,
  ReactFlow,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import type { FlowEdge, FlowGraph, FlowNode } from '@/lib/analytics/flows';
import { formatCount, formatMs, formatPercent, formatRate } from '@/lib/format';
import type { EdgeLag } from '@/lib/lag/flows';
import { edgeHealth } from './health';
import { NODE_HEIGHT, NODE_WIDTH, layoutFlowGraph, layoutHeight } from './layout';

type FlowNodeData = Pick<
  FlowNode,
  'name' | 'label' | 'system' | 'kind' | 'role' | 'exchangeType' | 'unroutable'
>;

/** What the node is: "service", "kafka topic"; a RabbitMQ exchange by its type ("topic exchange") when known. */
function nodeKind(data: FlowNodeData): string {
  if (data.kind === 'service') return 'service';
  if (data.exchangeType) return `${data.exchangeType} exchange`;
  return [data.system, data.role].filter(Boolean).join(' ');
}

function FlowNodeView({ data }: NodeProps<Node<FlowNodeData>>) {
  const kind = nodeKind(data);
  return (
    <div
      className={`graph-node ${data.kind}${data.unroutable ? ' unroutable' : ''}`}
      style={{ width: NODE_WIDTH, height: NODE_HEIGHT }}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <span className="graph-node-kind" title={[data.system, kind].join(' ')}>
        {kind}
      </span>
      <span className="graph-node-name" title={data.name}>
        {data.label}
      </span>
      {data.unroutable ? (
        <span className="graph-node-badge" title={`Unroutable: ${data.unroutable}`}>
          ⚠ unroutable
        </span>
      ) : null}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

const nodeTypes = { flow: FlowNodeView };

const STROKE = { ok: 'var(--edge-ok)', warn: 'var(--warn)', bad: 'var(--bad)' } as const;

/** Short enough to sit between two ranks; errors and lag only when there are some. */
function edgeLabel(edge: FlowEdge, lag: EdgeLag | undefined): string {
  // A route is the broker's: its rate, no latency of its own. Dead letters are not counted on it.
  if (edge.kind === 'route') {
    if (edge.via === 'dead-letter') return 'dead letters';
    const how = `${edge.via === 'alternate' ? 'alternate' : 'routed'}${edge.uncertain ? ' if headers match' : ''}`;
    // Downstream of dead letters nothing is counted: no rate rather than a false 0/s.
    return edge.via && edge.messages === 0 ? how : `${formatRate(edge.ratePerSecond)} · ${how}`;
  }
  const errors = edge.errors > 0 ? ` · ${formatPercent(edge.errors, edge.messages)} err` : '';
  const behind = lag && lag.lagMessages > 0 ? ` · lag ${formatCount(lag.lagMessages)}` : '';
  return `${formatRate(edge.ratePerSecond)}${errors} · p99 ${formatMs(edge.p99Ms)}${behind}`;
}

const LAGGING = new Set(['WARN', 'STALL', 'STOP', 'REWIND']);

/**
 * The topology: services and destinations as nodes, publishes and deliveries
 * as edges labelled with rate, error rate and p99, coloured by health.
 * Clicking an edge puts `edge=<id>` in the URL, which opens its detail below.
 */
export function FlowGraphView({
  graph,
  selectedEdgeId,
  lag,
}: {
  graph: FlowGraph;
  selectedEdgeId: string | null;
  /** Consumer lag per delivery edge id, when brokers are configured. */
  lag: Record<string, EdgeLag>;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();

  const { nodes, edges, height } = useMemo(() => {
    const laidOut = layoutFlowGraph(graph);
    const positions = new Map(laidOut.map((p) => [p.id, p]));
    const nodes: Node<FlowNodeData>[] = graph.nodes.map((node) => ({
      id: node.id,
      type: 'flow',
      position: { x: positions.get(node.id)?.x ?? 0, y: positions.get(node.id)?.y ?? 0 },
      data: {
        name: node.name,
        label: node.label,
        system: node.system,
        kind: node.kind,
        role: node.role,
        exchangeType: node.exchangeType,
        unroutable: node.unroutable,
      },
      draggable: false,
      selectable: false,
    }));
    const edges: Edge[] = graph.edges.map((edge) => {
      const selected = edge.id === selectedEdgeId;
      const edgeLag = lag[edge.id];
      // A consumer falling behind colours its edge like a warning even when nothing fails.
      const health = edgeHealth(edge);
      const color = STROKE[health === 'ok' && edgeLag && LAGGING.has(edgeLag.status) ? 'warn' : health];
      const label = edgeLabel(edge, edgeLag);
      return {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        label,
        ariaLabel: `Edge ${edge.source} to ${edge.target}: ${label}. Press Enter for details.`,
        focusable: true,
        selected,
        markerEnd: { type: MarkerType.ArrowClosed, color },
        // Dashed: a path only some messages take (dead letters, no binding matched, headers).
        style: {
          stroke: color,
          strokeWidth: selected ? 3.5 : 2,
          ...(edge.via === 'dead-letter' || edge.via === 'alternate' || edge.uncertain
            ? { strokeDasharray: '6 4' }
            : {}),
        },
        labelStyle: { fill: 'var(--text)', fontSize: 12 },
        labelBgStyle: { fill: 'var(--panel)', fillOpacity: 0.92 },
        labelBgPadding: [6, 3] as [number, number],
        labelBgBorderRadius: 4,
        className: selected ? 'graph-edge selected' : 'graph-edge',
      };
    });
    return { nodes, edges, height: layoutHeight(laidOut) };
  }, [graph, selectedEdgeId, lag]);

  const openEdge = useCallback(
    (edgeId: string) => {
      const params = new URLSearchParams(searchParams.toString());
      params.set('edge', edgeId);
      router.push(`${pathname}?${params.toString()}`, { scroll: false });
    },
    [pathname, router, searchParams],
  );

  return (
    <div className="graph" data-testid="flow-graph" style={{ height }}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onEdgeClick={(_event, edge) => openEdge(edge.id)}
        onKeyDown={(event) => {
          // Keyboard users: Enter on a focused edge opens it like a click.
          const id = (event.target as HTMLElement).closest('[data-id]')?.getAttribute('data-id');
          if (event.key === 'Enter' && id && graph.edges.some((e) => e.id === id)) openEdge(id);
        }}
        fitView
        fitViewOptions={{ padding: 0.15 }}
        minZoom={0.3}
        maxZoom={2}
        nodesConnectable={false}
        elementsSelectable
      >
        <Background gap={24} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
