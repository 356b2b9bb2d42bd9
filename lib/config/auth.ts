import { z } from 'zod';
import { type Grant, ROLES, isRole } from '@/lib/model/access';
import type { IngestConfig } from './dashboard';
import { bool, int, list, url } from './fields';
import { section } from './section';

/*
 * Who may use the dashboard, and where it listens.
 *
 * - SIGNALBOX_AUTH=oidc: people sign in with the company's OpenID Connect
 *   provider (authorization code with PKCE); their groups map to roles.
 * - SIGNALBOX_AUTH=none: no sign-in, chosen on purpose (behind an
 *   authenticating proxy, say).
 * - Unset: no sign-in, so the dashboard may listen on loopback only; any other
 *   address refuses to start, because whoever reaches the port could read
 *   message payloads and replay dead letters.
 */

export interface OidcConfig {
  issuer: URL;
  clientId: string;
  /** Null for a public client (PKCE alone). */
  clientSecret: string | null;
  /** The dashboard's address as browsers reach it: the redirect URI is built from it. */
  publicUrl: URL;
  scopes: string;
  /** The ID-token claim whose values (a string or a list) are looked up in roleMap. */
  rolesClaim: string;
  /** Claim value (usually a group name) → the grants it gives. */
  roleMap: Record<string, Grant[]>;
  /** Shown on the sign-in button and recorded in the audit log, e.g. "keycloak". */
  providerName: string;
  sessionMaxAgeMs: number;
  /** How often a session is checked with the IdP (refresh), so a sign-out there ends it here. */
  sessionCheckMs: number;
  /** Cookies get Secure (and the __Host- prefix) when the public URL is https. */
  secureCookies: boolean;
}

export interface AuthConfig {
  /** `oidc`: sign-in; `none`: no sign-in, chosen explicitly; null: not configured, loopback only. */
  mode: 'oidc' | 'none' | null;
  /**
   * The addresses the dashboard's HTTP server may bind: SIGNALBOX_HOST (what
   * `npm start` binds, 127.0.0.1 by default) and HOSTNAME when set (what
   * Next's standalone server.js binds, as in a container).
   */
  dashboardHosts: string[];
  /**
   * Take X-Forwarded-Host from the request (behind a reverse proxy that sets it) as the host
   * browsers reached, for the same-origin check of changes. Off by default: only a proxy that
   * overwrites the header may be trusted with it.
   */
  trustProxy: boolean;
  oidc: OidcConfig | null;
}

/** Claim values the role map knows when SIGNALBOX_OIDC_ROLE_MAP is not set. */
export const DEFAULT_ROLE_MAP: Record<string, Grant[]> = Object.fromEntries(
  ROLES.map((role) => [`signalbox-${role}s`, [{ role, systems: null, destinations: null }]]),
);

const grantSchema = z.union([
  z.enum(ROLES),
  z.object({
    role: z.enum(ROLES),
    systems: z.array(z.string().min(1)).min(1).optional(),
    destinations: z.array(z.string().min(1)).min(1).optional(),
  }),
]);

const roleMapShape = z.record(z.string().min(1), z.union([grantSchema, z.array(grantSchema).min(1)]));

const roleMapSchema = z.string().transform((text, ctx): Record<string, Grant[]> => {
  let parsed: z.infer<typeof roleMapShape>;
  try {
    parsed = roleMapShape.parse(JSON.parse(text));
  } catch {
    ctx.addIssue({
      code: 'custom',
      message:
        `expected a JSON object from a claim value to a role (${ROLES.join(', ')}), ` +
        'or to { role, systems?, destinations? }, or to a list of them',
    });
    return z.NEVER;
  }
  return Object.fromEntries(
    Object.entries(parsed).map(([value, grants]) => [
      value,
      (Array.isArray(grants) ? grants : [grants]).map((g): Grant =>
        isRole(g)
          ? { role: g, systems: null, destinations: null }
          : { role: g.role, systems: g.systems ?? null, destinations: g.destinations ?? null },
      ),
    ]),
  );
});

