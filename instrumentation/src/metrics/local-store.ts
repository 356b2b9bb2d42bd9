import type { Attributes } from '@opentelemetry/api';
import type { MetricSeries } from './series.js';

/*
 * In-process aggregation of this package's metrics, for when they are handed
 * to the SDK through the MetricProducer (./producer.ts) rather than recorded
 * one call at a time through the API. A record is a Map lookup by the
 * series' precomputed key plus a bucket increment; the SDK's own synchronous
 * instruments hash the attribute set on every call instead, which was most of
 * this package's cost per message.
 */

// Above this many attribute sets per metric, new ones are folded into one
// overflow set (the SDK's own convention and default limit), so a bug that
// puts a message id into an attribute cannot grow memory without bound.
const MAX_ATTRIBUTE_SETS = 2000;
const OVERFLOW_KEY = '\u0000overflow';
const OVERFLOW: Attributes = { 'otel.metric.overflow': true };

/** What a local metric is, for export. */
export interface LocalMetricDescriptor {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly kind: 'histogram' | 'counter';
  /** Histograms: the explicit bucket boundaries (inclusive upper bounds). */
  readonly boundaries?: readonly number[];
}

export interface HistogramPoint {
  readonly attributes: Attributes;
  readonly startMs: number;
  /** counts[i] for values ≤ boundaries[i] (and > the previous one); the last is the overflow bucket. */
  readonly counts: number[];
  count: number;
  sum: number;
  min: number;
  max: number;
}

export interface CounterPoint {
  readonly attributes: Attributes;
  readonly startMs: number;
  value: number;
}

/** Index of the bucket for `value`: the first boundary ≥ value (boundaries are inclusive upper bounds). */
function bucketIndex(boundaries: readonly number[], value: number): number {
  let low = 0;
  let high = boundaries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((boundaries[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** One histogram's points per attribute set. */
export class LocalHistogram {
  readonly points = new Map<string, HistogramPoint>();
  private readonly boundaries: readonly number[];

  constructor(readonly descriptor: LocalMetricDescriptor) {
    this.boundaries = descriptor.boundaries ?? [];
  }

  record(value: number, series: MetricSeries): void {
    // Histograms take non-negative values only (as the SDK does for them).
    if (!(value >= 0) || value === Infinity) return;
    let point = this.points.get(series.key);
    if (point === undefined) point = this.newPoint(series);
    point.counts[bucketIndex(this.boundaries, value)]! += 1;
    point.count += 1;
    point.sum += value;
    if (value < point.min) point.min = value;
    if (value > point.max) point.max = value;
  }

  private newPoint(series: MetricSeries): HistogramPoint {
    const overflow = this.points.size >= MAX_ATTRIBUTE_SETS;
    const key = overflow ? OVERFLOW_KEY : series.key;
    const existing = this.points.get(key);
    if (existing) return existing;
    const point: HistogramPoint = {
      attributes: overflow ? OVERFLOW : series.attributes,
      startMs: Date.now(),
      counts: new Array<number>(this.boundaries.length + 1).fill(0),
      count: 0,
      sum: 0,
      min: Infinity,
      max: -Infinity,
    };
    this.points.set(key, point);
    return point;
  }
}

/** One monotonic counter's totals per attribute set. */
export class LocalCounter {
  readonly points = new Map<string, CounterPoint>();

  constructor(readonly descriptor: LocalMetricDescriptor) {}

  add(value: number, series: MetricSeries): void {
    let point = this.points.get(series.key);
    if (point === undefined) {
      const overflow = this.points.size >= MAX_ATTRIBUTE_SETS;
      const key = overflow ? OVERFLOW_KEY : series.key;
      point = this.points.get(key);
      if (!point) {
        point = { attributes: overflow ? OVERFLOW : series.attributes, startMs: Date.now(), value: 0 };
        this.points.set(key, point);
      }
    }
    point.value += value;
  }
}
