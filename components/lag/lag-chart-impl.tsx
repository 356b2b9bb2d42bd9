'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import styles from './lag.module.css';

export interface ChartLine {
  key: string;
  label: string;
  /** Left axis: messages; right axis: seconds. */
  axis: 'messages' | 'seconds';
}

export interface ChartProps {
  rows: Record<string, number | null>[];
  lines: ChartLine[];
}

// Distinct hues readable on both themes; the first is the accent, the second the "time" colour.
const COLORS = [
  'var(--accent)',
  'var(--destination)',
  '#1a9e77',
  '#d95f02',
  '#e7298a',
  '#66a61e',
  '#a6761d',
  '#7570b3',
];

const time = (ms: number) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false });

export default function LagChartImpl({ rows, lines }: ChartProps) {
  const hasSeconds = lines.some((l) => l.axis === 'seconds');
  return (
    <div className={styles.chart}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            dataKey="tsMs"
            type="number"
            domain={['dataMin', 'dataMax']}
            scale="time"
            tickFormatter={time}
            stroke="var(--muted)"
            fontSize={12}
          />
          <YAxis yAxisId="messages" stroke="var(--muted)" fontSize={12} allowDecimals={false} width={56} />
          {hasSeconds ? (
            <YAxis
              yAxisId="seconds"
              orientation="right"
              stroke="var(--muted)"
              fontSize={12}
              unit="s"
              width={56}
            />
          ) : null}
          <Tooltip
            labelFormatter={(value) => time(Number(value))}
            contentStyle={{
              background: 'var(--panel)',
              border: '1px solid var(--border)',
              color: 'var(--text)',
            }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {lines.map((line, i) => (
            <Line
              key={line.key}
              yAxisId={line.axis}
              dataKey={line.key}
              name={line.label}
              stroke={COLORS[i % COLORS.length]}
              strokeWidth={2}
              strokeDasharray={line.axis === 'seconds' ? '5 3' : undefined}
              dot={false}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
