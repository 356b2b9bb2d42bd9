import fs from 'node:fs';
import path from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Journey } from '@/lib/analytics/journey-model';
import type { ChainedAuditEntry } from '@/lib/audit/audit-entry';
import { brokerGate } from '@/lib/testing/brokers';
import { tempDataDir } from '@/lib/testing/in-process-dashboard';
import {
  KEYCLOAK,
  type Person,
  TEST_ROLE_MAP,
  endSessionsAtKeycloak,
  signInAtKeycloak,
} from '@/lib/testing/keycloak';
import { recordSpans, toProtobuf } from '@/lib/testing/otlp-fixtures';
import { RABBIT_URL, unique, waitFor } from '@/lib/dlq/testing/support';
import type { Action } from './principal';

/*
 * Sign-in, roles, scopes, API tokens and the audit trail against a real
 * Keycloak (scripts/brokers/keycloak.sh), a real RabbitMQ and the real DuckDB
 * store. The dashboard's route handlers run in this process, called with
 * Requests as Next calls them; what a browser does at Keycloak (the login
 * form, its cookies) is done over HTTP. The pages are covered in
 * e2e/sign-in.spec.ts, in Chromium.
 */

const gate = await brokerGate('keycloak', 'rabbitmq', 'rabbitmq-management');
const PUBLIC = 'http://127.0.0.1:3999';
const run = unique('auth');
const paymentsDlq = `payments.${run}.dlq`;
const paymentsId = `rabbitmq:${paymentsDlq}`;
const paymentsTarget = `payments.${run}`;
const ordersId = 'kafka:orders.DLT';
const messageId = `pay-${run}`;

type Method = 'GET' | 'POST' | 'DELETE';
type Rule = Action | 'public';

/**
 * Every API route and what it needs. The test fails when a route exists that
 * this table does not name, so a new route cannot ship unauthorized.
 */
const RULES: Record<string, Partial<Record<Method, Rule>>> = {
  'api/alerts': { GET: 'view' },
  'api/alerts/acknowledgements': { POST: 'change' },
  'api/alerts/prometheus-rules': { GET: 'view' },
  'api/alerts/rules': { POST: 'change' },
  'api/alerts/rules/[id]': { DELETE: 'change' },
  'api/alerts/silences': { POST: 'change' },
  'api/alerts/silences/[id]': { DELETE: 'change' },
  'api/anomalies': { GET: 'view' },
  'api/audit': { GET: 'administer' },
  'api/audit/verify': { GET: 'administer' },
  'api/backups': { GET: 'administer', POST: 'administer' },
  'api/backups/[name]': { GET: 'administer' },
  'api/dlq': { GET: 'view' },
  'api/dlq/[id]/archive': { GET: 'read' },
  'api/dlq/[id]/messages': { GET: 'read' },
  'api/dlq/[id]/messages/[messageId]': { DELETE: 'change' },
  'api/dlq/[id]/purge': { POST: 'change' },
  'api/dlq/[id]/replay': { POST: 'change' },
  'api/flows': { GET: 'view' },
  'api/flows/series': { GET: 'view' },
  'api/health': { GET: 'public' },
  'api/journeys': { GET: 'view' },
  'api/lag': { GET: 'view' },
  'api/lag/history': { GET: 'view' },
  'api/me': { GET: 'public' },
  'api/latency': { GET: 'view' },
  'api/latency/series': { GET: 'view' },
  'api/ready': { GET: 'public' },
  'api/replays': { GET: 'read' },
  'api/replays/[jobId]': { GET: 'read', DELETE: 'change' },
  'api/search': { GET: 'view' },
  'api/tokens': { GET: 'administer', POST: 'administer' },
  'api/tokens/[id]': { DELETE: 'administer' },
  metrics: { GET: 'view' },
};

/** The routes on disk under app/ (OTLP ingest at v1/ has its own token, auth/ is the way in). */
function routesOnDisk(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') found.push(path.relative('app', path.dirname(full)));
    }
  };
  walk('app');
  return found.filter((r) => !r.startsWith('v1') && !r.startsWith('auth')).sort();
}

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const routeModules = new Map<string, Record<string, Handler>>();

