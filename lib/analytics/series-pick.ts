import { type SeriesAggregate, type SeriesKind, type SeriesSource, emptyAggregate } from '@/lib/model/series';
import type { SeriesTotals } from '@/lib/store/types';
import type { Bucket } from '@/lib/model/histogram';

/**
 * Choosing between sources. Metrics are exact under trace sampling (every
 * message is counted, every latency recorded), so a number comes from
 * metrics whenever a metric series for it has data in the window, and from
 * spans otherwise; every number says which.
 */
export type Source = SeriesSource;

/** Several series summed (e.g. one per pathway hash or error type). */
export interface Combined extends SeriesAggregate {
  seriesIds: number[];
  buckets: Bucket[];
}

export function combine(series: readonly SeriesTotals[]): Combined {
  const out: Combined = {
    seriesIds: [],
    ...emptyAggregate(),
    buckets: [],
  };
  for (const s of series) {
    out.seriesIds.push(s.seriesId);
    out.messages += s.messages;
    out.errors += s.errors;
    out.latencyCount += s.latencyCount;
    out.latencySum += s.latencySum;
    if (s.latencyMin !== null) out.latencyMin = Math.min(out.latencyMin ?? s.latencyMin, s.latencyMin);
    if (s.latencyMax !== null) out.latencyMax = Math.max(out.latencyMax ?? s.latencyMax, s.latencyMax);
    out.buckets.push(...s.buckets);
  }
  return out;
}

/** Series of one edge, grouped by kind and source. */
export class EdgeSeries {
  private readonly byKind = new Map<string, SeriesTotals[]>();

  add(s: SeriesTotals): void {
    const key = `${s.dims.kind}:${s.dims.source}`;
    const list = this.byKind.get(key);
    if (list) list.push(s);
    else this.byKind.set(key, [s]);
  }

  get(kind: SeriesKind, source: Source, where: (s: SeriesTotals) => boolean = () => true): SeriesTotals[] {
    return (this.byKind.get(`${kind}:${source}`) ?? []).filter(where);
  }

  /** The first candidate with data for `has`, as [source, combined series]. */
  pick(
    candidates: readonly [Source, SeriesTotals[]][],
    has: (c: Combined) => boolean,
  ): { source: Source; combined: Combined } | null {
    for (const [source, series] of candidates) {
      const combined = combine(series);
      if (series.length > 0 && has(combined)) return { source, combined };
    }
    return null;
  }
}
