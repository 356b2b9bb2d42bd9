/**
 * Chart colours that read on both themes (recharts writes SVG presentation
 * attributes, where CSS variables are not reliable).
 */
export const CHART = {
  p50: '#4f7cff',
  p95: '#e59a2f',
  p99: '#e5484d',
  messages: '#7f8db0',
  errors: '#e5484d',
  previous: '#9aa3b2',
  axis: '#8a93a3',
  grid: 'rgba(138, 147, 163, 0.25)',
} as const;

export const axisProps = { stroke: CHART.axis, tick: { fill: CHART.axis, fontSize: 11 } } as const;

/** "14:05" for a series timestamp (local time, like the rest of the page). */
export function timeTick(iso: string): string {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}
