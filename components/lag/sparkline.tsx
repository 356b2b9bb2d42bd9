import { formatCount } from '@/lib/format';
import type { GroupSeriesPoint } from '@/lib/lag/types';
import styles from './lag.module.css';

const WIDTH = 120;
const HEIGHT = 28;

/**
 * Lag over the page's time range as a tiny inline SVG drawn on the server: no chart library for a
 * table of them (the drill-down chart is the interactive one). Described in words for screen readers.
 */
export function Sparkline({ points, range }: { points: readonly GroupSeriesPoint[]; range: string }) {
  if (points.length < 2) {
    return <span className="muted">{points.length === 0 ? 'no history yet' : 'one sample'}</span>;
  }
  const first = points[0]!;
  const last = points.at(-1)!;
  const max = Math.max(1, ...points.map((p) => p.lagMessages));
  const span = Math.max(1, last.tsMs - first.tsMs);
  const xy = points.map((p) => [
    ((p.tsMs - first.tsMs) / span) * WIDTH,
    HEIGHT - 1 - (p.lagMessages / max) * (HEIGHT - 2),
  ]);
  const line = xy.map(([x, y]) => `${x!.toFixed(1)},${y!.toFixed(1)}`).join(' ');
  const label = `Lag over the last ${range}: from ${formatCount(first.lagMessages)} to ${formatCount(last.lagMessages)} messages, peak ${formatCount(max)}`;
  return (
    <svg
      className={styles.sparkline}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={label}
    >
      <title>{label}</title>
      <polygon className={styles.area} points={`0,${HEIGHT} ${line} ${WIDTH},${HEIGHT}`} />
      <polyline className={styles.line} points={line} />
    </svg>
  );
}
