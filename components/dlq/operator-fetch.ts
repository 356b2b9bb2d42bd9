'use client';

const KEY = 'signalbox-operator-token';
const NAME_KEY = 'signalbox-operator-name';

/** Without sign-in, the dashboard answers a change with no token 401 and asks for this header. */
const wantsOperatorToken = (response: Response) =>
  response.status === 401 && response.headers.get('www-authenticate')?.includes('signalbox-operator');

/**
 * Calls a mutating DLQ endpoint. Signed in, the session cookie is the credential. Without sign-in,
 * the dashboard asks for the operator token: it is asked for once per browser tab and kept in
 * sessionStorage (gone when the tab closes); it travels only in the Authorization header, which a
 * cross-site page cannot make this browser send.
 */
export async function operatorFetch(
  url: string,
  init: { method: string; body?: unknown },
): Promise<Response> {
  if (!sessionStorage.getItem(KEY)) {
    const response = await send(url, init, null);
    if (!wantsOperatorToken(response)) return response;
  }
  return send(url, init, operatorToken());
}

function operatorToken(): string {
  let token = sessionStorage.getItem(KEY);
  if (!token) {
    token = window.prompt('Operator token (SIGNALBOX_OPERATOR_TOKEN); kept for this tab only')?.trim() ?? '';
    if (!token) throw new Error('An operator token is needed to change a dead-letter queue.');
    const name = window.prompt('Your name, for the audit log')?.trim() ?? '';
    sessionStorage.setItem(KEY, token);
    if (name) sessionStorage.setItem(NAME_KEY, name);
  }
  return token;
}

async function send(url: string, init: { method: string; body?: unknown }, token: string | null) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  const name = sessionStorage.getItem(NAME_KEY);
  if (token && name) headers['x-signalbox-operator'] = name;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.status === 401) sessionStorage.removeItem(KEY); // ask again next time
  return response;
}

/** The error text of a failed API answer. */
export async function errorOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: string };
    return body.error ?? `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}
