import type { BucketRow, MinuteRow } from './rollup-accumulator';

/**
 * Bucket bounds (seconds) of the latency histograms exposed to Prometheus:
 * the explicit buckets the instrumentation advises (PATHWAY.md), so a
 * metric-sourced histogram maps onto them exactly.
 */
export const EXPOSITION_BOUNDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600,
] as const;

/** Totals of one series since this process started (what Prometheus counters must be). */
export interface LiveSeriesTotals {
  seriesId: number;
  messages: number;
  errors: number;
  latencyCount: number;
  latencySum: number;
  /** Per EXPOSITION_BOUNDS bucket, then +Inf; not cumulative. */
  bucketCounts: number[];
}

/**
 * Monotonic counters fed by every committed transaction, for /metrics.
 * Prometheus expects counters that only grow within a process lifetime (a
 * restart is a reset it understands); totals read back from rollups would
 * shrink whenever retention deletes old minutes. A rollup bucket is counted
 * in the first exposition bucket whose bound is ≥ its upper bound, which is
 * exact for metric histograms using the advised bounds and conservative
 * (never reports a latency as lower than it was) otherwise.
 */
export class LiveCounters {
  private readonly totals = new Map<number, LiveSeriesTotals>();

  constructor(private readonly maxSeries = 50_000) {}

  private entry(seriesId: number): LiveSeriesTotals | null {
    let t = this.totals.get(seriesId);
    if (!t) {
      if (this.totals.size >= this.maxSeries) return null;
      t = {
        seriesId,
        messages: 0,
        errors: 0,
        latencyCount: 0,
        latencySum: 0,
        bucketCounts: new Array<number>(EXPOSITION_BOUNDS.length + 1).fill(0),
      };
      this.totals.set(seriesId, t);
    }
    return t;
  }

  add(minutes: readonly MinuteRow[], buckets: readonly BucketRow[]): void {
    for (const m of minutes) {
      const t = this.entry(m.seriesId);
      if (!t) continue;
      t.messages += m.messages;
      t.errors += m.errors;
      t.latencyCount += m.latencyCount;
      t.latencySum += m.latencySum;
    }
    for (const b of buckets) {
      const t = this.totals.get(b.seriesId);
      if (!t) continue;
      let i = EXPOSITION_BOUNDS.findIndex((bound) => b.upper <= bound * (1 + 1e-9));
      if (i < 0) i = EXPOSITION_BOUNDS.length;
      t.bucketCounts[i]! += b.count;
    }
  }

  snapshot(): LiveSeriesTotals[] {
    return [...this.totals.values()].map((t) => ({ ...t, bucketCounts: [...t.bucketCounts] }));
  }
}
