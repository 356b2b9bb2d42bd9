import { startLoopbackListener } from '@/lib/ingest/testing/listener';
import { DuckDbStore } from '@/lib/store/duckdb-store';
import type { TelemetryStore } from '@/lib/store/types';

/**
 * The benchmark's server process: the real OTLP/HTTP receiver on a loopback
 * port. Mode `store` writes to a DuckDB file exactly as the dashboard does;
 * mode `decode` answers after decoding and mapping, storing nothing (the
 * ceiling). Prints `{"port": n}`; SIGTERM closes the store cleanly.
 */
export async function main(mode: 'store' | 'decode', databasePath: string): Promise<void> {
  const store =
    mode === 'store'
      ? await DuckDbStore.open(databasePath, {
          queueMaxRows: 200_000,
          memoryLimit: '2GB',
          retentionHours: 24 * 365,
          retentionMaxBytes: 0,
          maintenanceIntervalMs: 60_000,
        })
      : ({
          appendSpans: () => Promise.resolve(),
          close: () => Promise.resolve(),
        } as unknown as TelemetryStore);
  const server = await startLoopbackListener(store, {
    maxBodyBytes: 16 * 1024 * 1024,
    maxInflightBytes: 256 * 1024 * 1024,
  });
  process.on('SIGTERM', () => {
    void server
      .close()
      .then(() => store.close())
      .then(() => process.exit(0));
  });
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
}
