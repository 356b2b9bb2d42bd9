import { describe, expect, it } from 'vitest';
import { AccessError } from './access-error';
import { bearerOf, operatorTokenPrincipal, requireSameOrigin, tokensEqual } from './operator';

const TOKEN = 'a-long-operator-token-123';
const req = (headers: Record<string, string>) =>
  new Request('http://dash.local:3000/api/dlq/x/replay', {
    method: 'POST',
    headers: { host: 'dash.local:3000', ...headers },
  });

/** The status the checks a change goes through answer with, or null when it passes. */
function refusal(headers: Record<string, string>, token: string | null = TOKEN): number | null {
  try {
    const request = req(headers);
    requireSameOrigin(request, { trustProxy: false, publicHost: null });
    const presented = bearerOf(request);
    if (presented === null) return 401;
    operatorTokenPrincipal(request, presented, token);
    return null;
  } catch (error) {
    return error instanceof AccessError ? error.status : -1;
  }
}

describe('operator token (no sign-in) and CSRF', () => {
  it('accepts the bearer token from this origin and names the actor, with every role', () => {
    const request = req({
      authorization: `Bearer ${TOKEN}`,
      origin: 'http://dash.local:3000',
      'x-signalbox-operator': 'alice<script>',
    });
    const principal = operatorTokenPrincipal(request, bearerOf(request)!, TOKEN);
    expect(principal.name).toMatch(/^alicescript \(token [0-9a-f]{8}\)$/);
    expect(principal.grants).toEqual([{ role: 'admin', systems: null, destinations: null }]);
    expect(refusal({ authorization: `Bearer ${TOKEN}` })).toBeNull(); // curl: no Origin
  });

  it('refuses a missing or wrong token, cross-site requests, and everything when no token is configured', () => {
    expect(refusal({})).toBe(401);
    expect(refusal({ authorization: 'Bearer wrong' })).toBe(401);
    expect(refusal({ authorization: `Basic ${TOKEN}` })).toBe(401);
    expect(refusal({ authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' })).toBe(403);
    expect(refusal({ authorization: `Bearer ${TOKEN}`, origin: 'null' })).toBe(403);
    expect(refusal({ authorization: `Bearer ${TOKEN}`, 'sec-fetch-site': 'cross-site' })).toBe(403);
    expect(refusal({ authorization: `Bearer ${TOKEN}` }, null)).toBe(503);
  });

  it('takes the forwarded host only from a trusted proxy, and the public URL always', () => {
    // The proxy reached as dash.example.com passes the request on to the dashboard's own address.
    const proxied = (headers: Record<string, string>) =>
      new Request('http://10.0.0.5:3000/api/dlq/x/replay', {
        method: 'POST',
        headers: { host: '10.0.0.5:3000', origin: 'https://dash.example.com', ...headers },
      });
    const status = (request: Request, policy: { trustProxy: boolean; publicHost: string | null }) => {
      try {
        requireSameOrigin(request, policy);
        return null;
      } catch (error) {
        return error instanceof AccessError ? `${error.status} ${error.message}` : String(error);
      }
    };
    const forwarded = proxied({ 'x-forwarded-host': 'dash.example.com, 10.0.0.1' });
    expect(status(forwarded, { trustProxy: true, publicHost: null })).toBeNull();
    expect(status(forwarded, { trustProxy: false, publicHost: null })).toMatch(
      /^403 .*set SIGNALBOX_TRUST_PROXY=true/,
    );
    expect(status(proxied({}), { trustProxy: false, publicHost: 'dash.example.com' })).toBeNull();
    // A forged header does not make another site this dashboard, trusted proxy or not.
    const forged = proxied({ origin: 'https://evil.example', 'x-forwarded-host': 'dash.example.com' });
    expect(status(forged, { trustProxy: true, publicHost: 'dash.example.com' })).toMatch(/^403 /);
  });

  it('compares tokens of any length', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abcd')).toBe(false);
  });
});
