import 'server-only';
import { config } from '@/lib/config';
import { DuckDbStore } from './duckdb-store';
import type { TelemetryStore } from './types';

export type * from './types';

// One store per process: DuckDB allows a single writer per file, and Next's
// dev server re-evaluates modules on reload, so the instance lives on
// globalThis. It is opened on first use, never at import time (so
// `next build` never touches the database).
const holder = globalThis as typeof globalThis & { __signalboxStore?: Promise<TelemetryStore> };

export function getStore(): Promise<TelemetryStore> {
  holder.__signalboxStore ??= DuckDbStore.open(config().databasePath).catch((error: unknown) => {
    holder.__signalboxStore = undefined; // let the next request retry
    throw error;
  });
  return holder.__signalboxStore;
}