async function call(
  route: string,
  method: Method,
  credentials: Record<string, string>,
  options: { params?: Record<string, string>; query?: string; body?: unknown } = {},
): Promise<Response> {
  const handler = routeModules.get(route)?.[method];
  if (!handler) throw new Error(`no ${method} in app/${route}/route.ts`);
  const url = `${PUBLIC}/${route.replace(/\[(\w+)\]/g, (_, name: string) => encodeURIComponent(options.params?.[name] ?? 'x'))}${options.query ?? ''}`;
  const request = new Request(url, {
    method,
    headers: {
      host: '127.0.0.1:3999',
      ...(method === 'GET' ? {} : { origin: PUBLIC, 'content-type': 'application/json' }),
      ...credentials,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return handler(request, { params: Promise.resolve(options.params ?? {}) });
}

const json = async <T>(response: Response) => (await response.json()) as T;

/** The value of a cookie the answer sets, as a Cookie header pair. */
function cookieSet(response: Response, name: string): string {
  const line = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name} cookie in ${JSON.stringify(response.headers.getSetCookie())}`);
  return line.split(';')[0]!;
}

describe.skipIf(gate.skip)('sign-in with a real Keycloak: roles, scopes, tokens, audit', () => {
  let dataDir: string;
  let channel: amqp.Channel;
  let connection: amqp.ChannelModel;
  let signIn: { GET: (r: Request) => Promise<Response> };
  let callback: { GET: (r: Request) => Promise<Response> };
  const sessions = {} as Record<Person, Record<string, string>>;
  const tokens = {} as Record<'viewer' | 'reader' | 'operator' | 'admin', Record<string, string>>;

  /** The whole sign-in: the dashboard's redirect, Keycloak's login form, the callback. */
  async function signInAs(person: Person, returnTo = '/dlq'): Promise<Record<string, string>> {
    const start = await signIn.GET(
      new Request(`${PUBLIC}/auth/sign-in?returnTo=${encodeURIComponent(returnTo)}`),
    );
    expect(start.status).toBe(303);
    const authorizationUrl = new URL(start.headers.get('location')!);
    expect(authorizationUrl.href.startsWith(`${KEYCLOAK.issuer}/protocol/openid-connect/auth`)).toBe(true);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    const back = await signInAtKeycloak(authorizationUrl.href, person);
    expect(back.origin + back.pathname).toBe(`${PUBLIC}/auth/callback`);
    const done = await callback.GET(
      new Request(back, { headers: { cookie: cookieSet(start, 'signalbox-sign-in') } }),
    );
    expect(done.status, await done.clone().text()).toBe(303);
    expect(done.headers.get('location')).toBe(`${PUBLIC}${returnTo}`);
    const session = done.headers.getSetCookie().find((c) => c.startsWith('signalbox-session='))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=lax/i);
    return { cookie: cookieSet(done, 'signalbox-session') };
  }

  beforeAll(async () => {
    dataDir = tempDataDir('signalbox-auth-');
    Object.assign(process.env, {
      SIGNALBOX_AUTH: 'oidc',
      SIGNALBOX_OIDC_ISSUER: KEYCLOAK.issuer,
      SIGNALBOX_OIDC_CLIENT_ID: KEYCLOAK.clientId,
      SIGNALBOX_OIDC_CLIENT_SECRET: KEYCLOAK.clientSecret,
      SIGNALBOX_PUBLIC_URL: PUBLIC,
      SIGNALBOX_OIDC_ROLE_MAP: TEST_ROLE_MAP,
      SIGNALBOX_SESSION_CHECK_SECONDS: '5',
      SIGNALBOX_DLQ_QUEUES: paymentsId,
      SIGNALBOX_RABBITMQ_URL: RABBIT_URL,
      SIGNALBOX_OTLP_PORT: 'off',
    });
    delete process.env.SIGNALBOX_OPERATOR_TOKEN;

    connection = await amqp.connect(RABBIT_URL);
    channel = await connection.createChannel();
    await channel.assertQueue(paymentsDlq, { durable: false });
    await channel.assertQueue(paymentsTarget, { durable: false });
    channel.sendToQueue(paymentsDlq, Buffer.from('{"card":"4111 1111 1111 1111","amount":12}'), {
      messageId,
      contentType: 'application/json',
      headers: { 'x-first-death-queue': paymentsTarget },
    });

    for (const route of routesOnDisk())
      routeModules.set(route, (await import(`@/app/${route}/route`)) as Record<string, Handler>);
    signIn = await import('@/app/auth/sign-in/route');
    callback = await import('@/app/auth/callback/route');
    for (const person of ['vera', 'rita', 'omar', 'ada', 'nora'] as const)
      sessions[person] = await signInAs(person);

    // One API token per role, made by the admin through the API.
    for (const role of ['viewer', 'reader', 'operator', 'admin'] as const) {
      const made = await call('api/tokens', 'POST', sessions.ada, {
        body: { name: `${run}-${role}`, role, expiresInDays: 1 },
      });
      expect(made.status).toBe(201);
      tokens[role] = { authorization: `Bearer ${(await json<{ secret: string }>(made)).secret}` };
    }
  });

  afterAll(async () => {
    for (const q of [paymentsDlq, paymentsTarget]) await channel?.deleteQueue(q).catch(() => undefined);
    await connection?.close();
    const { stopRuntime } = await import('@/lib/runtime');
    await stopRuntime();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('names every API route in the rule table, and every rule a route', () => {
    const onDisk = routesOnDisk().flatMap((route) =>
      Object.keys(routeModules.get(route)!)
        .filter((name) => ['GET', 'POST', 'DELETE', 'PUT', 'PATCH'].includes(name))
        .map((method) => `${method} ${route}`),
    );
    const ruled = Object.entries(RULES).flatMap(([route, methods]) =>
      Object.keys(methods).map((m) => `${m} ${route}`),
    );
    expect(onDisk.sort()).toEqual(ruled.sort());
  });

  it('answers every route as its rule says: 401 to nobody, 403 below the role, through with it', async () => {
    const who: [string, Record<string, string>, Action | null][] = [
      ['nobody', {}, null],
      ['nora (signed in, no group)', sessions.nora, null],
      ['vera (viewer)', sessions.vera, 'view'],
      ['rita (reader)', sessions.rita, 'read'],
      ['ada (admin)', sessions.ada, 'administer'],
      ['viewer token', tokens.viewer, 'view'],
      ['reader token', tokens.reader, 'read'],
      ['operator token', tokens.operator, 'change'],
      ['admin token', tokens.admin, 'administer'],
    ];
    const order: (Action | null)[] = [null, 'view', 'read', 'change', 'administer'];
    const outcomes: string[] = [];
    for (const [route, methods] of Object.entries(RULES)) {
      for (const [method, rule] of Object.entries(methods) as [Method, Rule][]) {
        for (const [name, credentials, level] of who) {
          // Fuzzed parameters: a known queue and job ids that do not exist; bodies that fail validation.
          const response = await call(route, method, credentials, {
            params: { id: paymentsId, messageId: 'no-such-message', jobId: 'no-such-job' },
            body: method === 'GET' ? undefined : {},
          });
          const expected =
            rule === 'public'
              ? 'through'
              : credentials === sessions.nora
                ? 403
                : level === null
                  ? 401
                  : order.indexOf(level) >= order.indexOf(rule)
                    ? 'through'
                    : 403;
          const got = response.status === 401 || response.status === 403 ? response.status : 'through';
          if (got !== expected)
            outcomes.push(
              `${method} /${route} as ${name}: ${response.status}, expected ${expected}: ${await response.text()}`,
            );
          // Through the check, nothing answers 500 for the fuzzed input.
          if (got === 'through') expect(response.status, `${method} /${route} as ${name}`).toBeLessThan(500);
        }
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('a viewer sees no payload anywhere: DLQ messages and archive refused, journeys without attributes', async () => {
    expect(
      (await call('api/dlq/[id]/messages', 'GET', sessions.vera, { params: { id: paymentsId } })).status,
    ).toBe(403);
    expect(
      (await call('api/dlq/[id]/archive', 'GET', sessions.vera, { params: { id: paymentsId } })).status,
    ).toBe(403);
    expect((await call('api/replays', 'GET', sessions.vera)).status).toBe(403);

    const spans = recordSpans(`checkout-${run}`, (tracer) => {
      const span = tracer.startSpan(`send ${paymentsTarget}`, {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.destination.name': paymentsTarget,
          'messaging.operation.type': 'send',
          'messaging.message.id': messageId,
          'customer.email': 'jane@example.com',
          'order.note': 'leave at the back door',
          'payment.summary': 'charged 4111 1111 1111 1111 for 12 EUR',
        },
      });
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'declined for order 42 of jane' });
      span.end();
    });
    const ingest = (await import('@/app/v1/traces/route')) as { POST: (r: Request) => Promise<Response> };
    const posted = await ingest.POST(
      new Request(`${PUBLIC}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: Buffer.from(toProtobuf(spans)),
      }),
    );
    expect(posted.status).toBe(200);
    const journeyAs = (credentials: Record<string, string>) =>
      waitFor(async () => {
        const response = await call('api/journeys', 'GET', credentials, { query: `?messageId=${messageId}` });
        return response.status === 200 ? json<Journey>(response) : undefined;
      }, 'the journey');

    const forVera = JSON.stringify(await journeyAs(sessions.vera));
    expect(forVera).toContain(paymentsTarget);
    for (const secret of ['leave at the back door', 'declined for order 42', 'customer.email'])
      expect(forVera).not.toContain(secret);
    const forRita = await journeyAs(sessions.rita);
    expect(forRita.spans[0]?.attributes).toMatchObject({ 'order.note': 'leave at the back door' });
    // Masking still applies for those who may read: the e-mail is hidden.
    expect(JSON.stringify(forRita)).not.toContain('jane@example.com');

    const search = await call('api/search', 'GET', sessions.vera, { query: `?q=${messageId}` });
    expect(search.status).toBe(200);
    expect(await search.text()).not.toContain('back door');
  });

  it('a reader sees the card number of a real dead letter masked on every view that carries it', async () => {
    const params = { id: paymentsId };
    const views = {
      'DLQ messages': await call('api/dlq/[id]/messages', 'GET', sessions.rita, { params }),
      'DLQ messages (API token)': await call('api/dlq/[id]/messages', 'GET', tokens.reader, { params }),
      journey: await call('api/journeys', 'GET', sessions.rita, { query: `?messageId=${messageId}` }),
      search: await call('api/search', 'GET', sessions.rita, { query: `?q=${messageId}` }),
    };
    const bodies: Record<string, string> = {};
    for (const [view, response] of Object.entries(views)) {
      bodies[view] = await response.text();
      expect(response.status, `${view}: ${bodies[view]}`).toBe(200);
      expect(bodies[view], view).not.toMatch(/4111[ -]?1111[ -]?1111[ -]?1111/);
    }
    // Masked, not dropped: the reader sees where the card was, and what is around it.
    expect(bodies['DLQ messages']).toContain('[masked:card]');
    expect(bodies['DLQ messages']).toContain('\\"amount\\":12');
    expect(bodies.journey).toContain('charged [masked:card] for 12 EUR');
  });

  it('an operator limited to payments.* replays payments, not orders, and the audit row names them', async () => {
    const dry = await call('api/dlq/[id]/replay', 'POST', sessions.omar, {
      params: { id: paymentsId },
      body: { all: true, dryRun: true },
    });
    expect(dry.status, await dry.clone().text()).toBe(200);
    expect(await json<{ messages: number }>(dry)).toMatchObject({ messages: 1 });

    const refused = await call('api/dlq/[id]/replay', 'POST', sessions.omar, {
      params: { id: ordersId },
      body: { all: true },
    });
    expect(refused.status).toBe(403);
    expect((await json<{ error: string }>(refused)).error).toBe(
      'To replay, delete or purge dead letters on orders.DLT (kafka) you need the operator role; ' +
        'Omar Operator has operator on payments.*.',
    );
    const elsewhere = await call('api/dlq/[id]/replay', 'POST', sessions.omar, {
      params: { id: paymentsId },
      body: { all: true, target: 'orders.retry' },
    });
    expect(elsewhere.status).toBe(403);

    const started = await call('api/dlq/[id]/replay', 'POST', sessions.omar, {
      params: { id: paymentsId },
      body: { all: true },
    });
    expect(started.status, await started.clone().text()).toBe(202);
    const job = await json<{ id: string }>(started);
    await waitFor(
      async () => ((await channel.checkQueue(paymentsTarget)).messageCount === 1 ? true : undefined),
      'the replayed copy',
    );

    const { getAuditLog } = await import('@/lib/runtime');
    const [row] = (await (await getAuditLog()).list(50, paymentsId)).filter((e) => e.jobId === job.id);
    expect(row).toMatchObject({
      action: 'replay',
      actor: { name: 'Omar Operator', idp: '127.0.0.1:8180', tokenId: null },
    });
    expect(row?.actor.subject).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exports the audit log as JSON lines whose chain verifies, naming who made each token', async () => {
    const exported = await call('api/audit', 'GET', sessions.ada);
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toContain('application/x-ndjson');
    const rows = (await exported.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ChainedAuditEntry);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.filter((r) => r.action === 'token-create').map((r) => r.actor.name)).toEqual(
      Array(4).fill('Ada Admin'),
    );
    const verify = await json<{ ok: boolean; rows: number }>(
      await call('api/audit/verify', 'GET', sessions.ada),
    );
    expect(verify).toMatchObject({ ok: true, rows: rows.length });
  });

  it('an admin takes a backup of the running store, lists and downloads it, and the audit names them', async () => {
    const taken = await call('api/backups', 'POST', sessions.ada);
    expect(taken.status, await taken.clone().text()).toBe(201);
    const { backup } = await json<{
      backup: { name: string; bytes: number; tables: Record<string, number> };
    }>(taken);
    // The sessions just made are in it: the copy holds the side tables too.
    expect(backup.tables.auth_sessions).toBeGreaterThanOrEqual(5);
    const listed = await json<{ backups: { name: string; bytes: number }[] }>(
      await call('api/backups', 'GET', tokens.admin),
    );
    expect(listed.backups).toContainEqual(
      expect.objectContaining({ name: backup.name, bytes: backup.bytes }),
    );
    const download = await call('api/backups/[name]', 'GET', sessions.ada, { params: { name: backup.name } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${backup.name}"`);
    expect((await download.arrayBuffer()).byteLength).toBe(backup.bytes);
    // An operator may replay, not copy the whole store.
    expect(
      (await call('api/backups/[name]', 'GET', sessions.omar, { params: { name: backup.name } })).status,
    ).toBe(403);
    const { getAuditLog } = await import('@/lib/runtime');
    const [row] = await (await getAuditLog()).list(1);
    expect(row).toMatchObject({
      action: 'backup',
      actor: { name: 'Ada Admin' },
      detail: { name: backup.name },
    });
  });

  it('refuses a revoked or an expired token, saying which', async () => {
    const made = await json<{ token: { id: string }; secret: string }>(
      await call('api/tokens', 'POST', sessions.ada, { body: { name: `${run}-ci`, role: 'viewer' } }),
    );
    const bearer = { authorization: `Bearer ${made.secret}` };
    expect((await call('api/lag', 'GET', bearer)).status).toBe(200);
    expect(
      (await call('api/tokens/[id]', 'DELETE', sessions.ada, { params: { id: made.token.id } })).status,
    ).toBe(200);
    const revoked = await call('api/lag', 'GET', bearer);
    expect(revoked.status).toBe(401);
    expect((await json<{ error: string }>(revoked)).error).toMatch(/was revoked by Ada Admin/);

    const { getSignIn } = await import('@/lib/runtime');
    const { secret } = await (await getSignIn())!.tokens.issue({
      name: `${run}-old`,
      grant: { role: 'admin', systems: null, destinations: null },
      createdBy: 'test',
      expiresAtMs: Date.now() - 1000,
      nowMs: Date.now() - 86_400_000,
    });
    const expired = await call('api/lag', 'GET', { authorization: `Bearer ${secret}` });
    expect(expired.status).toBe(401);
    expect((await json<{ error: string }>(expired)).error).toMatch(/expired at/);
    expect((await call('api/lag', 'GET', { authorization: `Bearer ${secret.slice(0, -2)}xx` })).status).toBe(
      401,
    );
    // The token list never shows a secret.
    expect(await (await call('api/tokens', 'GET', sessions.ada)).text()).not.toContain(
      made.secret.split('_')[2],
    );
  });

  it('ends a session at its next check once the person is signed out at Keycloak', async () => {
    const vera = await signInAs('vera', '/flows');
    expect((await call('api/lag', 'GET', vera)).status).toBe(200);
    await endSessionsAtKeycloak('vera');
    // The check runs every 5 s here (SIGNALBOX_SESSION_CHECK_SECONDS).
    await waitFor(
      async () => ((await call('api/lag', 'GET', vera)).status === 401 ? true : undefined),
      'the session to end',
      15_000,
    );
    // Signing out here ends the session too.
    const rita = await signInAs('rita');
    const signOut = (await import('@/app/auth/sign-out/route')) as {
      POST: (r: Request) => Promise<Response>;
    };
    const out = await signOut.POST(
      new Request(`${PUBLIC}/auth/sign-out`, {
        method: 'POST',
        headers: { ...rita, origin: PUBLIC, host: '127.0.0.1:3999' },
      }),
    );
    // A page that continues to Keycloak's logout (a redirect would break the CSP's form-action 'self').
    expect(out.status).toBe(200);
    expect(await out.text()).toMatch(
      new RegExp(
        `<meta http-equiv="refresh" content="0;url=${KEYCLOAK.issuer}/protocol/openid-connect/logout\\?`,
      ),
    );
    expect(out.headers.getSetCookie().join()).toMatch(/signalbox-session=;/);
    expect((await call('api/lag', 'GET', rita)).status).toBe(401);
  });
});
