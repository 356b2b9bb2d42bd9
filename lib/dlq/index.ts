import 'server-only';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Tracer } from '@opentelemetry/api';
import { parseBrokerConfig } from '@/lib/brokers/config';
import { createSelfTracer } from '@/lib/ingest/self-tracer';
import { type TelemetryStore, getStore, sideTableConnection } from '@/lib/store';
import { createDlqAdapters } from './adapters';
import { DlqArchiveStore } from './archive-store';
import { DlqArchiver } from './archiver';
import { type DlqConfig, parseDlqConfig } from './config';
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
export { DlqConfigError } from './config';

export interface DlqServices {
  service: DlqService;
  config: DlqConfig;
  archive: DlqArchiveStore;
  archiver: DlqArchiver;
}

/**
 * Builds the DLQ services on a DuckDB connection of the process's one instance (the lead wires this
 * to the dashboard's store: `configureDlqConnection(() => instance.connect())`). Jobs left running
 * by a previous process are resumed; archive mode starts when configured. The archive has its own
 * connection: DuckDB runs one statement at a time per connection.
 */
export async function createDlqServices(
  connection: DuckDBConnection,
  archiveConnection: DuckDBConnection,
  env: Record<string, string | undefined>,
  tracer?: Tracer,
  telemetry?: () => Promise<TelemetryStore>,
): Promise<DlqServices> {
  const dlqConfig = parseDlqConfig(env);
  const { adapters, known } = createDlqAdapters(parseBrokerConfig(env), dlqConfig.queues);
  const store = await DuckDbReplayStore.create(connection);
  const service = new DlqService(adapters, store, {
    ...dlqConfig,
    tracer,
    learnNames: telemetry && dlqNameLearner(telemetry, known),
  });
  await service.resumeInterrupted();
  const archive = await DlqArchiveStore.create(archiveConnection);
  const archiver = new DlqArchiver(service, archive, dlqConfig.archiveIntervalMs);
  archiver.start();
  return { service, config: dlqConfig, archive, archiver };
}

type ConnectionFactory = () => Promise<DuckDBConnection>;

const holder = globalThis as typeof globalThis & {
  __signalboxDlq?: Promise<DlqServices>;
  __signalboxDlqConnection?: ConnectionFactory;
};

/** Where the DLQ tables live. Call before the first getDlqServices(). */
export function configureDlqConnection(factory: ConnectionFactory): void {
  holder.__signalboxDlqConnection = factory;
}

/** The process's DLQ services (a globalThis singleton: it survives Next dev reloads); opened on first use. */
export function getDlqServices(): Promise<DlqServices> {
  holder.__signalboxDlq ??= (async () => {
    const connect = holder.__signalboxDlqConnection ?? sideTableConnection;
    // Replay spans go into the dashboard's own store, so a replay shows in journeys and flows.
    return createDlqServices(
      await connect(),
      await connect(),
      process.env,
      createSelfTracer(getStore).tracer,
    );
  })().catch((error: unknown) => {
    holder.__signalboxDlq = undefined;
    throw error;
  });
  return holder.__signalboxDlq;
}
