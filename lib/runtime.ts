import 'server-only';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type FlowSources, getFlowGraph } from '@/lib/analytics/flows';
import { getLatencyReport } from '@/lib/analytics/latency';
import { AlertEvaluator } from '@/lib/alerts/evaluator';
import { AlertStore } from '@/lib/alerts/alert-store';
import { rabbitTopology } from '@/lib/brokers/rabbitmq/topology-cache';
import { type SignalboxConfig, loadConfig } from '@/lib/config';
import { ApiTokenStore } from '@/lib/auth/api-tokens';
import { OidcProvider } from '@/lib/auth/oidc';
import { SessionStore } from '@/lib/auth/session-store';
import { Sessions } from '@/lib/auth/sessions';
import type { AuditLog } from '@/lib/audit/audit-entry';
import { type DlqServices, createDlqServices } from '@/lib/dlq';
import { startOtlpGrpcServer } from '@/lib/ingest/otlp-grpc-server';
import { type OtlpServer, startOtlpServer } from '@/lib/ingest/otlp-server';
import type { ReceiverOptions } from '@/lib/ingest/receiver';
import { createSelfTracer } from '@/lib/ingest/self-tracer';
import { DuckDbLagHistory, type LagPoller, startLagPolling } from '@/lib/lag';
import { Masker } from '@/lib/masking';
import type { TelemetryStore } from '@/lib/store';
import { type BackupSource, StoreBackups } from '@/lib/store/backups';
import { DuckDbStore } from '@/lib/store/duckdb-store';
import { SerialConnection } from '@/lib/store/serial-connection';

/*
 * The running dashboard: the configuration, parsed once, and what is built
 * from it — the store, the OTLP listener, lag polling and the dead-letter
 * services. instrumentation.ts starts it; pages and routes reach each part
 * through the getters below. Each part is opened on first use and never at
 * import time, so `next build` touches no database and no broker.
 *
 * The parts live on globalThis: DuckDB allows one writer per file, and Next's
 * dev server re-evaluates modules on reload (and bundles route handlers and
 * the start-up hook apart), so a module-level variable would open a second one.
 *
 * A second store backend plugs in at openStore; sign-in settings join the
 * configuration and are read here.
 *
 * Shutdown (stopRuntime, on SIGTERM or SIGINT) reverses start-up: readiness
 * goes false, the OTLP listener stops taking requests, lag polling and replay
 * jobs stop, and the store drains its write queue before it closes, so every
 * batch answered 2xx is on disk when the process exits.
 */
type Opened = {
  alerts: Alerts;
  store: TelemetryStore;
  lagPoller: LagPoller;
  dlq: DlqServices;
  signIn: SignIn;
  backups: StoreBackups;
};

/** Alert rules being evaluated, their state and notifications. */
export interface Alerts {
  evaluator: AlertEvaluator;
  store: AlertStore;
}

/** With sign-in configured: the IdP sessions and the API tokens, kept beside the telemetry. */
export interface SignIn {
  sessions: Sessions;
  tokens: ApiTokenStore;
}

interface Parts {
  config?: SignalboxConfig;
  masker?: Masker;
  opened: Map<keyof Opened, Promise<unknown>>;
  otlpServer?: Promise<OtlpServer | null>;
  otlpGrpcServer?: Promise<OtlpServer | null>;
  /** Set once the store has opened: the process can serve (readiness). */
  storeOpen?: boolean;
  /** Set when shutdown begins; resolves when everything is closed. */
  stopping?: Promise<void>;
  signalsHandled?: boolean;
}

const parts: Parts = ((globalThis as typeof globalThis & { __signalbox?: Parts }).__signalbox ??= {
  opened: new Map(),
});

/** The process's configuration; throws ConfigError naming every bad key. */
export function config(): SignalboxConfig {
  parts.config ??= loadConfig(process.env);
  return parts.config;
}

/**
 * The masking rules, compiled once: every view that carries payloads, headers
 * or span attributes (DLQ messages and archive, journeys) is given it.
 */
export function masker(): Masker {
  parts.masker ??= new Masker(config().masking);
  return parts.masker;
}

/**
 * Caches a part's promise, forgetting a failure so that the next call tries
 * again. A bad setting rejects the promise rather than throwing at the caller.
 */
function once<K extends keyof Opened>(key: K, open: () => Promise<Opened[K]>): Promise<Opened[K]> {
  let opened = parts.opened.get(key) as Promise<Opened[K]> | undefined;
  if (!opened && parts.stopping) return Promise.reject(new Error('signalbox is shutting down'));
  if (!opened) {
    opened = Promise.resolve()
      .then(open)
      .catch((error: unknown) => {
        parts.opened.delete(key);
        throw error;
      });
    parts.opened.set(key, opened);
  }
  return opened;
}

