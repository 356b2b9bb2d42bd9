import { type GroupSeries, type LagHistory, type SeriesQuery, groupKeyId } from './history';
import type { GroupKey, GroupSeriesPoint, LagSample } from './types';

const sameGroup = (a: GroupKey, b: GroupKey) =>
  a.system === b.system && a.destination === b.destination && a.group === b.group;

/**
 * Lag history in process memory, with the same answers as DuckDbLagHistory: for the dashboard until it
 * hands the poller a DuckDB connection, and for tests of the poller. Lost on restart.
 */
export class MemoryLagHistory implements LagHistory {
  private rows: LagSample[] = [];

  /** @param maxAgeMs samples older than this (relative to the newest) are dropped on append, to bound memory. */
  constructor(private readonly maxAgeMs = 6 * 3_600_000) {}

  append(samples: readonly LagSample[]): Promise<void> {
    this.rows.push(...samples.map((s) => ({ ...s })));
    this.rows.sort((a, b) => a.tsMs - b.tsMs);
    const newest = this.rows.at(-1)?.tsMs ?? 0;
    const firstKept = this.rows.findIndex((s) => s.tsMs >= newest - this.maxAgeMs);
    if (firstKept > 0) this.rows.splice(0, firstKept);
    return Promise.resolve();
  }

  samples(query: { sinceMs: number; untilMs: number; key?: GroupKey }): Promise<LagSample[]> {
    return Promise.resolve(
      this.rows
        .filter(
          (s) => s.tsMs >= query.sinceMs && s.tsMs < query.untilMs && (!query.key || sameGroup(s, query.key)),
        )
        .map((s) => ({ ...s })),
    );
  }

  async groupSeries(query: SeriesQuery): Promise<Map<string, GroupSeries>> {
    const out = new Map<string, GroupSeries>();
    for (const [id, { key, points }] of await this.series(query, (s) => groupKeyId(s)))
      out.set(id, { key, points });
    return out;
  }

  async partitionSeries(query: SeriesQuery & { key: GroupKey }): Promise<Map<string, GroupSeriesPoint[]>> {
    const out = new Map<string, GroupSeriesPoint[]>();
    for (const [partition, { points }] of await this.series(query, (s) => s.partition))
      out.set(partition, points);
    return out;
  }

  private async series(
    query: SeriesQuery,
    idOf: (s: LagSample) => string,
  ): Promise<Map<string, GroupSeries>> {
    // Sum per poll (same id, same timestamp), then keep the worst poll of each bucket.
    const perPoll = new Map<string, Map<number, GroupSeriesPoint>>();
    const keys = new Map<string, GroupKey>();
    for (const s of await this.samples(query)) {
      const id = idOf(s);
      keys.set(id, { system: s.system, destination: s.destination, group: s.group });
      let polls = perPoll.get(id);
      if (!polls) perPoll.set(id, (polls = new Map<number, GroupSeriesPoint>()));
      const point = polls.get(s.tsMs) ?? { tsMs: s.tsMs, lagMessages: 0, lagSeconds: null };
      point.lagMessages += s.lagMessages;
      if (s.lagSeconds !== null) point.lagSeconds = Math.max(point.lagSeconds ?? 0, s.lagSeconds);
      polls.set(s.tsMs, point);
    }
    const out = new Map<string, GroupSeries>();
    for (const id of [...perPoll.keys()].sort()) {
      const buckets = new Map<number, GroupSeriesPoint>();
      for (const point of perPoll.get(id)!.values()) {
        const bucket = Math.floor(point.tsMs / query.stepMs);
        const current = buckets.get(bucket);
        if (!current) {
          buckets.set(bucket, { ...point });
          continue;
        }
        current.tsMs = Math.max(current.tsMs, point.tsMs);
        current.lagMessages = Math.max(current.lagMessages, point.lagMessages);
        if (point.lagSeconds !== null)
          current.lagSeconds = Math.max(current.lagSeconds ?? 0, point.lagSeconds);
      }
      out.set(id, { key: keys.get(id)!, points: [...buckets.values()].sort((a, b) => a.tsMs - b.tsMs) });
    }
    return out;
  }

  prune(beforeMs: number): Promise<number> {
    const before = this.rows.length;
    this.rows = this.rows.filter((s) => s.tsMs >= beforeMs);
    return Promise.resolve(before - this.rows.length);
  }
}
