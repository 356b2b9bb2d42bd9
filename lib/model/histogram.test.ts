import { describe, expect, it } from 'vitest';
import {
  exponentialBounds,
  exponentialIndex,
  mergeBuckets,
  percentilesMs,
  quantile,
  rollupBucket,
} from './histogram';

describe('exponential buckets', () => {
  it('puts a value in the bucket whose bounds hold it, at any scale', () => {
    for (const scale of [0, 3, 8]) {
      for (const v of [1e-6, 0.0012, 0.25, 1, 3.7, 1800]) {
        const { lower, upper } = exponentialBounds(exponentialIndex(v, scale), scale);
        expect(v).toBeGreaterThan(lower * (1 - 1e-12));
        expect(v).toBeLessThanOrEqual(upper * (1 + 1e-12));
      }
    }
  });

  it('keeps the rollup relative error under 4.5%', () => {
    const { lower, upper } = rollupBucket(0.0123);
    expect(upper / lower).toBeCloseTo(2 ** (1 / 8), 10);
    expect(rollupBucket(0)).toEqual({ lower: 0, upper: 0 });
    expect(rollupBucket(-1)).toEqual({ lower: 0, upper: 0 });
  });
});

describe('quantile', () => {
  it('is within the bucket error of the exact percentile for many samples', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => 0.001 * Math.exp((i / 10_000) * 6));
    const buckets = mergeBuckets(values.map((v) => ({ ...rollupBucket(v), count: 1 })));
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1]!;
      expect(Math.abs(quantile(buckets, q)! / exact - 1)).toBeLessThan(0.045);
    }
  });

  it('interpolates inside explicit buckets and uses min/max for open ends', () => {
    const buckets = [
      { lower: 0, upper: 0.01, count: 50 },
      { lower: 0.01, upper: 0.1, count: 50 },
      { lower: 0.1, upper: Infinity, count: 0 },
    ];
    expect(quantile(buckets, 0.5)).toBeCloseTo(0.01, 10);
    expect(quantile(buckets, 0.75)).toBeCloseTo(0.055, 10);
    expect(quantile([{ lower: 1, upper: Infinity, count: 4 }], 0.99, { max: 7 })).toBeCloseTo(6.94, 10);
    expect(quantile([{ lower: 0, upper: 10, count: 1 }], 1, { max: 3 })).toBe(3);
  });

  it('merges equal buckets and gives null percentiles for nothing', () => {
    expect(
      mergeBuckets([
        { lower: 1, upper: 2, count: 1 },
        { lower: 0, upper: 1, count: 2 },
        { lower: 1, upper: 2, count: 3 },
      ]),
    ).toEqual([
      { lower: 0, upper: 1, count: 2 },
      { lower: 1, upper: 2, count: 4 },
    ]);
    expect(percentilesMs([])).toEqual({ p50Ms: null, p95Ms: null, p99Ms: null });
  });
});
