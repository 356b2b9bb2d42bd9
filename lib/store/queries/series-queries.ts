import type { DuckDBConnection } from '@duckdb/node-api';
import type { Bucket } from '@/lib/model/histogram';
import type { PathwayEdge, SeriesDims, SeriesKind, SeriesSource } from '@/lib/model/series';
import { HOUR_US } from '../hour-rollups';
import { MINUTE_US, minuteOf } from '../rollup-accumulator';
import type { SeriesFilter, SeriesStep, SeriesTotals, TimeWindow } from '../types';
import { ParamBuilder, type Row, num, numOrNull, readRows, strOrNull } from './read-helpers';

/**
 * Reads over the rollups. Two small aggregations per question (totals and
 * histogram buckets), merged here; their cost depends on the number of
 * minutes × series in the window, not on how many spans were stored.
 */

/** Rollups have one-minute resolution: a window covers the minutes that start inside it. */
function minuteWindow(window: TimeWindow): TimeWindow {
  return { fromUs: minuteOf(window.fromUs), toUs: window.toUs };
}

function filterSql(filter: SeriesFilter | undefined, params: ParamBuilder, alias = 'm'): string {
  const parts: string[] = [];
  if (filter?.seriesIds) {
    params.ints('ids', filter.seriesIds);
    parts.push(`${alias}.series_id IN (SELECT unnest($ids))`);
  }
  if (filter?.kinds) {
    params.texts('kinds', filter.kinds);
    parts.push(`${alias}.series_id IN (SELECT series_id FROM series WHERE kind IN (SELECT unnest($kinds)))`);
  }
  return parts.map((p) => ` AND ${p}`).join('');
}

export function dimsOf(row: Row): SeriesDims {
  return {
    kind: row.kind as SeriesKind,
    source: row.source as SeriesSource,
    service: row.service as string,
    system: row.system as string,
    destination: row.destination as string,
    consumerGroup: strOrNull(row.consumer_group),
    pathwayHash: strOrNull(row.pathway_hash),
    errorType: strOrNull(row.error_type),
  };
}

function totalsOf(row: Row) {
  return {
    seriesId: num(row.series_id),
    messages: num(row.messages),
    errors: num(row.errors),
    latencyCount: num(row.latency_count),
    latencySum: num(row.latency_sum),
    latencyMin: numOrNull(row.latency_min),
    latencyMax: numOrNull(row.latency_max),
  };
}

const bucketOf = (row: Row): Bucket => ({
  lower: num(row.lower),
  upper: num(row.upper),
  count: num(row.count),
});

/**
 * Which parts of a window to read from hour rollups and which from minutes:
 * hours that lie wholly inside the window and have been rolled up, and the
 * minute ranges around and between them.
 */
async function windowParts(
  db: DuckDBConnection,
  window: TimeWindow,
): Promise<{ hours: number[]; minutes: [number, number][] }> {
  const from = minuteOf(window.fromUs);
  const firstHour = Math.ceil(from / HOUR_US) * HOUR_US;
  const rows = await readRows(
    db,
    `SELECT DISTINCT hour_us FROM series_hour
      WHERE hour_us >= ${firstHour} AND hour_us + ${HOUR_US} <= ${Math.floor(window.toUs)} ORDER BY hour_us`,
  );
  const hours = rows.map((r) => num(r.hour_us));
  const minutes: [number, number][] = [];
  let cursor = from;
  for (const h of hours) {
    if (h > cursor) minutes.push([cursor, h]);
    cursor = h + HOUR_US;
  }
  if (cursor < window.toUs) minutes.push([cursor, Math.ceil(window.toUs)]);
  return { hours, minutes };
}

/** A UNION ALL over hour rows and minute ranges of `columns` from the given table pair. */
function partsSql(
  parts: { hours: number[]; minutes: [number, number][] },
  hourTable: string,
  minuteTable: string,
  columns: string,
  filter: string,
): string {
  const selects: string[] = [];
  if (parts.hours.length > 0) {
    selects.push(
      `SELECT ${columns} FROM ${hourTable} m WHERE m.hour_us IN (${parts.hours.join(', ')})${filter}`,
    );
  }
  for (const [a, b] of parts.minutes) {
    selects.push(
      `SELECT ${columns} FROM ${minuteTable} m WHERE m.minute_us >= ${a} AND m.minute_us < ${b}${filter}`,
    );
  }
  return selects.length > 0
    ? selects.join(' UNION ALL ')
    : `SELECT ${columns} FROM ${minuteTable} m WHERE false`;
}

