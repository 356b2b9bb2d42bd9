import { LazyLatencyChart } from '@/components/charts/lazy';
import { getPathwayLatencySeries } from '@/lib/analytics/latency-series';
import type { TimeRange } from '@/lib/analytics/time-range';
import { parseStep } from '@/lib/analytics/time-step';
import { getStore } from '@/lib/runtime';
import { SourceBadge } from './source-badge';

/** One pathway's end-to-end percentiles over time. */
export async function PathwayDetail({
  range,
  pathwayId,
  label,
}: {
  range: TimeRange;
  pathwayId: string;
  label: string;
}) {
  const series = await getPathwayLatencySeries(await getStore(), range, pathwayId, parseStep(null, range));
  return (
    <>
      <h2 id="pathway-title">
        {label} <SourceBadge source={series.source} />
      </h2>
      <LazyLatencyChart
        points={series.points}
        label="End-to-end latency (origin send → processing start), per step"
      />
    </>
  );
}
