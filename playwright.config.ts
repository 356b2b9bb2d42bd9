import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/chromium.mjs';

// Debian's Chromium by default (Playwright cannot download its own browsers
// here); set PLAYWRIGHT_CHROMIUM_PATH to use another, or to "bundled" for
// Playwright's own (after `npx playwright install chromium`).
const chromiumPath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';
const executablePath = chromiumPath === 'bundled' ? undefined : chromiumPath;
if (executablePath && !fs.existsSync(executablePath)) {
  throw new Error(
    `Chromium not found at ${executablePath}: apt-get install chromium, or set PLAYWRIGHT_CHROMIUM_PATH`,
  );
}

const port = Number(process.env.E2E_PORT ?? 3100);
// The dashboard listens on 127.0.0.1 only (no sign-in yet): not `localhost`, which may resolve to ::1 first.
const origin = `http://127.0.0.1:${port}`;
// A fresh store per run: e2e asserts on what the demo sends, nothing older.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-e2e-'));
// The DLQ tests replay messages, which needs the operator token.
const operatorToken = process.env.E2E_OPERATOR_TOKEN ?? 'e2e-operator-token-0123456789';

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  // One retry in CI: a DLQ replay job was once seen to stay "queued" for 60 s
  // in a full run and never alone (under investigation, see the closing note
  // of issue #7); a real regression still fails both attempts.
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  use: {
    baseURL: origin,
    screenshot: 'on',
    trace: 'retain-on-failure',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    // The built app plus the demo pipeline, exactly what `npm start` runs.
    command: 'node scripts/start.mjs --no-build',
    url: `${origin}/api/health`,
    env: { PORT: String(port), SIGNALBOX_DATA_DIR: dataDir, SIGNALBOX_OPERATOR_TOKEN: operatorToken },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
  },
});
