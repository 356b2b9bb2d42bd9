import type { OidcConfig } from '@/lib/config';
import { type OidcProvider, SessionEndedAtIdp, SignInError } from './oidc';

export { SignInError } from './oidc';
import type { Principal } from './principal';
import { displayName, grantsFromClaims } from './role-mapping';
import { type Session, type SessionStore, hashSessionId, newSessionId } from './session-store';

/*
 * Sessions of people signed in through the IdP. A session lasts at most
 * SIGNALBOX_SESSION_HOURS, and every SIGNALBOX_SESSION_CHECK_SECONDS it is
 * refreshed at the IdP: a refusal there (signed out, disabled, session ended
 * by an admin) ends it here, and new group memberships take effect.
 */

/** Only paths of this dashboard: an absolute URL or `//host` could send a person elsewhere after sign-in. */
export function safeReturnTo(value: string | null): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}

export class Sessions {
  /** Checks in flight, so parallel requests of one page refresh once. */
  private readonly checking = new Map<string, Promise<Session | null>>();

  constructor(
    private readonly oidc: OidcProvider,
    private readonly store: SessionStore,
    private readonly config: OidcConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** The IdP's authorization URL, and the state the browser keeps in a short-lived cookie. */
  async begin(returnTo: string | null): Promise<{ url: URL; state: string }> {
    const { url, pending } = await this.oidc.startSignIn(safeReturnTo(returnTo), this.now());
    await this.store.startSignIn(pending);
    return { url, state: pending.state };
  }

  /**
   * Finishes a sign-in: the state in the URL must be the one this browser
   * started (its cookie), and is used once. Answers the new session's id (the
   * cookie value) and where to go next.
   */
  async complete(
    callbackUrl: URL,
    browserState: string | null,
  ): Promise<{ sessionId: string; returnTo: string }> {
    const error = callbackUrl.searchParams.get('error');
    if (error)
      throw new SignInError(
        `the identity provider refused the sign-in: ${callbackUrl.searchParams.get('error_description') ?? error}`,
      );
    const state = callbackUrl.searchParams.get('state');
    if (!state || state !== browserState)
      throw new SignInError('this sign-in was not started in this browser (or took too long): start again');
    const pending = await this.store.takeSignIn(state, this.now());
    if (!pending) throw new SignInError('this sign-in has expired or was already used: start again');
    const signedIn = await this.oidc.finishSignIn(callbackUrl, pending);
    const sessionId = newSessionId();
    const now = this.now();
    await this.store.put({
      idHash: hashSessionId(sessionId),
      subject: String(signedIn.claims.sub),
      name: displayName(signedIn.claims),
      idp: this.config.providerName,
      grants: grantsFromClaims(signedIn.claims, this.config),
      refreshToken: signedIn.refreshToken,
      idToken: signedIn.idToken,
      createdAtMs: now,
      expiresAtMs: now + this.config.sessionMaxAgeMs,
      checkedAtMs: now,
    });
    void this.store.prune(now).catch(() => undefined);
    return { sessionId, returnTo: pending.returnTo };
  }

  /** The person behind a session cookie, or null when there is no such session any more. */
  async principal(sessionId: string): Promise<Principal | null> {
    const idHash = hashSessionId(sessionId);
    let session = await this.store.get(idHash);
    if (!session) return null;
    if (session.expiresAtMs <= this.now()) {
      await this.store.remove(idHash);
      return null;
    }
    if (this.now() - session.checkedAtMs >= this.config.sessionCheckMs) {
      let check = this.checking.get(idHash);
      if (!check) {
        check = this.check(session).finally(() => this.checking.delete(idHash));
        this.checking.set(idHash, check);
      }
      session = await check;
      if (!session) return null;
    }
    return {
      kind: 'session',
      name: session.name,
      subject: session.subject,
      idp: session.idp,
      tokenId: null,
      grants: session.grants,
    };
  }

  /**
   * Refreshes at the IdP. Refused: the session ends. IdP unreachable: the
   * session stands and is checked again on the next request, so an IdP outage
   * does not sign everybody out (a sign-out there takes effect once it is back).
   */
  private async check(session: Session): Promise<Session | null> {
    if (!session.refreshToken) {
      await this.store.remove(session.idHash);
      return null;
    }
    try {
      const refreshed = await this.oidc.refresh(session.refreshToken);
      const next: Session = {
        ...session,
        refreshToken: refreshed.refreshToken,
        idToken: refreshed.idToken ?? session.idToken,
        ...(refreshed.claims.sub === session.subject
          ? { name: displayName(refreshed.claims), grants: grantsFromClaims(refreshed.claims, this.config) }
          : {}),
        checkedAtMs: this.now(),
      };
      await this.store.put(next);
      return next;
    } catch (error) {
      if (error instanceof SessionEndedAtIdp) {
        await this.store.remove(session.idHash);
        return null;
      }
      console.warn(`signalbox: could not check a session with the identity provider: ${String(error)}`);
      return session;
    }
  }

  /** Ends the session here and answers where to end it at the IdP (null when it cannot be). */
  async end(sessionId: string): Promise<URL | null> {
    const idHash = hashSessionId(sessionId);
    const session = await this.store.get(idHash);
    await this.store.remove(idHash);
    try {
      return await this.oidc.endSessionUrl(session?.idToken ?? null);
    } catch {
      return null;
    }
  }
}
