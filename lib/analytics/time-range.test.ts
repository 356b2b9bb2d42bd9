import { describe, expect, it } from 'vitest';
import { TimeRangeError, parseTimeRange } from './time-range';

const NOW = Date.parse('2026-11-21T12:00:00Z');

describe('parseTimeRange', () => {
  it('defaults to the last 15 minutes', () => {
    expect(parseTimeRange(null, null, NOW)).toEqual({
      from: '15m',
      to: 'now',
      fromUs: (NOW - 15 * 60_000) * 1000,
      toUs: NOW * 1000,
    });
  });

  it('reads relative and ISO times', () => {
    expect(parseTimeRange('2h', undefined, NOW).fromUs).toBe((NOW - 7_200_000) * 1000);
    expect(parseTimeRange('7d', '1d', NOW).toUs).toBe((NOW - 86_400_000) * 1000);
    const iso = parseTimeRange('2026-11-21T11:00:00Z', '2026-11-21T11:30:00.5Z', NOW);
    expect(iso.fromUs).toBe(Date.parse('2026-11-21T11:00:00Z') * 1000);
    expect(iso.toUs).toBe(Date.parse('2026-11-21T11:30:00.500Z') * 1000);
  });

  it('names the bad parameter', () => {
    expect(() => parseTimeRange('yesterday', null, NOW)).toThrow(TimeRangeError);
    expect(() => parseTimeRange('yesterday', null, NOW)).toThrow(/from="yesterday"/);
    expect(() => parseTimeRange('5m', '10m', NOW)).toThrow(/must be before/);
  });
});
