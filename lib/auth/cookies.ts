import type { OidcConfig } from '@/lib/config';

/*
 * The two cookies sign-in sets. Both are HttpOnly and SameSite=Lax (sent on
 * the IdP's redirect back, a top-level GET, and never on a cross-site POST).
 * Over https they are Secure and take the __Host- prefix, which pins them to
 * this host and path /.
 */

export interface CookieSpec {
  name: string;
  options: {
    httpOnly: true;
    sameSite: 'lax';
    secure: boolean;
    path: '/';
    maxAge: number;
  };
}

const spec = (
  base: string,
  config: Pick<OidcConfig, 'secureCookies'>,
  maxAgeSeconds: number,
): CookieSpec => ({
  name: config.secureCookies ? `__Host-${base}` : base,
  options: {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    path: '/',
    maxAge: maxAgeSeconds,
  },
});

export const sessionCookie = (config: Pick<OidcConfig, 'secureCookies' | 'sessionMaxAgeMs'>) =>
  spec('signalbox-session', config, Math.floor(config.sessionMaxAgeMs / 1000));

/** Holds the sign-in's state between leaving for the IdP and coming back. */
export const signInCookie = (config: Pick<OidcConfig, 'secureCookies'>) =>
  spec('signalbox-sign-in', config, 600);

/** A cookie's value from a Cookie header. */
export function cookieValue(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return null;
}
