import type { BrokerSettings } from '@/lib/config';
import type { BrokerAdapter, GroupReading } from '@/lib/brokers/lag-types';
import { createLagAdapters } from './adapters';
import { compareForAttention, evaluateGroup, readingToSamples, unreachableGroup } from './evaluate';
import { type LagHistory, groupKeyId } from './history';
import { DEFAULT_THRESHOLDS, type StatusThresholds } from './status';
import type { BrokerState, GroupLag, LagSample, LagSnapshot } from './types';

export interface LagPollingOptions {
  /** The broker settings (adapters are created from them), or ready adapters (tests). */
  brokers: BrokerSettings | readonly BrokerAdapter[];
  history: LagHistory;
  /** Time between the end of one poll of a broker and the start of its next. Default 10 s. */
  intervalMs?: number;
  /** A broker that has not answered after this long is reported unreachable. Default 5 s. */
  timeoutMs?: number;
  thresholds?: StatusThresholds;
  /** Samples older than this are pruned from the history (hourly). Default 7 days. */
  retentionMs?: number;
  /** The clock (tests drive it); Date.now by default. */
  now?: () => number;
  /** Polls on a timer (default); false = only when pollNow() is called (tests). */
  schedule?: boolean;
  /** Told about failed polls and failed history writes; console.warn by default. */
  log?: (message: string) => void;
}

export interface LagPoller {
  /** The figures of the latest poll of every broker; never waits for a broker. */
  latest(): LagSnapshot;
  /** Polls every broker now (each with its timeout) and resolves with the new snapshot. */
  pollNow(): Promise<LagSnapshot>;
  /** Where the samples go, for sparklines and charts. */
  readonly history: LagHistory;
  readonly thresholds: StatusThresholds;
  /** Time between polls of a broker. */
  readonly intervalMs: number;
  stop(): Promise<void>;
}

interface AdapterState {
  adapter: BrokerAdapter;
  broker: BrokerState;
  groups: GroupLag[];
  /** The poll in progress, if any: polls of one broker never overlap. */
  inFlight: Promise<void> | null;
  timer: ReturnType<typeof setTimeout> | null;
}

const PRUNE_EVERY_MS = 3_600_000;

class TimeoutError extends Error {}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\/\/[^@/\s]*@/g, '//').slice(0, 300) || 'unknown error';
}

/**
 * Polls every configured broker on its own timer with its own timeout, so a slow or dead broker never
 * delays another or a page load (pages read latest()). A failed poll marks the broker unreachable with
 * the error and its groups ERR with their last known figures; the next poll simply tries again, with
 * fresh connections, so polling recovers by itself when the broker returns.
 */
