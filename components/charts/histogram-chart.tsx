'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMs } from '@/lib/format';
import { CHART, axisProps } from './palette';

export interface HistogramBarData {
  lowerMs: number;
  upperMs: number | null;
  count: number;
}

const bucketLabel = (bar: HistogramBarData) =>
  bar.upperMs === null ? `> ${formatMs(bar.lowerMs)}` : `≤ ${formatMs(bar.upperMs)}`;

/** How latencies spread: one bar per bucket, labelled by its upper bound. */
export function HistogramChart({ bars, source }: { bars: HistogramBarData[]; source: string | null }) {
  const data = bars.map((bar) => ({ bucket: bucketLabel(bar), count: bar.count }));
  const label = `Latency distribution${source ? ` (from ${source})` : ''}`;
  return (
    <figure className="chart" aria-label={label}>
      <figcaption>{label}</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={CHART.grid} vertical={false} />
          <XAxis dataKey="bucket" interval="preserveStartEnd" minTickGap={8} {...axisProps} />
          <YAxis allowDecimals={false} width={48} {...axisProps} />
          <Tooltip />
          <Bar dataKey="count" name="messages" fill={CHART.p50} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
