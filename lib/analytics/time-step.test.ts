import { describe, expect, it } from 'vitest';
import { parseStep } from './time-step';
import { TimeRangeError, parseCompareTo } from './time-range';

const hour = { fromUs: 0, toUs: 3600e6 };

describe('parseStep', () => {
  it('picks about 60 whole-minute steps by default and reads durations', () => {
    expect(parseStep(null, hour)).toBe(60e6);
    expect(parseStep(null, { fromUs: 0, toUs: 86_400e6 })).toBe(1440e6);
    expect(parseStep('5m', hour)).toBe(300e6);
    expect(parseStep('10s', hour)).toBe(60e6); // rollups have one-minute resolution
  });
  it('refuses nonsense and too many points', () => {
    expect(() => parseStep('soon', hour)).toThrow(TimeRangeError);
    expect(() => parseStep('1m', { fromUs: 0, toUs: 7 * 86_400e6 })).toThrow(/more than 1440 points/);
  });
});

describe('parseCompareTo', () => {
  it('shifts the window by a duration or starts it at an ISO time', () => {
    expect(parseCompareTo('1d', hour)).toEqual({ fromUs: -86_400e6, toUs: 3600e6 - 86_400e6 });
    expect(parseCompareTo('2026-11-20T00:00:00Z', hour)).toEqual({
      fromUs: Date.parse('2026-11-20T00:00:00Z') * 1000,
      toUs: Date.parse('2026-11-20T00:00:00Z') * 1000 + 3600e6,
    });
    expect(parseCompareTo(null, hour)).toBeNull();
    expect(() => parseCompareTo('yesterday-ish', hour)).toThrow(/compareTo/);
  });
});
