import 'server-only';
import type { DuckDBConnection } from '@duckdb/node-api';
import { config } from '@/lib/config';
import { DuckDbStore } from './duckdb-store';
import type { TelemetryStore } from './types';

export type * from './types';
export { QueueFullError } from './write-queue';

// One store per process: DuckDB allows a single writer per file, and Next's
// dev server re-evaluates modules on reload (and bundles route handlers and
// the start-up hook separately), so the instance lives on globalThis. It is
// opened on first use, never at import time (so `next build` never touches
// the database).
const holder = globalThis as typeof globalThis & { __signalboxStore?: Promise<TelemetryStore> };

export function getStore(): Promise<TelemetryStore> {
  holder.__signalboxStore ??= openConfiguredStore().catch((error: unknown) => {
    holder.__signalboxStore = undefined; // let the next request retry
    throw error;
  });
  return holder.__signalboxStore;
}

function openConfiguredStore(): Promise<TelemetryStore> {
  const c = config();
  return DuckDbStore.open(c.databasePath, {
    queueMaxRows: c.ingestQueueMaxRows,
    memoryLimit: c.duckdbMemoryLimit,
    retentionHours: c.retentionHours,
    retentionMaxBytes: c.retentionMaxBytes,
    maintenanceIntervalMs: c.maintenanceIntervalSeconds * 1000,
  });
}

/**
 * A connection to the embedded DuckDB for the side tables other modules keep
 * beside the telemetry (lag history, replay jobs and audit log), so the
 * process still opens its database file once.
 */
export async function sideTableConnection(): Promise<DuckDBConnection> {
  const store = await getStore();
  if (!(store instanceof DuckDbStore)) throw new Error('side tables need the embedded DuckDB store');
  return store.connectSideTables();
}
