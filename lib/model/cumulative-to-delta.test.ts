import { describe, expect, it } from 'vitest';
import { type StreamState, downscale, toDelta } from './cumulative-to-delta';
import type { ExponentialHistogramPoint, HistogramPoint, NumberPoint } from './metric';

const T = 1_800_000_000_000_000;
const counter = (value: number, timeUs: number, startTimeUs = T): NumberPoint => ({
  metric: 'c',
  unit: '',
  resource: {},
  attributes: {},
  startTimeUs,
  timeUs,
  type: 'sum',
  temporality: 'cumulative',
  monotonic: true,
  value,
});
const state = (p: NumberPoint | HistogramPoint | ExponentialHistogramPoint): StreamState => ({
  startUs: p.startTimeUs,
  timeUs: p.timeUs,
  point: p,
});

describe('toDelta (cumulative → delta per stream)', () => {
  it('differences consecutive points of a stream', () => {
    const first = counter(10, T + 60e6);
    expect(toDelta(first, undefined)).toMatchObject({ value: 10 });
    expect(toDelta(counter(25, T + 120e6), state(first))).toMatchObject({ value: 15 });
  });

  it('treats a new start time as a producer restart and a decrease as a reset', () => {
    const before = counter(100, T + 120e6);
    expect(toDelta(counter(4, T + 180e6, T + 150e6), state(before))).toMatchObject({ value: 4 });
    expect(toDelta(counter(7, T + 180e6), state(before))).toMatchObject({ value: 7 });
  });

  it('yields nothing for a repeated or stale export (no double counting on retries)', () => {
    const last = counter(50, T + 120e6);
    expect(toDelta(counter(50, T + 120e6), state(last))).toBeNull();
    expect(toDelta(counter(40, T + 60e6), state(last))).toBeNull();
    expect(toDelta(counter(40, T + 130e6, T - 1), state(last))).toBeNull();
  });

  it('only sets the baseline from a first point carrying long history', () => {
    expect(toDelta(counter(1_000_000, T + 3600e6), undefined)).toBeNull();
  });

  it('differences explicit histograms bucket by bucket and resets when bounds change', () => {
    const h = (counts: number[], timeUs: number, bounds = [1, 2]): HistogramPoint => ({
      ...counter(0, timeUs),
      type: 'histogram',
      count: counts.reduce((a, b) => a + b, 0),
      sum: 10,
      min: 0.1,
      max: 3,
      explicitBounds: bounds,
      bucketCounts: counts,
    });
    const first = h([1, 2, 3], T + 60e6);
    expect(toDelta(h([2, 2, 5], T + 120e6), state(first))).toMatchObject({
      count: 3,
      bucketCounts: [1, 0, 2],
      sum: 0,
      min: null,
      max: null,
    });
    expect(toDelta(h([2, 2, 5], T + 120e6, [1, 3]), state(first))).toMatchObject({ bucketCounts: [2, 2, 5] });
  });

  it('differences exponential histograms across a scale change', () => {
    const e = (
      scale: number,
      offset: number,
      counts: number[],
      timeUs: number,
    ): ExponentialHistogramPoint => ({
      ...counter(0, timeUs),
      type: 'exponentialHistogram',
      count: counts.reduce((a, b) => a + b, 0),
      sum: null,
      min: null,
      max: null,
      scale,
      zeroCount: 0,
      positive: { offset, counts },
      negative: { offset: 0, counts: [] },
    });
    // Previous at scale 1 (indexes 4,5); now the SDK downscaled to 0 and has 3 more values in index 2.
    const previous = e(1, 4, [1, 1], T + 60e6);
    const delta = toDelta(e(0, 2, [5], T + 120e6), state(previous));
    expect(delta).toMatchObject({ scale: 0, count: 3, positive: { offset: 2, counts: [3] } });
  });
});

describe('downscale', () => {
  it('merges neighbouring buckets, including negative indexes', () => {
    // Indexes -3..0 map to -2, -1, -1, 0 (arithmetic shift, like the SDK's mapping).
    expect(downscale({ offset: -3, counts: [1, 2, 3, 4] }, 1)).toEqual({ offset: -2, counts: [1, 5, 4] });
    expect(downscale({ offset: 5, counts: [1] }, 0)).toEqual({ offset: 5, counts: [1] });
  });
});
