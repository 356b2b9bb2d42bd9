import type { DlqAdapter } from '@/lib/brokers/dlq-types';
import { unmasked } from '@/lib/masking/testing';
import { DuckDbReplayStore } from '../duckdb-replay-store';
import { DlqService } from '../service';
import { tempDuckDb } from './support';

/**
 * The DlqService a DLQ integration test drives: real broker adapters, the replay store in a real
 * DuckDB file (`db`, for tests that keep more in it). Unless the test says otherwise: nothing masked,
 * every message browsable, a message that fails again after one replay is poison. `close` closes
 * the service (and so its adapters), then removes the file.
 */
export async function openDlqService(
  adapters: DlqAdapter[],
  options: Partial<ConstructorParameters<typeof DlqService>[2]> = {},
) {
  const db = await tempDuckDb();
  const service = new DlqService(adapters, await DuckDbReplayStore.create(db.connection), {
    masker: unmasked,
    maxReplays: 1,
    browseLimit: 1000,
    ...options,
  });
  return {
    service,
    db,
    close: async () => {
      await service.close();
      db.close();
    },
  };
}