export function getStore(): Promise<TelemetryStore> {
  return once('store', async () => {
    const store = await openStore(config());
    parts.storeOpen = true;
    return store;
  });
}

export type Readiness = { ready: true } | { ready: false; reason: string };

/** Whether to send this process traffic: once the store is open, and no longer once shutdown begins. */
export function readiness(): Readiness {
  if (parts.stopping) return { ready: false, reason: 'shutting down' };
  if (!parts.storeOpen) return { ready: false, reason: 'the store is not open yet' };
  return { ready: true };
}

function openStore({ store }: SignalboxConfig): Promise<TelemetryStore> {
  return DuckDbStore.open(store.databasePath, {
    queueMaxRows: store.queueMaxRows,
    memoryLimit: store.duckdbMemoryLimit,
    retentionHours: store.retentionHours,
    retentionMaxBytes: store.retentionMaxBytes,
    maintenanceIntervalMs: store.maintenanceIntervalSeconds * 1000,
  });
}

/**
 * A connection for the tables other parts keep beside the telemetry (lag
 * history, replay jobs, the audit log), so the process opens its database
 * file once.
 */
async function sideTableConnection(): Promise<DuckDBConnection> {
  const store: TelemetryStore & Partial<Pick<DuckDbStore, 'connectSideTables'>> = await getStore();
  // Not `instanceof`: Next bundles the start-up hook and each route apart, each with its own copy of
  // the class, and the store on globalThis may have been made by another bundle's copy.
  if (typeof store.connectSideTables !== 'function')
    throw new Error('side tables need the embedded DuckDB store');
  return store.connectSideTables();
}

/** Backups of the running store into SIGNALBOX_BACKUP_DIR, one at a time (the guard is process-wide). */
export function getBackups(): Promise<StoreBackups> {
  return once('backups', async () => {
    const store: TelemetryStore & Partial<BackupSource> = await getStore();
    if (typeof store.backupTo !== 'function') throw new Error('backups need the embedded DuckDB store');
    return new StoreBackups(config().store.backupDir, store as BackupSource);
  });
}

/**
 * Alert evaluation on the figures the dashboard holds: the lag poller's latest
 * snapshot, the DLQ depths when a rule watches them, and the store's latency,
 * error and traffic figures over a rule's window.
 */
export function getAlerts(): Promise<Alerts> {
  return once('alerts', async () => {
    const { alerts } = config();
    const store = await AlertStore.create(new SerialConnection(await sideTableConnection()));
    const evaluator = new AlertEvaluator({
      ...alerts,
      store,
      inputs: async (rules) => ({
        lag: (await getLagPoller()).latest(),
        // Reading DLQ depths asks every broker: only when a rule watches them.
        dlq: rules.some((r) => r.kind === 'dlq-depth')
          ? (await (await getDlqServices()).service.queues()).queues
          : null,
        telemetry: {
          latency: async (range) => getLatencyReport(await getStore(), range, null),
          flows: async (range) => getFlowGraph(await flowSources(), range),
        },
      }),
    });
    return { evaluator, store };
  });
}

/** Lag polling of the configured brokers, its history kept beside the telemetry. */
export function getLagPoller(): Promise<LagPoller> {
  return once('lagPoller', async () => {
    const { brokers } = config();
    return startLagPolling({
      brokers,
      history: await DuckDbLagHistory.create(await sideTableConnection()),
      intervalMs: brokers.lag.pollIntervalMs,
      timeoutMs: brokers.lag.timeoutMs,
      thresholds: brokers.lag.thresholds,
      retentionMs: brokers.lag.retentionMs,
    });
  });
}

/** The dead-letter services; replay spans go into the dashboard's own store, so replays show in journeys. */
export function getDlqServices(): Promise<DlqServices> {
  return once('dlq', async () =>
    createDlqServices({
      connection: await sideTableConnection(),
      archiveConnection: await sideTableConnection(),
      brokers: config().brokers,
      dlq: config().dlq,
      masker: masker(),
      tracer: createSelfTracer(getStore).tracer,
      telemetry: getStore,
    }),
  );
}

/** Sessions and API tokens when SIGNALBOX_AUTH=oidc; null without sign-in. */
export async function getSignIn(): Promise<SignIn | null> {
  const { oidc } = config().auth;
  if (!oidc) return null;
  return once('signIn', async () => {
    const db = new SerialConnection(await sideTableConnection());
    return {
      sessions: new Sessions(new OidcProvider(oidc), await SessionStore.create(db), oidc),
      tokens: await ApiTokenStore.create(db),
    };
  });
}

/** The audit log: every change (DLQ actions, API tokens, backups), hash-chained. */
export async function getAuditLog(): Promise<AuditLog> {
  return (await getDlqServices()).service.store.audit;
}

