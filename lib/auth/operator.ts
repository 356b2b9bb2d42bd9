import { createHash, timingSafeEqual } from 'node:crypto';
import { AccessError } from './access-error';
import type { Principal } from './principal';

/*
 * Without sign-in (SIGNALBOX_AUTH unset or none) the dashboard trusts whoever
 * reaches it to look, as it always has, and SIGNALBOX_OPERATOR_TOKEN is the one
 * credential for changes.
 */

/** Anyone who reaches a dashboard without sign-in: may look, payloads included, and change nothing. */
export const LOCAL_PRINCIPAL: Principal = {
  kind: 'local',
  name: 'anyone (no sign-in)',
  subject: null,
  idp: 'none',
  tokenId: null,
  grants: [{ role: 'reader', systems: null, destinations: null }],
};

/** Constant-time comparison; hashing first makes the lengths equal, so length is not leaked either. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The bearer credential of a request, or null when it sends none. */
export function bearerOf(request: Request): string | null {
  const header = request.headers.get('authorization');
  if (header === null) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new AccessError('send credentials as Authorization: Bearer <token>', 401);
  return match[1];
}

/**
 * The holder of SIGNALBOX_OPERATOR_TOKEN: every role, the only one without
 * sign-in. One shared token identifies no person, so the audit log records the
 * name the UI asked for (`X-Signalbox-Operator`, self-declared) and a token
 * fingerprint, which shows a rotated token in the log.
 */
export function operatorTokenPrincipal(request: Request, presented: string, token: string | null): Principal {
  if (token === null)
    throw new AccessError(
      'replay, delete and purge are disabled: set SIGNALBOX_OPERATOR_TOKEN on the dashboard to enable them',
      503,
    );
  if (!tokensEqual(presented, token))
    throw new AccessError('the operator token is not valid', 401, 'signalbox-operator');
  const declared = (request.headers.get('x-signalbox-operator') ?? '')
    .replace(/[^\w .@-]/g, '')
    .trim()
    .slice(0, 64);
  const fingerprint = createHash('sha256').update(token).digest('hex').slice(0, 8);
  return {
    kind: 'operator-token',
    name: `${declared || 'operator'} (token ${fingerprint})`,
    subject: null,
    idp: 'operator-token',
    tokenId: fingerprint,
    grants: [{ role: 'admin', systems: null, destinations: null }],
  };
}

/** Which hosts a change may come from, besides the request's own Host. */
export interface OriginPolicy {
  /** Honour X-Forwarded-Host (SIGNALBOX_TRUST_PROXY): the proxy in front sets it to what browsers reached. */
  trustProxy: boolean;
  /** The host of SIGNALBOX_PUBLIC_URL, the dashboard's address as configured; null without one. */
  publicHost: string | null;
}

/**
 * Refuses what a browser marks as cross-site, for every request that changes
 * something. With cookie sessions this is the CSRF defence (with SameSite=Lax
 * cookies); with bearer tokens it costs nothing.
 */
export function requireSameOrigin(request: Request, policy: OriginPolicy): void {
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site') throw new AccessError('cross-site requests are refused', 403);
  const origin = request.headers.get('origin');
  if (origin === null) return;
  if (origin === 'null') throw new AccessError('requests from an opaque origin are refused', 403);
  let originHost: string | null;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = null;
  }
  const host = request.headers.get('host');
  // A proxy appends to the header: the first value is what the browser reached.
  const forwarded = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim() || null;
  const ours = [host, policy.publicHost, policy.trustProxy ? forwarded : null];
  if (originHost !== null && ours.includes(originHost)) return;
  const hint =
    forwarded === originHost && !policy.trustProxy
      ? ' Behind a reverse proxy that sets X-Forwarded-Host, set SIGNALBOX_TRUST_PROXY=true ' +
        '(or SIGNALBOX_PUBLIC_URL, or have the proxy pass the Host header on).'
      : '';
  throw new AccessError(`requests from ${origin} are refused (not this dashboard's origin).${hint}`, 403);
}
