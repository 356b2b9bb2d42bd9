import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../lib/testing/free-port';

// The standalone server straight from the build output (.next/standalone,
// which `npm test` builds before e2e), with the environment the Docker image
// sets: listening on every address, so it must refuse to start until access
// control is settled; then ready, healthy, and clean on SIGTERM.
const server = path.resolve('.next/standalone/server.js');
const children: ChildProcess[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-standalone-'));

test.afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** server.js as the Dockerfile runs it; what it prints is collected in `output()`. */
function startServer(port: number, otlpPort: number, extra: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('SIGNALBOX_') || key === 'PORT') delete env[key];
  Object.assign(env, {
    NODE_ENV: 'production',
    HOSTNAME: '0.0.0.0',
    PORT: String(port),
    NEXT_MANUAL_SIG_HANDLE: 'true',
    NEXT_TELEMETRY_DISABLED: '1',
    SIGNALBOX_DATA_DIR: dataDir,
    SIGNALBOX_OTLP_HOST: '0.0.0.0',
    SIGNALBOX_OTLP_PORT: String(otlpPort),
    ...extra,
  });
  const child = spawn(process.execPath, [server], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let printed = '';
  child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => printed };
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

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output()).toContain('signalbox: stopped');
  expect(fs.existsSync(path.join(dataDir, 'signalbox.duckdb'))).toBe(true);
});
