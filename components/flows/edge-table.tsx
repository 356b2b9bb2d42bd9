import Link from 'next/link';
import { PercentileCells, PercentileHeaders } from '@/components/percentile-columns';
import { type FlowEdge, type FlowGraph, latencyOf } from '@/lib/analytics/flows';
import { formatCount, formatPercent, formatRate } from '@/lib/format';
import { edgeHealth } from './health';
import { NumHeader } from '@/components/num-header';
import { DataTable } from '@/components/data-table';

const VIA = { 'dead-letter': 'dead letters', alternate: 'alternate exchange' } as const;

/** Every edge as a row; the first cell links to the edge's detail (the keyboard path into the graph). */
export function EdgeTable({ graph, params }: { graph: FlowGraph; params: Record<string, string> }) {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  // The short name, with the whole route (exchange:key:queue) on hover.
  const name = (id: string) => {
    const node = nodes.get(id);
    return (
      <>
        <span title={node?.name}>{node?.label ?? id}</span>
        {node?.unroutable ? (
          <>
            {' '}
            <span className="badge badge-warn" title={`Unroutable: ${node.unroutable}`}>
              unroutable
            </span>
          </>
        ) : null}
      </>
    );
  };
  const detailHref = (edge: FlowEdge) =>
    `/flows?${new URLSearchParams({ ...params, edge: edge.id }).toString()}`;
  return (
    <DataTable
      caption={
        <>
          Latency is the send span for publishes, send → start of processing for deliveries (send → start of
          the receive for consumers that report only receive spans). Avg rate is over the whole time range.
        </>
      }
      columns={[
        'From',
        'To',
        'Latency of',
        <NumHeader>Messages</NumHeader>,
        <NumHeader>Avg rate</NumHeader>,
        <NumHeader>Errors</NumHeader>,
        <PercentileHeaders />,
      ]}
    >
      {graph.edges.map((edge) => (
        <tr key={edge.id} data-health={edgeHealth(edge)} aria-selected={params.edge === edge.id || undefined}>
          <td>
            <Link href={detailHref(edge)} scroll={false}>
              {name(edge.source)}
            </Link>
          </td>
          <td>
            {name(edge.target)}
            {edge.consumerGroup ? <span className="muted"> ({edge.consumerGroup})</span> : null}
            {edge.via && edge.via !== 'binding' ? <span className="muted"> ({VIA[edge.via]})</span> : null}
          </td>
          <td className="muted">{latencyOf(edge)}</td>
          <td className="num">{formatCount(edge.messages)}</td>
          <td className="num">{formatRate(edge.ratePerSecond)}</td>
          <td className="num errors">
            {formatCount(edge.errors)}{' '}
            <span className="muted">({formatPercent(edge.errors, edge.messages)})</span>
          </td>
          <PercentileCells {...edge} />
        </tr>
      ))}
    </DataTable>
  );
}
