import * as client from 'openid-client';
import type { OidcConfig } from '@/lib/config';
import { isLoopback } from '@/lib/config/auth';
import { UnavailableError } from '@/lib/http/errors';
import type { PendingSignIn } from './session-store';

/*
 * The OpenID Connect relying party, on openid-client (a certified library):
 * authorization code flow with PKCE, state and nonce; refresh to re-check a
 * session; RP-initiated logout. Only the protocol lives here; sessions.ts
 * decides what a result means for a session.
 */

export interface SignedIn {
  claims: Record<string, unknown>;
  refreshToken: string | null;
  idToken: string | null;
}

/** A sign-in that cannot finish; the message says why, for the person in front of the browser. */
export class SignInError extends Error {
  override name = 'SignInError';
}

/** The IdP refused to refresh: the person signed out there, or an admin ended the session. */
export class SessionEndedAtIdp extends Error {
  override name = 'SessionEndedAtIdp';
}

export class OidcProvider {
  private discovered: Promise<client.Configuration> | null = null;
  readonly redirectUri: string;

  constructor(readonly config: OidcConfig) {
    this.redirectUri = new URL('/auth/callback', config.publicUrl).href;
  }

  /** Discovery on first use, retried on the next use when the IdP could not be reached. */
  private configuration(): Promise<client.Configuration> {
    this.discovered ??= client
      .discovery(
        this.config.issuer,
        this.config.clientId,
        this.config.clientSecret ?? undefined,
        this.config.clientSecret ? undefined : client.None(),
        {
          timeout: 10,
          // Plain http is allowed for an IdP on loopback only (lib/config/auth.ts refuses it elsewhere).
          ...(this.config.issuer.protocol === 'http:' && isLoopback(this.config.issuer.hostname)
            ? { execute: [client.allowInsecureRequests] }
            : {}),
        },
      )
      .catch((error: unknown) => {
        this.discovered = null;
        throw new UnavailableError(
          `the identity provider at ${this.config.issuer.href} could not be reached or is misconfigured ` +
            `(${error instanceof Error ? error.message : String(error)}); check SIGNALBOX_OIDC_ISSUER`,
        );
      });
    return this.discovered;
  }

  async startSignIn(returnTo: string, nowMs: number): Promise<{ url: URL; pending: PendingSignIn }> {
    const config = await this.configuration();
    const pending: PendingSignIn = {
      state: client.randomState(),
      codeVerifier: client.randomPKCECodeVerifier(),
      nonce: client.randomNonce(),
      returnTo,
      createdAtMs: nowMs,
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: this.config.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, pending };
  }

  /** Exchanges the code; `callbackUrl` is the URL the IdP redirected to, as the browser saw it. */
  async finishSignIn(callbackUrl: URL, pending: PendingSignIn): Promise<SignedIn> {
    const config = await this.configuration();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      // The IdP refused the code, or its answer failed a check (signature, nonce, issuer, audience).
      if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError)
        throw new SignInError(
          `the identity provider refused the sign-in: ${error.error_description ?? error.error}`,
        );
      if (error instanceof client.ClientError)
        throw new SignInError(`the identity provider's answer did not check out: ${error.message}`);
      throw error;
    }
    return {
      claims: { ...tokens.claims() },
      refreshToken: tokens.refresh_token ?? null,
      idToken: tokens.id_token ?? null,
    };
  }

  /**
   * Asks the IdP whether the session still stands by refreshing it. A refusal
   * (invalid_grant and the like) throws SessionEndedAtIdp; an unreachable IdP
   * throws its own error, which the caller treats as "check again later".
   */
  async refresh(refreshToken: string): Promise<SignedIn> {
    const config = await this.configuration();
    try {
      const tokens = await client.refreshTokenGrant(config, refreshToken);
      return {
        claims: tokens.id_token ? { ...tokens.claims() } : {},
        refreshToken: tokens.refresh_token ?? refreshToken,
        idToken: tokens.id_token ?? null,
      };
    } catch (error) {
      if (error instanceof client.ResponseBodyError) throw new SessionEndedAtIdp(error.error);
      throw error;
    }
  }

  /** Where to send the browser to sign out at the IdP too (RP-initiated logout), when it supports that. */
  async endSessionUrl(idToken: string | null): Promise<URL | null> {
    const config = await this.configuration();
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(config, {
      post_logout_redirect_uri: new URL('/auth/signed-out', this.config.publicUrl).href,
      ...(idToken ? { id_token_hint: idToken } : { client_id: this.config.clientId }),
    });
  }
}