export function startLagPolling(options: LagPollingOptions): LagPoller {
  const intervalMs = options.intervalMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const retentionMs = options.retentionMs ?? 7 * 86_400_000;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((message: string) => console.warn(`[lag] ${message}`));
  const { history } = options;
  const adapters = Array.isArray(options.brokers)
    ? (options.brokers as readonly BrokerAdapter[])
    : createLagAdapters(options.brokers as BrokerSettings);

  const states: AdapterState[] = adapters.map((adapter) => ({
    adapter,
    broker: {
      system: adapter.system,
      address: adapter.address,
      reachable: null,
      error: null,
      lastPollAt: null,
      lastSuccessAt: null,
    },
    groups: [],
    inFlight: null,
    timer: null,
  }));
  // The evaluation window per group, kept in memory and seeded from the history once.
  const windows = new Map<string, LagSample[]>();
  let stopped = false;
  let lastPruneMs = 0;
  const seeded = history
    .samples({ sinceMs: now() - thresholds.windowMs, untilMs: now() + 1 })
    .then((samples) => {
      for (const s of samples) {
        const id = groupKeyId(s);
        windows.set(id, [...(windows.get(id) ?? []), s]);
      }
    })
    .catch((error: unknown) => log(`could not read lag history: ${describe(error)}`));

  function remember(readings: GroupReading[], tsMs: number): LagSample[] {
    const all: LagSample[] = [];
    for (const reading of readings) {
      const id = groupKeyId(reading);
      const samples = readingToSamples(reading, tsMs);
      all.push(...samples);
      const kept = (windows.get(id) ?? []).filter(
        (s) => s.tsMs > tsMs - thresholds.windowMs && s.tsMs < tsMs,
      );
      windows.set(id, [...kept, ...samples]);
    }
    return all;
  }

  async function read(state: AdapterState): Promise<GroupReading[]> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Reject first: the adapter's own "aborted" error must not win the race and hide why.
        reject(new TimeoutError(`no answer within ${timeoutMs} ms`));
        controller.abort();
      }, timeoutMs);
    });
    const reading = state.adapter.readLag({ signal: controller.signal, nowMs: now() });
    reading.catch(() => undefined); // a late failure after the timeout is already reported
    try {
      return await Promise.race([reading, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function pollOnce(state: AdapterState): Promise<void> {
    await seeded;
    const startedMs = now();
    state.broker.lastPollAt = new Date(startedMs).toISOString();
    try {
      const readings = await read(state);
      const samples = remember(readings, startedMs);
      state.groups = readings
        .map((reading) =>
          evaluateGroup(reading, windows.get(groupKeyId(reading)) ?? [], {
            nowMs: startedMs,
            broker: state.adapter.address,
            thresholds,
          }),
        )
        .sort(compareForAttention);
      state.broker.reachable = true;
      state.broker.error = null;
      state.broker.lastSuccessAt = new Date(startedMs).toISOString();
      await history
        .append(samples)
        .catch((error: unknown) => log(`could not store lag samples: ${describe(error)}`));
    } catch (error) {
      const message = describe(error);
      if (state.broker.reachable !== false || state.broker.error !== message) {
        log(`${state.adapter.system} at ${state.adapter.address}: ${message}`);
      }
      state.broker.reachable = false;
      state.broker.error = message;
      state.groups = state.groups.map((g) =>
        unreachableGroup(g.status === 'ERR' ? g : g, message, startedMs),
      );
      // Drop connections so the next poll reconnects (a hung socket, a restarted broker).
      await Promise.race([
        state.adapter.close().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, timeoutMs).unref?.()),
      ]);
    }
    if (startedMs - lastPruneMs > PRUNE_EVERY_MS) {
      lastPruneMs = startedMs;
      await history
        .prune(startedMs - retentionMs)
        .catch((error: unknown) => log(`could not prune lag history: ${describe(error)}`));
    }
  }

  /** Runs one poll unless one is already running for this broker, then returns that one. */
  function poll(state: AdapterState): Promise<void> {
    state.inFlight ??= pollOnce(state).finally(() => {
      state.inFlight = null;
    });
    return state.inFlight;
  }

  function schedule(state: AdapterState, delayMs: number): void {
    if (stopped || options.schedule === false) return;
    state.timer = setTimeout(() => {
      void poll(state).finally(() => schedule(state, intervalMs));
    }, delayMs);
    // Never keep a process alive just to poll (tests, `next build` workers).
    state.timer.unref?.();
  }

  for (const state of states) schedule(state, 0);

  function latest(): LagSnapshot {
    return {
      generatedAt: new Date(now()).toISOString(),
      groups: states.flatMap((s) => s.groups).sort(compareForAttention),
      brokers: states.map((s) => ({ ...s.broker })),
    };
  }

  return {
    latest,
    history,
    thresholds,
    intervalMs,
    async pollNow() {
      await Promise.all(states.map(poll));
      return latest();
    },
    async stop() {
      stopped = true;
      for (const state of states) if (state.timer) clearTimeout(state.timer);
      await Promise.all(states.map((s) => s.inFlight?.catch(() => undefined) ?? Promise.resolve()));
      await Promise.all(states.map((s) => s.adapter.close().catch(() => undefined)));
    },
  };
}
