import 'server-only';
import { config } from '@/lib/config';
import { type OtlpServer, startOtlpServer } from './otlp-server';
import { receiverOptions } from './receiver-config';

const holder = globalThis as typeof globalThis & { __signalboxOtlpServer?: Promise<OtlpServer | null> };

/** Starts the configured :4318 listener once per process (no-op when SIGNALBOX_OTLP_PORT is off). */
export function startConfiguredOtlpListener(): Promise<OtlpServer | null> {
  const c = config();
  if (c.otlpPort === null) return Promise.resolve(null);
  holder.__signalboxOtlpServer ??= startOtlpServer({
    ...receiverOptions(),
    host: c.otlpHost,
    port: c.otlpPort,
  }).then((server) => {
    if (server)
      console.log(`signalbox: receiving OTLP/HTTP on ${c.otlpHost}:${server.port} (/v1/traces, /v1/metrics)`);
    return server;
  });
  return holder.__signalboxOtlpServer;
}
