import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { StreamState } from '@/lib/model/cumulative-to-delta';
import { type PathwayEdge, type SeriesDims, seriesKey } from '@/lib/model/series';
import type { PendingDelivery } from './delivery-resolver';
import { num, readRows, strOrNull } from './queries/read-helpers';
import { dimsOf, pathways } from './queries/series-queries';
import { LEGACY_DETECTION, SCHEMA_STATEMENTS, SCHEMA_VERSION } from './schema';
import { shapeKey, shapeOfRow } from './span-shapes';

/** What the writer keeps in memory, loaded from the file at open. */
export interface LoadedState {
  shapes: [string, number][];
  series: [string, number][];
  pending: PendingDelivery[];
  streams: Map<string, StreamState>;
  pathways: Map<string, PathwayEdge>;
}

export interface OpenedDatabase {
  instance: DuckDBInstance;
  writer: DuckDBConnection;
  state: LoadedState;
}

/** The catch-all shape (id 0) used when the shape dictionary is full. */
const OVERFLOW_SHAPE_ROW = `INSERT INTO span_shapes
  SELECT 0, '(many)', '(too many distinct span shapes)', 0, '(many)', NULL, NULL, NULL, NULL, 0, NULL, false
   WHERE NOT EXISTS (SELECT 1 FROM span_shapes WHERE shape_id = 0)`;

/**
 * Opens (or creates) the DuckDB file, brings the schema up to date, and loads
 * the writer's in-memory state. A file from the first schema (no span shapes)
 * keeps its tables under a `_v1` suffix: the new schema starts empty beside
 * them, nothing is deleted.
 */
export async function openDatabase(databasePath: string, memoryLimit: string): Promise<OpenedDatabase> {
  await fs.mkdir(path.dirname(databasePath), { recursive: true });
  const instance = await DuckDBInstance.create(databasePath, {
    memory_limit: memoryLimit,
    // Checkpoint after 128 MB of WAL instead of 16 MB: each checkpoint rewrites
    // the table's last, partly filled row group, so with frequent small
    // ingest transactions the default made commits 3-4x more expensive
    // (bench/ingest: 72k → 207k rows/s for 4,096-row transactions). The cost
    // is a longer WAL replay after a crash (well under a second for 128 MB).
    checkpoint_threshold: '128MB',
  });
  const writer = await instance.connect();
  try {
    await refuseNewerSchema(writer, databasePath);
    const [legacy] = await readRows(writer, LEGACY_DETECTION);
    if (legacy && num(legacy.n) > 0) {
      console.warn(
        'signalbox: the store file has the first schema; keeping its tables as *_v1 and starting a new schema',
      );
      await writer.run('ALTER TABLE messaging_spans RENAME TO messaging_spans_v1');
      await writer.run('ALTER TABLE IF EXISTS span_links RENAME TO span_links_v1');
    }
    for (const statement of SCHEMA_STATEMENTS) await writer.run(statement);
    await writer.run(`INSERT OR REPLACE INTO store_meta VALUES ('schema_version', '${SCHEMA_VERSION}')`);
    await writer.run(OVERFLOW_SHAPE_ROW);
    return { instance, writer, state: await loadState(writer) };
  } catch (error) {
    writer.closeSync();
    instance.closeSync();
    throw error;
  }
}

/**
 * A file written by a newer Signalbox may have tables this version would
 * misread or write wrongly: stop with what to do instead of failing on the
 * first write (its data stays untouched).
 */
async function refuseNewerSchema(db: DuckDBConnection, databasePath: string): Promise<void> {
  const [meta] = await readRows(
    db,
    `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'store_meta'`,
  );
  if (!meta || num(meta.n) === 0) return;
  const [row] = await readRows(db, `SELECT value FROM store_meta WHERE key = 'schema_version'`);
  const version = Number(row?.value);
  if (Number.isInteger(version) && version > SCHEMA_VERSION) {
    throw new Error(
      `the store file ${databasePath} has schema version ${version}, written by a newer Signalbox; ` +
        `this version reads schema ${SCHEMA_VERSION}. Run the newer Signalbox, or set SIGNALBOX_DATA_DIR ` +
        'to another folder to start an empty store (the file is left as it is).',
    );
  }
}

async function loadState(db: DuckDBConnection): Promise<LoadedState> {
  const shapes = (await readRows(db, 'SELECT * FROM span_shapes WHERE shape_id > 0')).map(
    (r): [string, number] => [shapeKey(shapeOfRow(r)), num(r.shape_id)],
  );
  const series = (await readRows(db, 'SELECT * FROM series')).map((r): [string, number] => {
    const dims: SeriesDims = dimsOf(r);
    return [seriesKey(dims), num(r.series_id)];
  });
  const pending = (await readRows(db, 'SELECT * FROM pending_deliveries')).map((r) => ({
    pendingId: num(r.pending_id),
    receivedUs: num(r.received_us),
    producerTraceId: r.producer_trace_id as string,
    producerSpanId: r.producer_span_id as string,
    startUs: num(r.start_us),
    seriesId: num(r.series_id),
    traceId: r.trace_id as string,
    spanId: r.span_id as string,
    messageId: strOrNull(r.message_id),
  }));
  const streams = new Map<string, StreamState>();
  for (const r of await readRows(db, 'SELECT * FROM metric_streams')) {
    streams.set(r.stream_key as string, {
      startUs: num(r.start_us),
      timeUs: num(r.time_us),
      point: JSON.parse(r.point as string) as StreamState['point'],
    });
  }
  const known = new Map((await pathways(db)).map((p) => [p.hash, p]));
  return { shapes, series, pending, streams, pathways: known };
}
