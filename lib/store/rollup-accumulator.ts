import type { Bucket } from '@/lib/model/histogram';
import { rollupBucket } from '@/lib/model/histogram';
import { type SeriesAggregate, emptyAggregate } from '@/lib/model/series';

export const MINUTE_US = 60_000_000;

export const minuteOf = (timeUs: number) => Math.floor(timeUs / MINUTE_US) * MINUTE_US;

export interface MinuteRow extends SeriesAggregate {
  minuteUs: number;
  seriesId: number;
}

export interface BucketRow {
  minuteUs: number;
  seriesId: number;
  lower: number;
  upper: number;
  count: number;
}

interface Cell {
  row: MinuteRow;
  /** Keyed by the bucket's bounds object (rollupBucket returns one shared object per bucket) or "lower|upper". */
  buckets: Map<object | string, BucketRow>;
}

/**
 * Collects one transaction's rollup contributions, pre-aggregated per
 * (minute, series) and per (minute, series, bucket), so a transaction of 50k
 * spans writes a few hundred rollup rows, not 50k. Runs for every span on the
 * ingest hot path: cells are found through numeric Map keys (series, then
 * minute) and buckets through the shared bounds object, no string keys.
 */
export class RollupAccumulator {
  private readonly cells = new Map<number, Map<number, Cell>>();

  private cell(seriesId: number, timeUs: number): Cell {
    const minuteUs = minuteOf(timeUs);
    let bySeries = this.cells.get(seriesId);
    if (!bySeries) {
      bySeries = new Map();
      this.cells.set(seriesId, bySeries);
    }
    let cell = bySeries.get(minuteUs);
    if (!cell) {
      cell = {
        row: {
          minuteUs,
          seriesId,
          ...emptyAggregate(),
        },
        buckets: new Map(),
      };
      bySeries.set(minuteUs, cell);
    }
    return cell;
  }

  /** Counts messages/errors without a latency. */
  count(seriesId: number, timeUs: number, messages: number, errors: number): void {
    const { row } = this.cell(seriesId, timeUs);
    row.messages += messages;
    row.errors += errors;
  }

  /** One measured latency (seconds), bucketed on the rollup grid. */
  observe(seriesId: number, timeUs: number, seconds: number): void {
    const { row, buckets } = this.cell(seriesId, timeUs);
    row.latencyCount += 1;
    row.latencySum += seconds;
    row.latencyMin = row.latencyMin === null ? seconds : Math.min(row.latencyMin, seconds);
    row.latencyMax = row.latencyMax === null ? seconds : Math.max(row.latencyMax, seconds);
    const bounds = rollupBucket(seconds);
    const bucket = buckets.get(bounds);
    if (bucket) bucket.count += 1;
    else
      buckets.set(bounds, {
        minuteUs: row.minuteUs,
        seriesId,
        lower: bounds.lower,
        upper: bounds.upper,
        count: 1,
      });
  }

  /** A pre-aggregated histogram (from a metric point). */
  observeHistogram(
    seriesId: number,
    timeUs: number,
    latency: { count: number; sum: number; min: number | null; max: number | null; buckets: Bucket[] },
  ): void {
    const { row, buckets } = this.cell(seriesId, timeUs);
    row.latencyCount += latency.count;
    row.latencySum += latency.sum;
    if (latency.min !== null) row.latencyMin = Math.min(row.latencyMin ?? latency.min, latency.min);
    if (latency.max !== null) row.latencyMax = Math.max(row.latencyMax ?? latency.max, latency.max);
    for (const b of latency.buckets) {
      if (b.count <= 0) continue;
      const key = `${b.lower}|${b.upper}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.count += b.count;
      else
        buckets.set(key, {
          minuteUs: row.minuteUs,
          seriesId,
          lower: b.lower,
          upper: b.upper,
          count: b.count,
        });
    }
  }

  minuteRows(): MinuteRow[] {
    return [...this.allCells()].map((c) => c.row);
  }

  /** Bucket rows; span buckets and metric buckets with the same bounds stay separate rows (readers add them). */
  bucketRows(): BucketRow[] {
    return [...this.allCells()].flatMap((c) => [...c.buckets.values()]);
  }

  /** Minutes touched, for the hour rollups. */
  touchedMinutes(): Set<number> {
    return new Set([...this.allCells()].map((c) => c.row.minuteUs));
  }

  private *allCells(): Iterable<Cell> {
    for (const bySeries of this.cells.values()) yield* bySeries.values();
  }
}
