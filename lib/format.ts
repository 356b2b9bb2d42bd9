/** Display helpers shared by pages. */

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat('en', { notation: n >= 100_000 ? 'compact' : 'standard' }).format(n);
}

export function formatRate(perSecond: number): string {
  return perSecond >= 10 ? `${Math.round(perSecond)}/s` : `${perSecond.toFixed(2)}/s`;
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0 || part === 0) return '0%';
  const pct = (part / whole) * 100;
  return pct < 0.1 ? '<0.1%' : `${pct.toFixed(pct < 10 ? 1 : 0)}%`;
}
