import { DuckDbStore } from '@/lib/store/duckdb-store';
import type { TelemetryStore } from '@/lib/store/types';
import { type OtlpServer, startOtlpServer } from '../otlp-server';

/** A real store at `file` for a listener test: a 512 MB memory limit, nothing evicted, no maintenance. */
export function openListenerStore(file: string, queueMaxRows: number): Promise<DuckDbStore> {
  return DuckDbStore.open(file, {
    queueMaxRows,
    memoryLimit: '512MB',
    retentionHours: 24,
    retentionMaxBytes: 0,
    maintenanceIntervalMs: 0,
  });
}

/**
 * The OTLP/HTTP listener in front of `store`, on a free loopback port, for tests and benchmarks
 * (64 MiB in flight at most unless said otherwise); throws when it cannot listen.
 */
export async function startLoopbackListener(
  store: TelemetryStore,
  {
    maxBodyBytes,
    maxInflightBytes = 64 * 1024 * 1024,
    token = null,
  }: { maxBodyBytes: number; maxInflightBytes?: number; token?: string | null },
): Promise<OtlpServer> {
  const server = await startOtlpServer({
    store: () => Promise.resolve(store),
    maxBodyBytes,
    maxInflightBytes,
    token,
    host: '127.0.0.1',
    port: 0,
  });
  if (!server) throw new Error('could not listen');
  return server;
}
