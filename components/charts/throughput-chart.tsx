'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CHART, axisProps, timeTick } from './palette';

export interface ThroughputPoint {
  t: string;
  messages: number;
  errors: number;
}

/** Messages and errors per step, errors stacked on top so a failing edge shows red. */
export function ThroughputChart({ points }: { points: ThroughputPoint[] }) {
  const data = points.map((p) => ({ t: p.t, ok: Math.max(0, p.messages - p.errors), errors: p.errors }));
  return (
    <figure className="chart" aria-label="Messages and errors per step">
      <figcaption>Messages and errors per step</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={CHART.grid} vertical={false} />
          <XAxis dataKey="t" tickFormatter={timeTick} minTickGap={32} {...axisProps} />
          <YAxis allowDecimals={false} width={48} {...axisProps} />
          <Tooltip labelFormatter={(t) => (typeof t === 'string' ? new Date(t).toLocaleTimeString() : '')} />
          <Legend />
          <Bar dataKey="ok" name="succeeded" stackId="m" fill={CHART.messages} />
          <Bar dataKey="errors" name="errors" stackId="m" fill={CHART.errors} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
