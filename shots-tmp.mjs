import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { CHROMIUM_ARGS } from './scripts/chromium.mjs';
const port = 3377, base = `http://127.0.0.1:${port}`;
fs.copyFileSync('scripts/serve.mjs', '.next/standalone/serve.mjs');
const env = { ...process.env, PORT: String(port), HOSTNAME: '127.0.0.1', SIGNALBOX_DATA_DIR: fs.mkdtempSync('/tmp/shotdata-'),
  SIGNALBOX_OTLP_PORT: 'off', SIGNALBOX_AUTH: 'oidc', SIGNALBOX_OIDC_ISSUER: 'http://127.0.0.1:8180/realms/signalbox',
  SIGNALBOX_OIDC_CLIENT_ID: 'signalbox-dashboard', SIGNALBOX_OIDC_CLIENT_SECRET: 'signalbox-test-secret', SIGNALBOX_PUBLIC_URL: base,
  SIGNALBOX_OIDC_ROLE_MAP: JSON.stringify({"signalbox-viewers":"viewer","signalbox-readers":"reader","signalbox-admins":"admin","payments-operators":{"role":"operator","destinations":["payments.*"]}}),
  NEXT_MANUAL_SIG_HANDLE: 'true' };
const child = spawn(process.execPath, ['.next/standalone/serve.mjs'], { env, stdio: 'inherit' });
for (let i = 0; i < 100; i++) { try { if ((await fetch(base + '/api/ready')).ok) break; } catch {} await new Promise(r => setTimeout(r, 300)); }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
async function as(person, start, scheme) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: scheme });
  const page = await ctx.newPage();
  await page.goto(base + start);
  await page.locator('#username').fill(person); await page.locator('#password').fill(`${person}-pass`);
  await page.locator('#kc-login').click(); await page.waitForURL(base + start); await page.waitForLoadState('networkidle');
  return page;
}
for (const scheme of ['light', 'dark']) {
  const ada = await as('ada', '/settings/tokens', scheme);
  await ada.screenshot({ path: `/tmp/shots/tokens-empty-${scheme}.png` });
  await ada.locator('.user-menu').first().click().catch(() => {}); await ada.waitForTimeout(300);
  await ada.screenshot({ path: `/tmp/shots/usermenu-${scheme}.png` });
  const vera = await as('vera', '/settings/tokens', scheme);
  await vera.screenshot({ path: `/tmp/shots/forbidden-${scheme}.png` });
  await vera.goto(base + '/dlq'); await vera.waitForLoadState('networkidle');
  await vera.screenshot({ path: `/tmp/shots/dlq-viewer-${scheme}.png` });
  await vera.goto(base + '/auth/signed-out'); await vera.waitForLoadState('networkidle');
  await vera.screenshot({ path: `/tmp/shots/signed-out-${scheme}.png` });
}
await browser.close(); child.kill('SIGTERM');
