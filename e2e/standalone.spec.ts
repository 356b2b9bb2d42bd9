import { type ChildProcess, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../lib/testing/free-port';
import { startStandalone } from './standalone-server';

// The standalone server with the environment the Docker image sets: listening
// on every address, so it must refuse to start until access control is
// settled; then ready, healthy, and clean on SIGTERM.
const children: ChildProcess[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-standalone-'));

test.afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** server.js as the Dockerfile runs it. */
function startServer(port: number, otlpPort: number, extra: Record<string, string> = {}) {
  const started = startStandalone({
    HOSTNAME: '0.0.0.0',
    PORT: String(port),
    SIGNALBOX_DATA_DIR: dataDir,
    SIGNALBOX_OTLP_HOST: '0.0.0.0',
    SIGNALBOX_OTLP_PORT: String(otlpPort),
    ...extra,
  });
  children.push(started.child);
  return started;
}

test('refuses to listen on every address without SIGNALBOX_AUTH=none', async () => {
  const { exited, output } = startServer(await freePort(), await freePort());
  expect(await exited).toBe(1);
  expect(output()).toMatch(/Refusing to listen.*anyone who can reach.*set SIGNALBOX_AUTH=none/s);
});

test('with SIGNALBOX_AUTH=none: ready, healthy, secure headers, clean exit on SIGTERM', async ({
  request,
}) => {
  const port = await freePort();
  const { child, exited, output } = startServer(port, await freePort(), { SIGNALBOX_AUTH: 'none' });
  const base = `http://127.0.0.1:${port}`;
  await expect
    .poll(async () => (await request.get(`${base}/api/ready`).catch(() => null))?.status() ?? 0, {
      timeout: 60_000,
      message: output(),
    })
    .toBe(200);
  const health = await request.get(`${base}/api/health`);
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', store: { engine: 'duckdb' } });
  expect(health.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(health.headers()['x-content-type-options']).toBe('nosniff');
  // The image's HEALTHCHECK command agrees.
  const probe = () =>
    spawnSync(process.execPath, ['scripts/healthcheck.mjs'], {
      env: { ...process.env, PORT: String(port), SIGNALBOX_TLS_CERT_FILE: '' },
    }).status;
  expect(probe()).toBe(0);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(probe()).toBe(1);
  expect(output()).toContain('signalbox: stopped');
  expect(fs.existsSync(path.join(dataDir, 'signalbox.duckdb'))).toBe(true);
});
