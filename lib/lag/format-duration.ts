/** "45s", "2m 10s", "1h 5m", "3d 4h": a duration to read at a glance (two units at most). */
export function formatDurationSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '∞';
  if (seconds < 10) return `${Math.max(0, Math.round(seconds * 10) / 10)}s`;
  const total = Math.round(seconds);
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = total;
  for (const [name, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${name}`);
    if (parts.length === 2) break;
  }
  return parts.filter((p, i) => i === 0 || !p.startsWith('0')).join(' ');
}
