import { expect, it } from 'vitest';
import { formatEta, formatLagTime, formatTrend } from './format';

it('marks estimated and lower-bound lag times, and unknown ones', () => {
  expect(formatLagTime(130, 'pathway')).toBe('2m 10s');
  expect(formatLagTime(130, 'interpolated')).toBe('≈ 2m 10s');
  expect(formatLagTime(7200, 'lower-bound')).toBe('≥ 2h');
  expect(formatLagTime(0, 'none')).toBe('0s');
  expect(formatLagTime(null, 'none')).toBe('—');
});

it('says whether a group drains, grows or holds steady', () => {
  const growing = { direction: 'growing' as const, messagesPerSecond: 1.5 };
  const flat = { direction: 'flat' as const, messagesPerSecond: 0 };
  expect(formatEta(0, 0, flat)).toBe('caught up');
  expect(formatEta(95, 40, { direction: 'shrinking', messagesPerSecond: -0.4 })).toBe('1m 35s');
  expect(formatEta(null, 40, growing)).toBe('not draining');
  expect(formatEta(null, 1, flat)).toBe('—');
  expect(formatTrend(growing)).toBe('↑ 1.50/s');
  expect(formatTrend({ direction: 'shrinking', messagesPerSecond: -12.4 })).toBe('↓ 12/s');
  expect(formatTrend(flat)).toBe('→ steady');
  expect(formatTrend({ direction: 'unknown', messagesPerSecond: null })).toBe('—');
});
