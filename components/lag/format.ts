import type { LagTimeSource } from '@/lib/brokers/lag-types';
import { formatCount, formatRate } from '@/lib/format';
import { formatDurationSeconds } from '@/lib/lag/format-duration';
import type { LagTrend } from '@/lib/lag/types';

/** Why a lag time is what it is, for the cell's title. */
export const SOURCE_MEANING: Record<LagTimeSource, string> = {
  pathway: 'send time carried by the signalbox-pathway header of the oldest waiting message',
  'message-timestamp': 'timestamp of the oldest waiting message',
  'entry-id': 'time in the Redis stream id of the oldest waiting entry',
  interpolated: 'estimated from how the log end moved over time (within one poll interval)',
  'lower-bound': 'older than the kept history of the log end: at least this long',
  none: 'this broker does not tell how old its messages are without consuming them',
};

/** "12s", "≈ 3m 4s" (estimated), "≥ 2h" (lower bound), "—" (unknown). */
export function formatLagTime(seconds: number | null, source: LagTimeSource): string {
  if (seconds === null) return '—';
  const text = formatDurationSeconds(seconds);
  if (seconds === 0) return text;
  if (source === 'interpolated') return `≈ ${text}`;
  if (source === 'lower-bound') return `≥ ${text}`;
  return text;
}

/** "caught up", a duration, "not draining" (the lag grows), or "—" (steady: no rate to project). */
export function formatEta(etaSeconds: number | null, lagMessages: number, trend: LagTrend): string {
  if (lagMessages === 0) return 'caught up';
  if (etaSeconds !== null) return formatDurationSeconds(etaSeconds);
  return trend.direction === 'growing' ? 'not draining' : '—';
}

/** "↑ 1.50/s" growing, "↓ 3.20/s" shrinking, "→ steady". */
export function formatTrend(trend: LagTrend): string {
  if (trend.direction === 'unknown' || trend.messagesPerSecond === null) return '—';
  if (trend.direction === 'flat') return '→ steady';
  const rate = formatRate(Math.abs(trend.messagesPerSecond));
  return trend.direction === 'growing' ? `↑ ${rate}` : `↓ ${rate}`;
}

export const TREND_MEANING: Record<LagTrend['direction'], string> = {
  growing: 'falling behind: lag grows by this many messages per second',
  shrinking: 'catching up: lag falls by this many messages per second',
  flat: 'lag steady',
  unknown: 'not enough samples yet',
};

export { formatCount };
