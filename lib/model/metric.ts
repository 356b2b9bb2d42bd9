import type { Attributes } from './telemetry';

/**
 * The wire-independent shape of one OTLP metric data point after decoding
 * (both the protobuf and the JSON decoders produce exactly this). Times are
 * microseconds since the epoch; values keep the metric's own unit.
 */
export type Temporality = 'delta' | 'cumulative' | 'unspecified';

interface PointBase {
  metric: string;
  unit: string;
  resource: Attributes;
  attributes: Attributes;
  startTimeUs: number;
  timeUs: number;
}

/** A Sum (counter/up-down counter) or Gauge point. */
export interface NumberPoint extends PointBase {
  type: 'sum' | 'gauge';
  temporality: Temporality;
  monotonic: boolean;
  value: number;
}

/** An explicit-bucket histogram point: bucketCounts has explicitBounds.length + 1 entries. */
export interface HistogramPoint extends PointBase {
  type: 'histogram';
  temporality: Temporality;
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  explicitBounds: number[];
  bucketCounts: number[];
}

/** Bucket i of an exponential histogram covers (base^(offset+i), base^(offset+i+1)] with base = 2^(2^-scale). */
export interface ExponentialBuckets {
  offset: number;
  counts: number[];
}

export interface ExponentialHistogramPoint extends PointBase {
  type: 'exponentialHistogram';
  temporality: Temporality;
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  scale: number;
  zeroCount: number;
  positive: ExponentialBuckets;
  negative: ExponentialBuckets;
}

export interface SummaryPoint extends PointBase {
  type: 'summary';
  count: number;
  sum: number;
  quantiles: { quantile: number; value: number }[];
}

export type MetricPoint = NumberPoint | HistogramPoint | ExponentialHistogramPoint | SummaryPoint;

export function isNumberPoint(point: MetricPoint): point is NumberPoint {
  return point.type === 'sum' || point.type === 'gauge';
}

/** OTLP AggregationTemporality numbers. */
export function temporalityOf(code: number): Temporality {
  return code === 1 ? 'delta' : code === 2 ? 'cumulative' : 'unspecified';
}

/** Exponential histograms accept scales -10..20 (the OTLP data model's range). */
export const MIN_SCALE = -10;
export const MAX_SCALE = 20;
/** A point with more buckets than this is refused: no legitimate SDK sends it and it would cost memory. */
export const MAX_BUCKETS = 4096;