export const authSection = section(
  z
    .object({
      SIGNALBOX_AUTH: z
        .enum(['none', 'oidc'], { error: 'expected oidc (sign-in) or none (no sign-in, on purpose)' })
        .optional(),
      SIGNALBOX_HOST: z.string().trim().min(1).default('127.0.0.1'),
      HOSTNAME: z.string().trim().optional(),
      SIGNALBOX_TRUST_PROXY: bool.default(false),
      SIGNALBOX_OIDC_ISSUER: url(['https', 'http']).optional(),
      SIGNALBOX_OIDC_CLIENT_ID: z.string().trim().min(1).optional(),
      SIGNALBOX_OIDC_CLIENT_SECRET: z.string().trim().min(1).optional(),
      SIGNALBOX_PUBLIC_URL: url(['https', 'http']).optional(),
      SIGNALBOX_OIDC_SCOPES: list.default(['openid', 'profile', 'email']),
      SIGNALBOX_OIDC_ROLES_CLAIM: z.string().trim().min(1).default('groups'),
      SIGNALBOX_OIDC_ROLE_MAP: roleMapSchema.optional(),
      SIGNALBOX_OIDC_PROVIDER_NAME: z.string().trim().min(1).optional(),
      SIGNALBOX_SESSION_HOURS: int(1, 24 * 30, 8),
      SIGNALBOX_SESSION_CHECK_SECONDS: int(5, 3600, 60),
    })
    .superRefine((d, ctx) => {
      if (d.SIGNALBOX_AUTH !== 'oidc') return;
      for (const key of [
        'SIGNALBOX_OIDC_ISSUER',
        'SIGNALBOX_OIDC_CLIENT_ID',
        'SIGNALBOX_PUBLIC_URL',
      ] as const) {
        if (!d[key])
          ctx.addIssue({ code: 'custom', path: [key], message: 'required with SIGNALBOX_AUTH=oidc' });
      }
      const issuer = d.SIGNALBOX_OIDC_ISSUER ? new URL(d.SIGNALBOX_OIDC_ISSUER) : null;
      if (issuer?.protocol === 'http:' && !isLoopback(issuer.hostname)) {
        ctx.addIssue({
          code: 'custom',
          path: ['SIGNALBOX_OIDC_ISSUER'],
          message:
            'use https: tokens must not cross a network in clear text (http is allowed on loopback only)',
        });
      }
    }),
  (d): AuthConfig => {
    const dashboardHosts = [...new Set([d.SIGNALBOX_HOST, ...(d.HOSTNAME ? [d.HOSTNAME] : [])])];
    const trustProxy = d.SIGNALBOX_TRUST_PROXY;
    if (d.SIGNALBOX_AUTH !== 'oidc')
      return { mode: d.SIGNALBOX_AUTH ?? null, dashboardHosts, trustProxy, oidc: null };
    const issuer = new URL(d.SIGNALBOX_OIDC_ISSUER!);
    const publicUrl = new URL(d.SIGNALBOX_PUBLIC_URL!);
    return {
      mode: 'oidc',
      dashboardHosts,
      trustProxy,
      oidc: {
        issuer,
        clientId: d.SIGNALBOX_OIDC_CLIENT_ID!,
        clientSecret: d.SIGNALBOX_OIDC_CLIENT_SECRET ?? null,
        publicUrl,
        scopes: d.SIGNALBOX_OIDC_SCOPES.join(' '),
        rolesClaim: d.SIGNALBOX_OIDC_ROLES_CLAIM,
        roleMap: d.SIGNALBOX_OIDC_ROLE_MAP ?? DEFAULT_ROLE_MAP,
        providerName: d.SIGNALBOX_OIDC_PROVIDER_NAME ?? issuer.host,
        sessionMaxAgeMs: d.SIGNALBOX_SESSION_HOURS * 3_600_000,
        sessionCheckMs: d.SIGNALBOX_SESSION_CHECK_SECONDS * 1000,
        secureCookies: publicUrl.protocol === 'https:',
      },
    };
  },
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
    ...((ingest.otlpPort !== null || ingest.otlpGrpcPort !== null) && !isLoopback(ingest.otlpHost)
      ? [`the OTLP listeners on ${ingest.otlpHost} (SIGNALBOX_OTLP_HOST)`]
      : []),
  ];
  if (exposed.length === 0) return null;
  return (
    `Refusing to listen with ${exposed.join(' and ')}: there is no sign-in, so anyone who can reach ` +
    'the port could read message payloads and replay dead letters. Configure sign-in ' +
    '(SIGNALBOX_AUTH=oidc with SIGNALBOX_OIDC_ISSUER, SIGNALBOX_OIDC_CLIENT_ID and SIGNALBOX_PUBLIC_URL), ' +
    'set SIGNALBOX_AUTH=none to accept the risk (e.g. behind your own authenticating proxy), or listen on ' +
    '127.0.0.1 (SIGNALBOX_HOST, HOSTNAME, SIGNALBOX_OTLP_HOST).'
  );
}
