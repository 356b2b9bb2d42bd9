import 'server-only';
import { parseBrokerConfig } from '@/lib/brokers/config';
import { sideTableConnection } from '@/lib/store';
import { DuckDbLagHistory, type LagHistory } from './history';
import { type LagPoller, startLagPolling } from './poller';

export type * from './types';
export { DuckDbLagHistory, groupKeyId, type LagHistory } from './history';
export { lagByFlowEdge, lagHref, type EdgeLag } from './flows';
export { lagHotSpots, type LagHotSpots } from './hotspots';
export { lagMetrics } from './prometheus';

type HistoryFactory = () => Promise<LagHistory>;

// One poller per process, on globalThis so Next's dev reloads do not start a second one. Started on
// first use (never at import time, so `next build` polls nothing).
const holder = globalThis as typeof globalThis & {
  __signalboxLagPoller?: Promise<LagPoller>;
  __signalboxLagHistory?: HistoryFactory;
};

/** In the dashboard, lag history lives in its DuckDB file beside the telemetry. */
async function dashboardHistory(): Promise<LagHistory> {
  return DuckDbLagHistory.create(await sideTableConnection());
}

/** Where lag history is kept, when not in the dashboard's DuckDB (tests). Call before the first getLagPoller(). */
export function configureLagHistory(factory: HistoryFactory): void {
  holder.__signalboxLagHistory = factory;
}

/**
 * The process's lag poller, started on first call from the broker settings in the environment (and
 * SIGNALBOX_CONFIG_FILE). Rejects with BrokerConfigError naming the key when the settings are bad.
 */
export function getLagPoller(): Promise<LagPoller> {
  holder.__signalboxLagPoller ??= (async () => {
    const settings = parseBrokerConfig(process.env);
    const history = await (holder.__signalboxLagHistory ?? dashboardHistory)();
    return startLagPolling({
      brokers: settings,
      history,
      intervalMs: settings.lag.pollIntervalMs,
      timeoutMs: settings.lag.timeoutMs,
      thresholds: settings.lag.thresholds,
      retentionMs: settings.lag.retentionMs,
    });
  })().catch((error: unknown) => {
    holder.__signalboxLagPoller = undefined; // the next call retries (or reports the error again)
    throw error;
  });
  return holder.__signalboxLagPoller;
}
