import type { DuckDBConnection } from '@duckdb/node-api';
import { num, readRows } from './queries/read-helpers';

export const HOUR_US = 3_600_000_000;
export const hourOf = (timeUs: number) => Math.floor(timeUs / HOUR_US) * HOUR_US;

/** An hour is rolled up this long after it ends, so exports still in flight land in its minutes first. */
export const HOUR_GRACE_US = 5 * 60_000_000;

/**
 * (Re)builds the hour rollups of `hours` from their minute rows, in one
 * transaction: readers see either the old or the new rows, never a mix.
 */
export async function rollUpHours(db: DuckDBConnection, hours: readonly number[]): Promise<void> {
  if (hours.length === 0) return;
  const list = hours.map((h) => String(Math.floor(h))).join(', ');
  const hour = 'minute_us // 3600000000 * 3600000000';
  await db.run('BEGIN TRANSACTION');
  try {
    await db.run(`DELETE FROM series_hour WHERE hour_us IN (${list})`);
    await db.run(`DELETE FROM series_hour_buckets WHERE hour_us IN (${list})`);
    await db.run(`INSERT INTO series_hour
      SELECT ${hour} AS h, series_id, sum(messages), sum(errors), sum(latency_count), sum(latency_sum),
             min(latency_min), max(latency_max)
        FROM series_minute WHERE ${hour} IN (${list}) GROUP BY ALL ORDER BY h`);
    await db.run(`INSERT INTO series_hour_buckets
      SELECT ${hour} AS h, series_id, lower, upper, sum(count)
        FROM series_buckets WHERE ${hour} IN (${list}) GROUP BY ALL ORDER BY h`);
    await db.run('COMMIT');
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Closed hours that have minute rows but no hour rows (after a restart, or the first run on old data). */
export async function missingHours(db: DuckDBConnection, beforeUs: number): Promise<number[]> {
  const rows = await readRows(
    db,
    `SELECT DISTINCT minute_us // 3600000000 * 3600000000 AS h FROM series_minute
      WHERE minute_us < ${Math.floor(beforeUs)}
     EXCEPT SELECT DISTINCT hour_us FROM series_hour ORDER BY h LIMIT 500`,
  );
  return rows.map((r) => num(r.h));
}
