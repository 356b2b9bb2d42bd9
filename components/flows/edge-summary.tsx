import Link from 'next/link';
import { type FlowEdge, type FlowGraph, type LatencyMeasure, latencyMeasure } from '@/lib/analytics/flows';
import { formatCount, formatMs, formatPercent, formatRate } from '@/lib/format';
import type { EdgeLag } from '@/lib/lag/flows';
import { Figures } from '@/components/figures';

const MEANING: Record<LatencyMeasure, string> = {
  publish: 'Latency is the duration of the producer’s send (until the broker accepted the message).',
  process:
    'Latency runs from the producer’s send to the start of processing: time in the broker plus delivery.',
  receive:
    'Latency runs from the producer’s send to the start of the consumer’s receive (it reports no processing spans): time in the broker until it was fetched.',
  route:
    'The broker routes what was published to this subject to the subscription whose wildcard filter matches it; the route has no latency of its own.',
};

/** RabbitMQ routes read from the management API, by how the broker takes them. */
const ROUTED_BY: Record<NonNullable<FlowEdge['via']>, string> = {
  binding:
    'A binding (read from the RabbitMQ management API) routes what arrives here onwards; the route has no latency of its own.',
  alternate:
    'The exchange’s alternate exchange: what none of its bindings matches goes there instead of being dropped.',
  'dead-letter':
    'The queue’s dead-letter exchange (x-dead-letter-exchange): rejected, expired or overflowing messages are republished to it. Dead letters are not counted on this edge; the DLQ page lists them.',
};

/** The selected edge's figures for the whole range, with a way to close it. */
export function EdgeSummary({
  graph,
  edge,
  lag,
  closeHref,
}: {
  graph: FlowGraph;
  edge: FlowEdge;
  lag: EdgeLag | null;
  closeHref: string;
}) {
  const name = (id: string) => graph.nodes.find((n) => n.id === id)?.name ?? id;
  const figures: [string, string][] = [
    ['Messages', formatCount(edge.messages)],
    ['Avg rate', formatRate(edge.ratePerSecond)],
    ['Errors', `${formatCount(edge.errors)} (${formatPercent(edge.errors, edge.messages)})`],
    ['p50', formatMs(edge.p50Ms)],
    ['p95', formatMs(edge.p95Ms)],
    ['p99', formatMs(edge.p99Ms)],
  ];
  return (
    <div className="edge-summary">
      <div className="edge-summary-head">
        <h2 id="edge-title">
          {name(edge.source)} → {name(edge.target)}
          {edge.consumerGroup ? <span className="muted"> · group {edge.consumerGroup}</span> : null}
        </h2>
        <Link href={closeHref} className="button" scroll={false}>
          Close
        </Link>
      </div>
      <p className="muted">
        {edge.system} · {edge.via ? ROUTED_BY[edge.via] : MEANING[latencyMeasure(edge)]}
        {edge.uncertain ? ` It may not be taken: ${edge.uncertain}.` : ''}
      </p>
      <Figures figures={figures} />
      {lag ? (
        <p>
          Consumer group <strong>{lag.group}</strong>: {lag.status}, {formatCount(lag.lagMessages)} messages
          behind
          {lag.lagSeconds !== null ? ` (${formatMs(lag.lagSeconds * 1000)})` : ''}.{' '}
          <Link href={lag.href}>Open its lag</Link>
        </p>
      ) : null}
    </div>
  );
}
