import { describe, expect, it } from 'vitest';
import { etaSeconds, lagTrend, leastSquaresSlope } from './trend';

const T = 1_700_000_000_000;
const points = (lags: number[], stepMs = 10_000) =>
  lags.map((lagMessages, i) => ({ tsMs: T + i * stepMs, lagMessages, lagSeconds: null }));

describe('leastSquaresSlope', () => {
  it('fits a line exactly when the points are on one', () => {
    expect(
      leastSquaresSlope([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
        { x: 2, y: 5 },
      ]),
    ).toBeCloseTo(2, 12);
  });

  it('stays exact on epoch-sized x values', () => {
    const slope = leastSquaresSlope([0, 1, 2, 3].map((i) => ({ x: T / 1000 + i * 10, y: 1000 - i * 50 })));
    expect(slope).toBeCloseTo(-5, 9);
  });

  it('has no slope for fewer than two points or a single x', () => {
    expect(leastSquaresSlope([{ x: 1, y: 1 }])).toBeNull();
    expect(
      leastSquaresSlope([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeNull();
  });
});

describe('lagTrend and etaSeconds', () => {
  it('reports a draining group with its rate and time to drain', () => {
    const trend = lagTrend(points([1000, 900, 800, 700]));
    expect(trend).toEqual({ direction: 'shrinking', messagesPerSecond: -10 });
    expect(etaSeconds(700, trend)).toBe(70);
  });

  it('has no ETA while the lag grows, and 0 once caught up', () => {
    const trend = lagTrend(points([10, 20, 30]));
    expect(trend.direction).toBe('growing');
    expect(etaSeconds(30, trend)).toBeNull();
    expect(etaSeconds(0, trend)).toBe(0);
  });

  it('calls a change of under one message over the span flat', () => {
    expect(lagTrend(points([5, 5, 5, 5])).direction).toBe('flat');
    expect(lagTrend(points([5, 6, 5, 5])).direction).toBe('flat');
    expect(etaSeconds(5, lagTrend(points([5, 5, 5])))).toBeNull();
  });

  it('smooths a noisy drain instead of following the last step', () => {
    // Bursty consumer: up one step, but down overall.
    const trend = lagTrend(points([100, 80, 90, 60, 50]));
    expect(trend.direction).toBe('shrinking');
    expect(trend.messagesPerSecond).toBeCloseTo(-1.2, 9);
  });

  it('is unknown with a single point', () => {
    expect(lagTrend(points([5]))).toEqual({ direction: 'unknown', messagesPerSecond: null });
  });
});
