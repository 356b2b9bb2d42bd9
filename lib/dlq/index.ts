import 'server-only';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Tracer } from '@opentelemetry/api';
import type { BrokerSettings, DlqConfig } from '@/lib/config';
import type { Masker } from '@/lib/masking';
import type { TelemetryStore } from '@/lib/store';
import { createDlqAdapters } from './adapters';
import { DlqArchiveStore } from './archive-store';
import { DlqArchiver } from './archiver';
import { DuckDbReplayStore } from './duckdb-replay-store';
import { dlqNameLearner } from './learn-names';
import { DlqService } from './service';

export {
  DlqConflictError,
  DlqNotFoundError,
  DlqRequestError,
  type DryRun,
  type JobView,
  type QueueView,
} from './service';
export { DlqBrokerError } from '@/lib/brokers/dlq-types';

export interface DlqServices {
  service: DlqService;
  config: DlqConfig;
  archive: DlqArchiveStore;
  archiver: DlqArchiver;
}

/**
 * Builds the DLQ services on connections to the process's one DuckDB instance
 * (lib/runtime.ts passes the dashboard store's side-table connections). Jobs
 * left running by a previous process are resumed; archive mode starts when
 * configured. The archive has its own connection: DuckDB runs one statement at
 * a time per connection.
 */
export async function createDlqServices(options: {
  connection: DuckDBConnection;
  archiveConnection: DuckDBConnection;
  brokers: BrokerSettings;
  dlq: DlqConfig;
  /** Applied to every message view: the page, the API and the archive (which stores them masked). */
  masker: Masker;
  tracer?: Tracer;
  /** The telemetry store, for learning DLQ names from spans. */
  telemetry?: () => Promise<TelemetryStore>;
}): Promise<DlqServices> {
  const { dlq: dlqConfig, telemetry } = options;
  const { adapters, known } = createDlqAdapters(options.brokers, dlqConfig.queues);
  const store = await DuckDbReplayStore.create(options.connection);
  const service = new DlqService(adapters, store, {
    ...dlqConfig,
    masker: options.masker,
    tracer: options.tracer,
    learnNames: telemetry && dlqNameLearner(telemetry, known),
  });
  await service.resumeInterrupted();
  const archive = await DlqArchiveStore.create(options.archiveConnection);
  const archiver = new DlqArchiver(service, archive, dlqConfig.archiveIntervalMs);
  archiver.start();
  return { service, config: dlqConfig, archive, archiver };
}
