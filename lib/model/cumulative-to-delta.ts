import {
  type ExponentialBuckets,
  type ExponentialHistogramPoint,
  type HistogramPoint,
  type NumberPoint,
  isNumberPoint,
} from './metric';

/**
 * Turns cumulative metric points into deltas per stream, so every stored
 * point is "what happened in this interval" and rollups can simply add.
 * (https://opentelemetry.io/docs/specs/otel/metrics/data-model/#temporality)
 *
 * - A stream is identified by its key (metric, resource and point attributes).
 * - Same start time as the last point: delta = current − previous. A value that
 *   went down, or histogram bounds that changed, is a reset: the whole current
 *   value is the delta.
 * - A later start time is a restart of the producer: the whole value is new.
 *   An earlier start time, or a time not after the last one, is a stale or
 *   repeated export and yields nothing (retries must not double count).
 * - The first point of a stream counts in full only if its interval is short
 *   (≤ FIRST_POINT_MAX_INTERVAL_US): otherwise it carries history from before
 *   we were listening, which would show as a spike now, so it only sets the
 *   baseline.
 *
 * The state is a plain map the store persists in the same transaction as the
 * points, so a restart neither loses nor double-counts. The caller passes a
 * scratch map for a batch and merges it after commit.
 */
export type CumulativePoint = NumberPoint | HistogramPoint | ExponentialHistogramPoint;

export interface StreamState {
  startUs: number;
  timeUs: number;
  point: CumulativePoint;
}

export const FIRST_POINT_MAX_INTERVAL_US = 10 * 60 * 1e6;

export function toDelta(point: CumulativePoint, previous: StreamState | undefined): CumulativePoint | null {
  if (!previous) {
    return point.timeUs - point.startTimeUs <= FIRST_POINT_MAX_INTERVAL_US ? point : null;
  }
  if (point.startTimeUs < previous.startUs) return null;
  if (point.startTimeUs > previous.startUs) return point; // the producer restarted
  if (point.timeUs <= previous.timeUs) return null;
  return subtract(point, previous.point) ?? point;
}

/** current − previous, or null when that is not a valid difference (a reset). */
function subtract(current: CumulativePoint, previous: CumulativePoint): CumulativePoint | null {
  if (isNumberPoint(current)) {
    if (!isNumberPoint(previous) || previous.type !== current.type) return null;
    const value = current.value - previous.value;
    return value < 0 ? null : { ...current, value };
  }
  if (current.type === 'histogram') {
    if (previous.type !== 'histogram' || !sameBounds(current.explicitBounds, previous.explicitBounds))
      return null;
    const counts = subtractCounts(current.bucketCounts, previous.bucketCounts, 0, 0);
    const count = current.count - previous.count;
    if (!counts || count < 0) return null;
    return { ...current, count, bucketCounts: counts, ...intervalStats(current, previous) };
  }
  if (previous.type !== 'exponentialHistogram') return null;
  const scale = Math.min(current.scale, previous.scale);
  const positive = subtractBuckets(
    downscale(current.positive, current.scale - scale),
    downscale(previous.positive, previous.scale - scale),
  );
  const negative = subtractBuckets(
    downscale(current.negative, current.scale - scale),
    downscale(previous.negative, previous.scale - scale),
  );
  const count = current.count - previous.count;
  const zeroCount = current.zeroCount - previous.zeroCount;
  if (!positive || !negative || count < 0 || zeroCount < 0) return null;
  return { ...current, scale, positive, negative, count, zeroCount, ...intervalStats(current, previous) };
}

/** Sum is differenced; min/max of a cumulative stream do not tell the interval's, so they are dropped. */
function intervalStats(current: HistogramPoint | ExponentialHistogramPoint, previous: typeof current) {
  const sum = current.sum !== null && previous.sum !== null ? current.sum - previous.sum : null;
  return { sum, min: null, max: null };
}

function sameBounds(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Element-wise a − b with each array starting at its own offset; null if any count would go negative. */
function subtractCounts(a: number[], b: number[], aOffset: number, bOffset: number): number[] | null {
  const out = [...a];
  for (let i = 0; i < b.length; i++) {
    const at = bOffset + i - aOffset;
    const count = b[i]!;
    if (count === 0) continue;
    if (at < 0 || at >= out.length) return null;
    out[at]! -= count;
    if (out[at]! < 0) return null;
  }
  return out;
}

function subtractBuckets(a: ExponentialBuckets, b: ExponentialBuckets): ExponentialBuckets | null {
  const counts = subtractCounts(a.counts, b.counts, a.offset, b.offset);
  return counts ? { offset: a.offset, counts } : null;
}

/** Re-buckets to a coarser scale: `by` scale steps merge 2^by neighbouring buckets into one. */
export function downscale(buckets: ExponentialBuckets, by: number): ExponentialBuckets {
  if (by <= 0 || buckets.counts.length === 0) return buckets;
  const offset = buckets.offset >> by;
  const counts: number[] = [];
  buckets.counts.forEach((count, i) => {
    const at = ((buckets.offset + i) >> by) - offset;
    counts[at] = (counts[at] ?? 0) + count;
  });
  return { offset, counts: Array.from(counts, (c) => c ?? 0) };
}
