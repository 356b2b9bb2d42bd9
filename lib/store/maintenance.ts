import type { DuckDBConnection } from '@duckdb/node-api';
import { num, readRows } from './queries/read-helpers';

/**
 * Periodic upkeep, run by the writer between transactions:
 *
 * Compaction: every write transaction appends partial rollup rows, so a busy
 * minute has many rows per series. Once a minute has passed, its rows are
 * merged into one per series (and one per histogram bucket), keeping rollup
 * queries proportional to minutes × series.
 *
 * Retention, by age (SIGNALBOX_RETENTION_HOURS): everything older is deleted.
 * By size (SIGNALBOX_RETENTION_MAX_BYTES): while the database uses more,
 * the oldest tenth of the raw spans' time range is deleted (rollups are small
 * and kept until they age out). DuckDB reuses the freed blocks after a
 * checkpoint but does not shrink the file, so the file stays near its
 * high-water mark while the data inside it stays within the limit.
 */

const COMPACT_MAX_MINUTES = 240;

export async function compactRollups(db: DuckDBConnection, beforeUs: number): Promise<number> {
  const minutes = await readRows(
    db,
    `SELECT minute_us FROM series_minute WHERE minute_us < ${Math.floor(beforeUs)}
      GROUP BY minute_us HAVING count(*) > count(DISTINCT series_id)
      ORDER BY minute_us LIMIT ${COMPACT_MAX_MINUTES}`,
  );
  if (minutes.length === 0) return 0;
  const list = minutes.map((r) => String(r.minute_us)).join(', ');
  await db.run('BEGIN TRANSACTION');
  try {
    await db.run(`CREATE OR REPLACE TEMP TABLE compact_minute AS
      SELECT minute_us, series_id, sum(messages) AS messages, sum(errors) AS errors, sum(latency_count) AS latency_count,
             sum(latency_sum) AS latency_sum, min(latency_min) AS latency_min, max(latency_max) AS latency_max
        FROM series_minute WHERE minute_us IN (${list}) GROUP BY ALL`);
    await db.run(`CREATE OR REPLACE TEMP TABLE compact_buckets AS
      SELECT minute_us, series_id, lower, upper, sum(count) AS count
        FROM series_buckets WHERE minute_us IN (${list}) GROUP BY ALL`);
    await db.run(`DELETE FROM series_minute WHERE minute_us IN (${list})`);
    await db.run(`DELETE FROM series_buckets WHERE minute_us IN (${list})`);
    // In time order: range filters on minute_us prune by row-group min/max.
    await db.run('INSERT INTO series_minute SELECT * FROM compact_minute ORDER BY minute_us');
    await db.run('INSERT INTO series_buckets SELECT * FROM compact_buckets ORDER BY minute_us');
    await db.run('COMMIT');
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await db
      .run('DROP TABLE IF EXISTS compact_minute; DROP TABLE IF EXISTS compact_buckets')
      .catch(() => undefined);
  }
  return minutes.length;
}

/** Deletes the raw spans, with their links, details and deliveries, that started before `cutoff` (µs). */
async function deleteRawSpansBefore(db: DuckDBConnection, cutoff: number): Promise<void> {
  await db.run(`DELETE FROM messaging_spans WHERE start_us < ${cutoff}`);
  await db.run(`DELETE FROM span_links WHERE start_us < ${cutoff}`);
  await db.run(`DELETE FROM span_details WHERE start_us < ${cutoff}`);
  await db.run(`DELETE FROM deliveries WHERE start_us < ${cutoff}`);
}

/** Deletes everything older than `cutoffUs` (age retention) and pending deliveries older than `pendingCutoffUs`. */
export async function deleteOlderThan(
  db: DuckDBConnection,
  cutoffUs: number,
  pendingCutoffUs: number,
): Promise<void> {
  const cutoff = Math.floor(cutoffUs);
  await db.run('BEGIN TRANSACTION');
  try {
    await deleteRawSpansBefore(db, cutoff);
    await db.run(`DELETE FROM series_minute WHERE minute_us < ${cutoff}`);
    await db.run(`DELETE FROM series_buckets WHERE minute_us < ${cutoff}`);
    await db.run(`DELETE FROM series_hour WHERE hour_us < ${cutoff}`);
    await db.run(`DELETE FROM series_hour_buckets WHERE hour_us < ${cutoff}`);
    await db.run(`DELETE FROM pathways WHERE last_seen_us < ${cutoff}`);
    await db.run(`DELETE FROM metric_streams WHERE time_us < ${cutoff}`);
    await db.run(`DELETE FROM pending_deliveries WHERE received_us < ${Math.floor(pendingCutoffUs)}`);
    await db.run('COMMIT');
  } catch (error) {
    await db.run('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Bytes of data blocks in use (DuckDB's own accounting, after the last checkpoint). */
export async function usedBytes(db: DuckDBConnection): Promise<number> {
  const [row] = await readRows(db, 'SELECT used_blocks, block_size FROM pragma_database_size()');
  return row ? num(row.used_blocks) * num(row.block_size) : 0;
}

/**
 * Size retention: deletes the oldest raw spans until the database is within
 * `maxBytes` (a few rounds at most). Returns the new cutoff, or null if
 * nothing had to go.
 */
export async function enforceMaxBytes(db: DuckDBConnection, maxBytes: number): Promise<number | null> {
  let cutoff: number | null = null;
  await db.run('CHECKPOINT');
  for (let round = 0; round < 8 && (await usedBytes(db)) > maxBytes; round++) {
    const [range] = await readRows(
      db,
      'SELECT min(start_us) AS lo, max(start_us) AS hi FROM messaging_spans',
    );
    if (!range || range.lo === null) break;
    const lo = num(range.lo);
    const hi = num(range.hi);
    cutoff = Math.ceil(lo + Math.max(1, (hi - lo) / 10));
    await db.run('BEGIN TRANSACTION');
    try {
      await deleteRawSpansBefore(db, cutoff);
      await db.run('COMMIT');
    } catch (error) {
      await db.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    await db.run('CHECKPOINT');
  }
  return cutoff;
}
