/**
 * Mergeable latency histograms: the one representation behind every
 * percentile Signalbox shows. A histogram is a list of buckets (lower, upper]
 * in seconds with counts; merging is adding counts of equal buckets, so
 * per-minute rollups combine exactly into any window, and metric histograms
 * from SDKs (explicit or exponential) sit beside span-derived ones.
 *
 * Span latencies go into OpenTelemetry-style exponential buckets at scale 3
 * (base 2^(1/8) ≈ 1.09: at most ~4.4% relative error, 8 buckets per doubling),
 * the same bucket grid an exponential-histogram metric at scale ≥ 3 reduces
 * to, so both merge bucket for bucket
 * (https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram).
 */
export interface Bucket {
  /** Exclusive lower bound, seconds (0 for the zero bucket; -Infinity for an open first bucket). */
  lower: number;
  /** Inclusive upper bound, seconds (Infinity for an open last bucket). */
  upper: number;
  count: number;
}

/** Scale of the exponential buckets span latencies are rolled up into. */
export const ROLLUP_SCALE = 3;

/** Bounds of exponential bucket `index` at `scale`: (2^(index/2^scale), 2^((index+1)/2^scale)]. */
export function exponentialBounds(index: number, scale: number): { lower: number; upper: number } {
  const step = 2 ** -scale;
  return { lower: 2 ** (index * step), upper: 2 ** ((index + 1) * step) };
}

/** The exponential bucket index holding `value` (> 0) at `scale`. */
export function exponentialIndex(value: number, scale: number): number {
  return Math.ceil(Math.log2(value) * 2 ** scale) - 1;
}

const boundsCache = new Map<number, { lower: number; upper: number }>();

/** The rollup bucket of a latency in seconds; zero and negative values (clock skew) share the zero bucket. */
export function rollupBucket(seconds: number): { lower: number; upper: number } {
  if (!(seconds > 0)) return { lower: 0, upper: 0 };
  const index = exponentialIndex(seconds, ROLLUP_SCALE);
  let bounds = boundsCache.get(index);
  if (!bounds) {
    bounds = exponentialBounds(index, ROLLUP_SCALE);
    boundsCache.set(index, bounds);
  }
  return bounds;
}

/** Adds equal buckets together and sorts by upper bound (the order quantiles walk). */
export function mergeBuckets(buckets: Iterable<Bucket>): Bucket[] {
  const byBounds = new Map<string, Bucket>();
  for (const b of buckets) {
    if (b.count <= 0) continue;
    const key = `${b.lower}|${b.upper}`;
    const existing = byBounds.get(key);
    if (existing) existing.count += b.count;
    else byBounds.set(key, { ...b });
  }
  return [...byBounds.values()].sort((a, b) => a.upper - b.upper || a.lower - b.lower);
}

/**
 * The q-quantile (0..1) of sorted buckets, interpolating linearly inside the
 * bucket that holds the rank (as Prometheus' histogram_quantile does), and
 * clamped to the observed min/max when known. Null when empty.
 */
export function quantile(
  sorted: readonly Bucket[],
  q: number,
  observed: { min?: number | null; max?: number | null } = {},
): number | null {
  let total = 0;
  for (const b of sorted) total += b.count;
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (const b of sorted) {
    if (b.count === 0) continue;
    if (seen + b.count >= rank) {
      let lower = b.lower === -Infinity ? (observed.min ?? Math.min(0, b.upper)) : b.lower;
      const upper = b.upper === Infinity ? (observed.max ?? lower) : b.upper;
      if (lower > upper) lower = upper;
      const value = lower + (upper - lower) * ((rank - seen) / b.count);
      return clamp(value, observed.min ?? null, observed.max ?? null);
    }
    seen += b.count;
  }
  return clamp(sorted.at(-1)?.upper ?? null, observed.min ?? null, observed.max ?? null);
}

function clamp(value: number | null, min: number | null, max: number | null): number | null {
  if (value === null) return null;
  if (min !== null && value < min) return min;
  if (max !== null && value > max) return max;
  return value;
}

/** Percentiles in milliseconds, rounded to the microsecond, from buckets in seconds. */
export function percentilesMs(
  buckets: readonly Bucket[],
  observed: { min?: number | null; max?: number | null } = {},
): { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null } {
  const sorted = mergeBuckets(buckets);
  const ms = (q: number) => {
    const seconds = quantile(sorted, q, observed);
    return seconds === null ? null : Math.round(seconds * 1e6) / 1e3;
  };
  return { p50Ms: ms(0.5), p95Ms: ms(0.95), p99Ms: ms(0.99) };
}
