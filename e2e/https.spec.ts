import { type ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { expect, test } from '@playwright/test';
import { freePort } from '../lib/testing/free-port';
import { startStandalone } from './standalone-server';

// Direct HTTPS (scripts/serve.mjs) from a certificate and key made here with openssl, as an operator
// would give them: pages served over TLS in Chromium, a renewed certificate taken without a restart,
// and a key that does not match refused at start with the reason.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-https-'));
const children: ChildProcess[] = [];

test.afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});
test.use({ ignoreHTTPSErrors: true });

/** A self-signed certificate for 127.0.0.1 whose subject is `name`: `{ cert, key }` file paths. */
function certificate(name: string) {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' }); // prettier-ignore
  return { cert, key };
}

/** The subject the server's certificate names on a new TLS connection. */
function servedSubject(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(String(socket.getPeerCertificate().subject.CN));
      socket.end();
    });
    socket.on('error', reject);
  });
}

function start(port: number, files: { cert: string; key: string }) {
  const started = startStandalone({
    HOSTNAME: '127.0.0.1',
    PORT: String(port),
    SIGNALBOX_DATA_DIR: fs.mkdtempSync(path.join(dir, 'data-')),
    SIGNALBOX_OTLP_PORT: 'off',
    SIGNALBOX_TLS_CERT_FILE: files.cert,
    SIGNALBOX_TLS_KEY_FILE: files.key,
  });
  children.push(started.child);
  return started;
}

test('serves the pages over HTTPS, then a renewed certificate without a restart', async ({ page }) => {
  test.setTimeout(120_000);
  const first = certificate('signalbox-first');
  const live = { cert: path.join(dir, 'live.crt'), key: path.join(dir, 'live.key') };
  fs.copyFileSync(first.cert, live.cert);
  fs.copyFileSync(first.key, live.key);
  const port = await freePort();
  const { output } = start(port, live);
  const base = `https://127.0.0.1:${port}`;
  await expect
    .poll(async () => (await page.request.get(`${base}/api/ready`).catch(() => null))?.status() ?? 0, {
      timeout: 60_000,
      message: output(),
    })
    .toBe(200);
  expect(output()).toContain(`serving HTTPS on 127.0.0.1:${port}`);

  const response = await page.goto(`${base}/flows`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['strict-transport-security']).toBe('max-age=31536000');
  expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await expect(page.getByRole('heading', { name: 'Flows' })).toBeVisible();
  expect(await servedSubject(port)).toBe('signalbox-first');
  // The image's HEALTHCHECK command asks over HTTPS when a certificate is set.
  const probe = spawnSync(process.execPath, ['scripts/healthcheck.mjs'], {
    env: { ...process.env, PORT: String(port), SIGNALBOX_TLS_CERT_FILE: live.cert },
  });
  expect(probe.status).toBe(0);
  // Plain HTTP on the same port is not served.
  await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();

  // A renewal writes new files in place; new connections get the new certificate within 30 s.
  const renewed = certificate('signalbox-renewed');
  fs.copyFileSync(renewed.key, live.key);
  fs.copyFileSync(renewed.cert, live.cert);
  await expect
    .poll(() => servedSubject(port), { timeout: 45_000, intervals: [1000] })
    .toBe('signalbox-renewed');
  expect(output()).toContain('the TLS certificate changed on disk');
  expect((await page.request.get(`${base}/api/health`)).status()).toBe(200);
});

test('refuses to start with a key that does not match the certificate, saying so', async () => {
  const one = certificate('signalbox-one');
  const other = certificate('signalbox-other');
  const { exited, output } = start(await freePort(), { cert: one.cert, key: other.key });
  expect(await exited).toBe(1);
  expect(output()).toMatch(/signalbox: cannot serve HTTPS: .*key values mismatch/);

  const missing = start(await freePort(), { cert: one.cert, key: path.join(dir, 'no-such.key') });
  expect(await missing.exited).toBe(1);
  expect(missing.output()).toContain('SIGNALBOX_TLS_KEY_FILE=');
  expect(missing.output()).toContain('cannot read it (ENOENT)');
});
