import { startLoopbackListener } from '@/lib/ingest/testing/listener';
import { DuckDbStore } from '../duckdb-store';

/**
 * The real receiver and store in their own process, on `databasePath`, on an
 * ephemeral loopback port (printed as `{"port": n}`), for the kill -9 test.
 */
export async function main(databasePath: string): Promise<void> {
  const store = await DuckDbStore.open(databasePath, {
    queueMaxRows: 200_000,
    memoryLimit: '512MB',
    retentionHours: 24 * 365,
    retentionMaxBytes: 0,
    maintenanceIntervalMs: 0,
  });
  const server = await startLoopbackListener(store, {
    maxBodyBytes: 16 * 1024 * 1024,
    maxInflightBytes: 256 * 1024 * 1024,
  });
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
}
