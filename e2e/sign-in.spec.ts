import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page, expect, test } from '@playwright/test';
import amqp from 'amqplib';
import { freePort } from '../lib/testing/free-port';
import { KEYCLOAK, PEOPLE, type Person, TEST_ROLE_MAP } from '../lib/testing/keycloak-realm';
import { keepScreenshot } from './support';
import { type StandaloneServer, startStandalone } from './standalone-server';

// Sign-in through Keycloak's real login form, in Chromium, against the
// standalone build configured for OpenID Connect (scripts/brokers/keycloak.sh
// must be up: `npm run brokers` starts it). The API-level checks of every role
// are in lib/auth/sign-in.keycloak.int.test.ts.

const run = Math.random().toString(36).slice(2, 8);
const dlq = `payments.e2e-${run}.dlq`;
const queueId = `rabbitmq:${dlq}`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-sign-in-'));
let server: StandaloneServer;
let base: string;
let rabbit: amqp.ChannelModel;

test.beforeAll(async ({ request }) => {
  rabbit = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
  const channel = await rabbit.createChannel();
  await channel.assertQueue(dlq, { durable: false });
  channel.sendToQueue(dlq, Buffer.from('{"order":7,"card":"4111 1111 1111 1111"}'), {
    messageId: `m-${run}`,
    contentType: 'application/json',
  });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = startStandalone({
    PORT: String(port),
    HOSTNAME: '127.0.0.1',
    SIGNALBOX_DATA_DIR: dataDir,
    SIGNALBOX_OTLP_PORT: 'off',
    SIGNALBOX_AUTH: 'oidc',
    SIGNALBOX_OIDC_ISSUER: KEYCLOAK.issuer,
    SIGNALBOX_OIDC_CLIENT_ID: KEYCLOAK.clientId,
    SIGNALBOX_OIDC_CLIENT_SECRET: KEYCLOAK.clientSecret,
    SIGNALBOX_PUBLIC_URL: base,
    SIGNALBOX_OIDC_ROLE_MAP: TEST_ROLE_MAP,
    SIGNALBOX_DLQ_QUEUES: queueId,
    SIGNALBOX_RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
  });
  await expect
    .poll(async () => (await request.get(`${base}/api/ready`).catch(() => null))?.status() ?? 0, {
      timeout: 60_000,
      message: server.output(),
    })
    .toBe(200);
});

test.afterAll(async () => {
  const channel = await rabbit.createChannel();
  await channel.deleteQueue(dlq).catch(() => undefined);
  await rabbit.close();
  if (server.child.exitCode === null) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A fresh browser (no Keycloak session shared between people) signed in through the login form. */
async function signedIn(browser: Browser, person: Person, start: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${base}${start}`);
  await expect(page).toHaveURL(new RegExp(`^${KEYCLOAK.issuer}/protocol/openid-connect/auth`));
  await page.locator('#username').fill(person);
  await page.locator('#password').fill(`${person}-pass`);
  await page.locator('#kc-login').click();
  await expect(page).toHaveURL(`${base}${start}`);
  await expect(page.locator('.user-menu')).toContainText(PEOPLE[person]);
  return page;
}

test('a viewer signs in, sees the queue but no payload, and signs out', async ({ browser }, testInfo) => {
  const page = await signedIn(browser, 'vera', `/dlq?queue=${encodeURIComponent(queueId)}`);
  await expect(page.locator('.user-menu')).toContainText('viewer');
  await expect(page.getByText(/you need the reader role/)).toBeVisible();
  await expect(page.getByText('4111')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Dry run/ })).toHaveCount(0);
  await expect(page.getByText('Access control is off')).toHaveCount(0);
  await keepScreenshot(page, testInfo, 'viewer-dlq');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${base}/auth/signed-out`);
  await expect(page.getByRole('heading', { name: 'You are signed out' })).toBeVisible();
  // Signed out here and at Keycloak: the next page asks for the password again.
  await page.goto(`${base}/flows`);
  await expect(page.locator('#username')).toBeVisible();
});

test('an operator of payments.* sees the message masked and may replay it', async ({ browser }, testInfo) => {
  const page = await signedIn(browser, 'omar', `/dlq?queue=${encodeURIComponent(queueId)}`);
  await expect(page.locator('.user-menu')).toContainText('operator');
  await expect(page.getByRole('button', { name: /Dry run/ })).toBeVisible();
  await page
    .getByRole('link', { name: `m-${run}` })
    .first()
    .click();
  await expect(page.getByText('[masked:card]').first()).toBeVisible();
  await expect(page.getByText('4111 1111 1111 1111')).toHaveCount(0);
  await keepScreenshot(page, testInfo, 'operator-dlq');
});

test('an admin creates an API token, shown once, that works as a bearer', async ({
  browser,
  request,
}, testInfo) => {
  const page = await signedIn(browser, 'ada', '/settings/tokens');
  await page.getByLabel('Name').fill(`ci-${run}`);
  await page.getByLabel('Role').selectOption('viewer');
  await page.getByRole('button', { name: 'Create token' }).click();
  const secret = (await page.locator('code', { hasText: /^sbx_/ }).innerText()).trim();
  await expect(page.getByRole('cell', { name: `ci-${run}` })).toBeVisible();
  await keepScreenshot(page, testInfo, 'admin-tokens');
  expect(
    (await request.get(`${base}/api/lag`, { headers: { authorization: `Bearer ${secret}` } })).status(),
  ).toBe(200);
  expect((await request.get(`${base}/api/lag`)).status()).toBe(401);
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);
});
