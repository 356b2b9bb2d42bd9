import { z } from 'zod';
import type { IngestConfig } from './dashboard';
import { section } from './section';

/*
 * Who may use the dashboard, and where it listens. There is no sign-in yet:
 * SIGNALBOX_AUTH takes only `none`, and is where OpenID Connect will be
 * configured. Until then the safe default is to listen on loopback only; any
 * other address needs SIGNALBOX_AUTH=none, written down on purpose, because
 * whoever reaches the port can read message payloads and replay dead letters.
 */

export interface AuthConfig {
  /** `none`: no sign-in, chosen explicitly; null: not configured, so only loopback addresses are allowed. */
  mode: 'none' | null;
  /**
   * The addresses the dashboard's HTTP server may bind: SIGNALBOX_HOST (what
   * `npm start` binds, 127.0.0.1 by default) and HOSTNAME when set (what
   * Next's standalone server.js binds, as in a container).
   */
  dashboardHosts: string[];
}

export const authSection = section(
  z.object({
    SIGNALBOX_AUTH: z
      .enum(['none'], { error: 'expected none (no sign-in; OpenID Connect will be configured here)' })
      .optional(),
    SIGNALBOX_HOST: z.string().trim().min(1).default('127.0.0.1'),
    HOSTNAME: z.string().trim().optional(),
  }),
  (d): AuthConfig => ({
    mode: d.SIGNALBOX_AUTH ?? null,
    dashboardHosts: [...new Set([d.SIGNALBOX_HOST, ...(d.HOSTNAME ? [d.HOSTNAME] : [])])],
  }),
);

/** True for an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/**
 * Why start-up must stop: an address other than loopback with no access
 * control chosen. Null when the configuration is safe or the risk was accepted.
 */
export function exposureProblem(auth: AuthConfig, ingest: IngestConfig): string | null {
  if (auth.mode !== null) return null;
  const exposed = [
    ...auth.dashboardHosts.filter((host) => !isLoopback(host)).map((host) => `the dashboard on ${host}`),
    ...(ingest.otlpPort !== null && !isLoopback(ingest.otlpHost)
      ? [`the OTLP listener on ${ingest.otlpHost} (SIGNALBOX_OTLP_HOST)`]
      : []),
  ];
  if (exposed.length === 0) return null;
  return (
    `Refusing to listen with ${exposed.join(' and ')}: there is no sign-in, so anyone who can reach ` +
    'the port could read message payloads and replay dead letters. Set SIGNALBOX_AUTH=none to accept ' +
    'that (e.g. behind your own authenticating proxy), or listen on 127.0.0.1 (SIGNALBOX_HOST, HOSTNAME, ' +
    'SIGNALBOX_OTLP_HOST).'
  );
}
