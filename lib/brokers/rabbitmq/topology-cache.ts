import type { BindingsStatus, RabbitTopology } from '@/lib/model/rabbitmq-topology';
import type { BrokerSettings } from '@/lib/config';
import { fetchTopology } from './bindings';

/*
 * The bindings the flow graph routes with, read at most once per TTL: every
 * page and /api/flows call asks, and bindings change rarely. A failure is
 * remembered as long, so a management API that is down costs one timeout per
 * TTL, not one per page; the graph then shows telemetry's routes alone.
 */

export const TOPOLOGY_TTL_MS = 15_000;
const TIMEOUT_MS = 3_000;

export interface TopologyRead {
  topology: RabbitTopology | null;
  /** Null when no management API is configured. */
  status: BindingsStatus | null;
}

type Fetch = typeof fetchTopology;

const holder = globalThis as typeof globalThis & {
  __signalboxRabbitTopology?: { key: string; at: number; read: Promise<TopologyRead> };
};

/**
 * Never rejects: a bad setting (`settings` throws ConfigError) or an
 * unreachable API is a status, never an error for the page.
 */
export function rabbitTopology(
  settingsOf: () => BrokerSettings['rabbitmq'],
  now: () => number = Date.now,
  fetch: Fetch = fetchTopology,
): Promise<TopologyRead> {
  let settings;
  try {
    settings = settingsOf();
  } catch (error) {
    return Promise.resolve({ topology: null, status: { state: 'unavailable', reason: message(error) } });
  }
  const url = settings?.managementUrl;
  if (!settings || !url) return Promise.resolve({ topology: null, status: null });
  const cached = holder.__signalboxRabbitTopology;
  if (cached && cached.key === url && now() - cached.at < TOPOLOGY_TTL_MS) return cached.read;
  const read = fetch(url, settings.tls, AbortSignal.timeout(TIMEOUT_MS)).then(
    (topology): TopologyRead => ({
      topology,
      status: { state: 'read', readAt: new Date(now()).toISOString() },
    }),
    (error: unknown): TopologyRead => ({
      topology: null,
      status: { state: 'unavailable', reason: message(error) },
    }),
  );
  holder.__signalboxRabbitTopology = { key: url, at: now(), read };
  return read;
}

/** Forgets the cached read (tests, and after changing bindings on purpose). */
export function forgetRabbitTopology(): void {
  holder.__signalboxRabbitTopology = undefined;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
