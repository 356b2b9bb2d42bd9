import { MAX_BUCKETS, MAX_SCALE, MIN_SCALE } from '@/lib/model/metric';
import { OtlpDecodeError } from '@/lib/model/telemetry';

/**
 * Structural checks both metric decoders apply, so a point that would make
 * the analytics wrong (bucket counts that do not match the bounds, unsorted
 * bounds, an impossible scale) is refused with a 400 and never stored.
 */

export function checkExplicitBuckets(bounds: number[], counts: number[], path: string): void {
  if (counts.length > MAX_BUCKETS) throw new OtlpDecodeError(`${path}: more than ${MAX_BUCKETS} buckets`);
  if (counts.length !== 0 && counts.length !== bounds.length + 1) {
    throw new OtlpDecodeError(
      `${path}: bucketCounts has ${counts.length} entries, expected explicitBounds.length + 1 = ${bounds.length + 1}`,
    );
  }
  for (let i = 0; i < bounds.length; i++) {
    if (!Number.isFinite(bounds[i]) || (i > 0 && bounds[i]! <= bounds[i - 1]!)) {
      throw new OtlpDecodeError(`${path}: explicitBounds must be finite and strictly increasing`);
    }
  }
  checkCounts(counts, path);
}

export function checkExponential(scale: number, counts: number[], path: string): void {
  if (!Number.isInteger(scale) || scale < MIN_SCALE || scale > MAX_SCALE) {
    throw new OtlpDecodeError(`${path}: scale ${scale} is outside ${MIN_SCALE}..${MAX_SCALE}`);
  }
  if (counts.length > MAX_BUCKETS) throw new OtlpDecodeError(`${path}: more than ${MAX_BUCKETS} buckets`);
  checkCounts(counts, path);
}

function checkCounts(counts: number[], path: string): void {
  for (const count of counts) {
    if (!Number.isFinite(count) || count < 0) {
      throw new OtlpDecodeError(`${path}: bucket counts must be non-negative integers`);
    }
  }
}

/** A finite number or fail: NaN/Infinity values would poison every sum they enter. */
export function finite(value: number, path: string): number {
  if (!Number.isFinite(value)) throw new OtlpDecodeError(`${path}: expected a finite number`);
  return value;
}