export async function seriesTotals(
  db: DuckDBConnection,
  window: TimeWindow,
  filter?: SeriesFilter,
): Promise<SeriesTotals[]> {
  const parts = await windowParts(db, window);
  const p = new ParamBuilder();
  const where = filterSql(filter, p);
  // One connection runs one query at a time: these two run in sequence.
  const totals = await readRows(
    db,
    `SELECT s.*, t.* EXCLUDE (series_id) FROM (
       SELECT series_id, sum(messages) AS messages, sum(errors) AS errors, sum(latency_count) AS latency_count,
              sum(latency_sum) AS latency_sum, min(latency_min) AS latency_min, max(latency_max) AS latency_max
         FROM (${partsSql(parts, 'series_hour', 'series_minute', 'm.series_id, messages, errors, latency_count, latency_sum, latency_min, latency_max', where)})
        GROUP BY series_id) t
     JOIN series s USING (series_id)`,
    p,
  );
  const buckets = await readRows(
    db,
    `SELECT series_id, lower, upper, sum(count) AS count
       FROM (${partsSql(parts, 'series_hour_buckets', 'series_buckets', 'm.series_id, lower, upper, count', where)})
      GROUP BY ALL`,
    p,
  );
  const bucketsBySeries = new Map<number, Bucket[]>();
  for (const row of buckets) {
    const id = num(row.series_id);
    const list = bucketsBySeries.get(id);
    if (list) list.push(bucketOf(row));
    else bucketsBySeries.set(id, [bucketOf(row)]);
  }
  return totals.map((row) => {
    const t = totalsOf(row);
    return { ...t, dims: dimsOf(row), buckets: bucketsBySeries.get(t.seriesId) ?? [] };
  });
}

export async function seriesTimeline(
  db: DuckDBConnection,
  window: TimeWindow,
  stepUs: number,
  seriesIds: readonly number[],
): Promise<SeriesStep[]> {
  if (seriesIds.length === 0) return [];
  const step = Math.max(MINUTE_US, Math.round(stepUs / MINUTE_US) * MINUTE_US);
  const p = new ParamBuilder().window(minuteWindow(window)).bigint('step', step);
  const where = `m.minute_us >= $from AND m.minute_us < $to${filterSql({ seriesIds }, p)}`;
  const stepExpr = `(m.minute_us - $from) // $step * $step + $from`;
  const totals = await readRows(
    db,
    `SELECT ${stepExpr} AS step_us, m.series_id, sum(messages) AS messages, sum(errors) AS errors,
              sum(latency_count) AS latency_count, sum(latency_sum) AS latency_sum,
              min(latency_min) AS latency_min, max(latency_max) AS latency_max
         FROM series_minute m WHERE ${where} GROUP BY ALL ORDER BY step_us`,
    p,
  );
  const buckets = await readRows(
    db,
    `SELECT ${stepExpr} AS step_us, m.series_id, lower, upper, sum(count) AS count
         FROM series_buckets m WHERE ${where} GROUP BY ALL`,
    p,
  );
  const bucketsByStep = new Map<string, Bucket[]>();
  for (const row of buckets) {
    const key = `${num(row.step_us)}:${num(row.series_id)}`;
    const list = bucketsByStep.get(key);
    if (list) list.push(bucketOf(row));
    else bucketsByStep.set(key, [bucketOf(row)]);
  }
  return totals.map((row) => {
    const t = totalsOf(row);
    const stepStartUs = num(row.step_us);
    return { ...t, stepStartUs, buckets: bucketsByStep.get(`${stepStartUs}:${t.seriesId}`) ?? [] };
  });
}

export async function pathways(db: DuckDBConnection): Promise<PathwayEdge[]> {
  const rows = await readRows(db, 'SELECT * FROM pathways');
  return rows.map((r) => ({
    hash: r.hash as string,
    parentHash: r.parent_hash as string,
    service: r.service as string,
    system: r.system as string,
    destination: r.destination as string,
    hops: numOrNull(r.hops),
    seenUs: num(r.last_seen_us),
  }));
}

export async function seriesDims(db: DuckDBConnection): Promise<Map<number, SeriesDims>> {
  const rows = await readRows(db, 'SELECT * FROM series');
  return new Map(rows.map((r) => [num(r.series_id), dimsOf(r)]));
}
