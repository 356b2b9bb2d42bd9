import 'server-only';
import { config, getSignIn } from '@/lib/runtime';
import type { ApiToken } from './api-tokens';
import { looksLikeApiToken } from './api-tokens';
import { AccessError } from './access-error';
import { cookieValue, sessionCookie } from './cookies';
import { LOCAL_PRINCIPAL, bearerOf, operatorTokenPrincipal } from './operator';
import type { Principal } from './principal';

/*
 * Who is asking. With sign-in: an API token in Authorization, else the session
 * cookie, else nobody (null). Without: the operator token when one is sent,
 * else anyone who reached the dashboard.
 */

export function tokenPrincipal(token: ApiToken): Principal {
  return {
    kind: 'api-token',
    name: `token ${token.name}`,
    subject: null,
    idp: 'api-token',
    tokenId: token.id,
    grants: [token.grant],
  };
}

/** The principal behind a session cookie's value (pages read the cookie themselves). */
export async function sessionPrincipal(sessionId: string | null): Promise<Principal | null> {
  const signIn = await getSignIn();
  if (!signIn) return LOCAL_PRINCIPAL;
  return sessionId ? signIn.sessions.principal(sessionId) : null;
}

export async function requestPrincipal(request: Request): Promise<Principal | null> {
  const { auth, dlq } = config();
  const bearer = bearerOf(request);
  const signIn = await getSignIn();
  if (!signIn || !auth.oidc) {
    return bearer === null ? LOCAL_PRINCIPAL : operatorTokenPrincipal(request, bearer, dlq.operatorToken);
  }
  if (bearer !== null) {
    if (!looksLikeApiToken(bearer))
      throw new AccessError('the bearer credential is not a Signalbox API token (they start sbx_)', 401);
    return tokenPrincipal(await signIn.tokens.verify(bearer, Date.now()));
  }
  return sessionPrincipal(cookieValue(request.headers.get('cookie'), sessionCookie(auth.oidc).name));
}
