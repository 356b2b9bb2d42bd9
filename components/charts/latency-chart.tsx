'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMs } from '@/lib/format';
import { CHART, axisProps, timeTick } from './palette';

export interface LatencyPoint {
  t: string;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** p50/p95/p99 over time; empty steps leave gaps rather than inventing zeros. */
export function LatencyChart({ points, label }: { points: LatencyPoint[]; label: string }) {
  return (
    <figure className="chart" aria-label={label}>
      <figcaption>{label}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={CHART.grid} vertical={false} />
          <XAxis dataKey="t" tickFormatter={timeTick} minTickGap={32} {...axisProps} />
          <YAxis tickFormatter={(v: number) => formatMs(v)} width={64} {...axisProps} />
          <Tooltip
            labelFormatter={(t) => (typeof t === 'string' ? new Date(t).toLocaleTimeString() : '')}
            formatter={(v) => formatMs(typeof v === 'number' ? v : null)}
          />
          <Legend />
          <Line
            type="monotone"
            dataKey="p50Ms"
            name="p50"
            stroke={CHART.p50}
            dot={false}
            connectNulls={false}
          />
          <Line
            type="monotone"
            dataKey="p95Ms"
            name="p95"
            stroke={CHART.p95}
            dot={false}
            connectNulls={false}
          />
          <Line
            type="monotone"
            dataKey="p99Ms"
            name="p99"
            stroke={CHART.p99}
            dot={false}
            connectNulls={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
