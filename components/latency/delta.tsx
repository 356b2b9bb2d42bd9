import { formatMs } from '@/lib/format';

/** p99 now vs the comparison window: "+12 ms (+30%)", red when slower. */
export function Delta({ now, before }: { now: number | null; before: number | null | undefined }) {
  if (now === null || before === null || before === undefined) return <span className="muted">—</span>;
  const diff = now - before;
  const pct = before === 0 ? null : (diff / before) * 100;
  const worse = diff > 0 && (pct === null || pct >= 10);
  const better = diff < 0 && (pct === null || pct <= -10);
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  return (
    <span className={worse ? 'delta worse' : better ? 'delta better' : 'delta'}>
      {sign}
      {formatMs(Math.abs(diff))}
      {pct === null ? '' : ` (${sign}${Math.abs(pct).toFixed(0)}%)`}
    </span>
  );
}
