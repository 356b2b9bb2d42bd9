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
    requireSameOrigin(request);
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

  it('compares tokens of any length', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abcd')).toBe(false);
  });
});
