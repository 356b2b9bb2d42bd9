import Link from 'next/link';
import { LazyHistogramChart, LazyLatencyChart, LazyThroughputChart } from '@/components/charts/lazy';
import { type EdgeDetail, getEdgeDetail } from '@/lib/analytics/edge-detail';
import { type FlowGraph, type LatencyMeasure, latencyMeasure } from '@/lib/analytics/flows';
import type { EdgeLag } from '@/lib/lag/flows';
import type { TimeRange } from '@/lib/analytics/time-range';
import { parseStep } from '@/lib/analytics/time-step';
import { formatMs } from '@/lib/format';
import { flowSources } from '@/lib/runtime';
import { EdgeSummary } from './edge-summary';
import { NumHeader } from '@/components/num-header';

function SlowestMessages({ slowest }: { slowest: EdgeDetail['slowest'] }) {
  if (slowest.length === 0) {
    return (
      <p className="muted">No sampled spans for this edge in the range, so no individual messages to show.</p>
    );
  }
  return (
    <table className="table">
      <caption>Slowest messages (from sampled spans)</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Message id</th>
          <NumHeader>Latency</NumHeader>
          <th scope="col">Journey</th>
        </tr>
      </thead>
      <tbody>
        {slowest.map((m) => (
          <tr key={`${m.traceId}:${m.spanId}`}>
            <td>{new Date(m.at).toLocaleTimeString()}</td>
            <td className="mono">{m.messageId ?? <span className="muted">—</span>}</td>
            <td className="num">{formatMs(m.latencyMs)}</td>
            <td>
              <Link href={m.journey}>Open journey</Link>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const LATENCY_LABEL: Record<LatencyMeasure, string> = {
  publish: 'Send duration, per step',
  process: 'Send → processing start, per step',
  receive: 'Send → receive start, per step',
  route: 'Routed messages, per step',
};

/** The selected edge: figures, percentiles over time, throughput, histogram and slowest messages. */
export async function EdgeDetailPanel({
  graph,
  lag,
  range,
  edgeId,
  closeHref,
}: {
  graph: FlowGraph;
  lag: EdgeLag | null;
  range: TimeRange;
  edgeId: string;
  closeHref: string;
}) {
  const detail = await getEdgeDetail(await flowSources(), range, edgeId, parseStep(null, range));
  const latencyLabel = LATENCY_LABEL[latencyMeasure(detail.edge)];
  return (
    <>
      <EdgeSummary graph={graph} edge={detail.edge} lag={lag} closeHref={closeHref} />
      <div className="chart-grid">
        <LazyLatencyChart points={detail.points} label={latencyLabel} />
        <LazyThroughputChart points={detail.points} />
        <LazyHistogramChart bars={detail.histogram.bars} source={detail.histogram.source} />
      </div>
      <SlowestMessages slowest={detail.slowest} />
    </>
  );
}
