import type { FlowEdge, FlowGraph } from '@/lib/analytics/flows';
import { formatCount, formatMs, formatPercent, formatRate } from '@/lib/format';

function health(edge: FlowEdge): 'ok' | 'warn' | 'bad' {
  const errorRate = edge.messages === 0 ? 0 : edge.errors / edge.messages;
  if (errorRate >= 0.05) return 'bad';
  if (errorRate >= 0.01) return 'warn';
  return 'ok';
}

const LATENCY_LABEL: Record<FlowEdge['latencyKind'], string> = {
  publish: 'publish',
  delivery: 'send → process',
};

export function EdgeTable({ graph }: { graph: FlowGraph }) {
  const names = new Map(graph.nodes.map((node) => [node.id, node.name]));
  return (
    <div className="table-wrap">
      <table className="table">
        <caption>
          Every edge in the window. Latency is the send span for publishes, send → start of processing for
          deliveries.
        </caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Latency of</th>
            <th scope="col" className="num">
              Messages
            </th>
            <th scope="col" className="num" title="Messages per second, averaged over the whole time range">
              Avg rate
            </th>
            <th scope="col" className="num">
              Errors
            </th>
            <th scope="col" className="num">
              p50
            </th>
            <th scope="col" className="num">
              p95
            </th>
            <th scope="col" className="num">
              p99
            </th>
          </tr>
        </thead>
        <tbody>
          {graph.edges.map((edge) => (
            <tr key={edge.id} data-health={health(edge)}>
              <td>{names.get(edge.source)}</td>
              <td>
                {names.get(edge.target)}
                {edge.consumerGroup ? <span className="muted"> ({edge.consumerGroup})</span> : null}
              </td>
              <td className="muted">{LATENCY_LABEL[edge.latencyKind]}</td>
              <td className="num">{formatCount(edge.messages)}</td>
              <td className="num">{formatRate(edge.ratePerSecond)}</td>
              <td className="num errors">
                {formatCount(edge.errors)}{' '}
                <span className="muted">({formatPercent(edge.errors, edge.messages)})</span>
              </td>
              <td className="num">{formatMs(edge.p50Ms)}</td>
              <td className="num">{formatMs(edge.p95Ms)}</td>
              <td className="num">{formatMs(edge.p99Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
