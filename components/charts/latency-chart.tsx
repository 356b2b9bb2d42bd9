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

type Percentile = 'p50Ms' | 'p95Ms' | 'p99Ms';

/**
 * A dot for a value with empty steps on both sides: it has no line segment to draw, and a sparse
 * series (a consumer polling every few minutes) would otherwise look like an empty chart.
 */
function isolatedDot(points: LatencyPoint[], key: Percentile, color: string) {
  function IsolatedDot({ cx, cy, index = 0 }: { cx?: number; cy?: number; index?: number }) {
    const isolated =
      points[index]?.[key] != null && points[index - 1]?.[key] == null && points[index + 1]?.[key] == null;
    const dotKey = `${key}-${index}`;
    return isolated && cx != null && cy != null ? (
      <circle key={dotKey} cx={cx} cy={cy} r={3} fill={color} />
    ) : (
      <g key={dotKey} />
    );
  }
  return IsolatedDot;
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
            dot={isolatedDot(points, 'p50Ms', CHART.p50)}
            connectNulls={false}
          />
          <Line
            type="monotone"
            dataKey="p95Ms"
            name="p95"
            stroke={CHART.p95}
            dot={isolatedDot(points, 'p95Ms', CHART.p95)}
            connectNulls={false}
          />
          <Line
            type="monotone"
            dataKey="p99Ms"
            name="p99"
            stroke={CHART.p99}
            dot={isolatedDot(points, 'p99Ms', CHART.p99)}
            connectNulls={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
