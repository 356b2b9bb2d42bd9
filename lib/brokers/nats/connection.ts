import { type NatsConnection, connect } from '@nats-io/transport-node';
import type { BrokerSettings } from '@/lib/config';

type NatsSettings = NonNullable<BrokerSettings['nats']>;

const CONNECT_TIMEOUT_MS = 3000;

/** The servers of the settings without credentials, for messages and display. */
export const natsAddress = (settings: NatsSettings) =>
  settings.servers.map((s) => s.replace(/\/\/[^@/]*@/, '//')).join(',');

/**
 * A NATS connection for the dashboard's reads (lag polling, DLQ passes): fails fast and does not
 * reconnect on its own — the caller reconnects on its next call, and a client reconnecting by
 * itself would queue requests behind the outage. `name` shows in the server's connection list.
 */
export async function openNats(settings: NatsSettings, name: string): Promise<NatsConnection> {
  const tls = settings.tls;
  return connect({
    servers: settings.servers,
    user: settings.user,
    pass: settings.password,
    token: settings.token,
    tls: tls ? { ca: tls.ca, cert: tls.cert, key: tls.key } : undefined,
    timeout: CONNECT_TIMEOUT_MS,
    reconnect: false,
    name,
  }).catch((error: unknown) => {
    // nats.js says just "timeout" when a server accepts the connection but never greets.
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      message === 'timeout' ? `no NATS greeting within ${CONNECT_TIMEOUT_MS / 1000} s (timeout)` : message,
    );
  });
}