/** What the flow graph is built from: the store, and RabbitMQ's bindings (read at most every 15 s). */
export async function flowSources(): Promise<FlowSources> {
  return {
    store: await getStore(),
    rabbitmqBindings: () => rabbitTopology(() => config().brokers.rabbitmq),
  };
}

/** How OTLP requests are received, on the dashboard's routes and on the standalone listener. */
export function receiverOptions(): ReceiverOptions {
  const { ingest } = config();
  return {
    store: getStore,
    maxBodyBytes: ingest.maxBodyBytes,
    maxInflightBytes: ingest.maxInflightBytes,
    token: ingest.token,
  };
}

/** The :4318 (HTTP) and :4317 (gRPC) listeners, once per process; each null when its port is off. */
async function startOtlpListeners(): Promise<void> {
  const { otlpHost: host, otlpPort, otlpGrpcPort } = config().ingest;
  const announce = (what: string) => (server: OtlpServer | null) => {
    if (server) console.log(`signalbox: receiving ${what} on ${host}:${server.port}`);
    return server;
  };
  if (otlpPort !== null)
    parts.otlpServer ??= startOtlpServer({ ...receiverOptions(), host, port: otlpPort }).then(
      announce('OTLP/HTTP (/v1/traces, /v1/metrics)'),
    );
  if (otlpGrpcPort !== null)
    parts.otlpGrpcServer ??= startOtlpGrpcServer({ ...receiverOptions(), host, port: otlpGrpcPort }).then(
      announce('OTLP/gRPC'),
    );
  await Promise.all([parts.otlpServer, parts.otlpGrpcServer]);
}

/**
 * Starts the dashboard: a bad setting stops it with a message naming every
 * bad key; the store opens now, so crash recovery and retention run at start;
 * lag history accrues from start, and replay jobs a crash interrupted resume.
 * A part that fails to open is logged and retried on first use; it does not
 * stop the rest.
 */
export async function startRuntime(): Promise<void> {
  try {
    config();
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
    return;
  }
  await getStore().catch((error: unknown) => {
    console.error('signalbox: the store could not be opened; ingest will answer 503 until it can', error);
  });
  await startOtlpListeners();
  stopOnSignals();
  getLagPoller().catch((error: unknown) => console.error('signalbox: lag polling did not start', error));
  getDlqServices().catch((error: unknown) =>
    console.error('signalbox: dead-letter services did not start', error),
  );
  // Always: rules added on the Alerts page live in the store, not in the configuration.
  getAlerts().catch((error: unknown) => console.error('signalbox: alert evaluation did not start', error));
}

/** A part if it was opened (or is opening), without opening it; undefined if it failed. */
async function ifOpened<K extends keyof Opened>(key: K): Promise<Opened[K] | undefined> {
  return (parts.opened.get(key) as Promise<Opened[K]> | undefined)?.catch(() => undefined);
}

/**
 * Shuts down in the order that loses nothing: readiness false first (load
 * balancers stop sending), then the OTLP listener answers what is in flight
 * and stops (HTTP and gRPC), lag polling and replay jobs stop (interrupted jobs resume at the
 * next start), and last the store writes everything queued and closes.
 * Calling it again returns the same shutdown.
 */
export function stopRuntime(): Promise<void> {
  parts.stopping ??= (async () => {
    await Promise.all([parts.otlpServer, parts.otlpGrpcServer].map(async (s) => (await s)?.close(5000)));
    await (await ifOpened('alerts'))?.evaluator.stop();
    await (await ifOpened('lagPoller'))?.stop();
    const dlq = await ifOpened('dlq');
    await dlq?.archiver.stop();
    await dlq?.service.close();
    await (await ifOpened('store'))?.close();
  })();
  return parts.stopping;
}

/** Longest a shutdown may take before the process exits anyway (a stuck broker call, say). */
const STOP_TIMEOUT_MS = 30_000;

/**
 * SIGTERM (docker stop, Kubernetes) and SIGINT (Ctrl-C) run stopRuntime, then
 * exit. Next's own handlers would exit as soon as its HTTP server closed,
 * without waiting for the store, so the launchers turn them off
 * (NEXT_MANUAL_SIG_HANDLE=true, see instrumentation.ts).
 */
function stopOnSignals(): void {
  if (parts.signalsHandled) return;
  parts.signalsHandled = true;
  const stop = (signal: NodeJS.Signals) => {
    if (parts.stopping) return;
    console.log(`signalbox: ${signal}: writing what was accepted, then closing the store`);
    setTimeout(() => {
      console.error(`signalbox: shutdown took over ${STOP_TIMEOUT_MS / 1000} s; exiting anyway`);
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    stopRuntime().then(
      () => {
        console.log('signalbox: stopped');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('signalbox: shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
