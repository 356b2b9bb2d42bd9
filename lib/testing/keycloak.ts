import { expect } from 'vitest';
import { KEYCLOAK, type Person } from './keycloak-realm';

export * from './keycloak-realm';

/*
 * The real Keycloak that scripts/brokers/keycloak.sh starts, with the realm in
 * scripts/brokers/keycloak/signalbox-realm.json: its users, and the two things
 * tests do at it that a browser would do: sign in through the login form, and
 * end a user's sessions (as an admin, or the user at another app, would).
 */

/** Keeps the cookies Keycloak sets across the login form's requests, as a browser would. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Signs `person` in at Keycloak's login form, starting from the authorization
 * URL the dashboard redirected to, and answers the URL Keycloak sends the
 * browser back to (the dashboard's callback, with code and state).
 */
export async function signInAtKeycloak(authorizationUrl: string, person: Person): Promise<URL> {
  const jar = new CookieJar();
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  jar.take(page);
  const html = await page.text();
  expect(page.status, html.slice(0, 500)).toBe(200);
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no login form in Keycloak's answer: ${html.slice(0, 500)}`);
  const posted = await fetch(action.replaceAll('&amp;', '&'), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams({ username: person, password: `${person}-pass`, credentialId: '' }),
  });
  const location = posted.headers.get('location');
  if (posted.status !== 302 || !location)
    throw new Error(
      `Keycloak did not accept ${person}'s password: ${posted.status} ${(await posted.text()).slice(0, 300)}`,
    );
  return new URL(location);
}

async function adminToken(): Promise<string> {
  const response = await fetch(`${KEYCLOAK.url}/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'admin-cli',
      username: 'admin',
      password: 'admin',
    }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Ends every Keycloak session of `person`, as signing out at the IdP (or an admin) does. */
export async function endSessionsAtKeycloak(person: Person): Promise<void> {
  const token = await adminToken();
  const auth = { authorization: `Bearer ${token}` };
  const users = (await (
    await fetch(`${KEYCLOAK.url}/admin/realms/signalbox/users?exact=true&username=${person}`, {
      headers: auth,
    })
  ).json()) as { id: string }[];
  expect(users).toHaveLength(1);
  const response = await fetch(`${KEYCLOAK.url}/admin/realms/signalbox/users/${users[0]!.id}/logout`, {
    method: 'POST',
    headers: auth,
  });
  expect(response.status).toBe(204);
}
