#!/usr/bin/env node
// Screenshots a dashboard page in headless Chromium, to look at what we ship.
// Usage: node scripts/screenshot.mjs <url> <out.png> [--dark] [--width=1280] [--click=<selector>]
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from './chromium.mjs';

const [url, out, ...flags] = process.argv.slice(2);
if (!url || !out) {
  console.error(
    'usage: node scripts/screenshot.mjs <url> <out.png> [--dark] [--width=1280] [--click=<selector>]',
  );
  process.exit(2);
}
const flag = (name) => flags.find((f) => f.startsWith(`--${name}`))?.split('=')[1];
const width = Number(flag('width') ?? 1280);
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';

const browser = await chromium.launch({
  executablePath: executablePath === 'bundled' ? undefined : executablePath,
  args: CHROMIUM_ARGS,
});
const context = await browser.newContext({
  viewport: { width, height: 900 },
  colorScheme: flags.includes('--dark') ? 'dark' : 'light',
});
const page = await context.newPage();
await page.goto(url, { waitUntil: 'networkidle' });
const click = flag('click');
if (click) {
  await page.locator(click).first().click();
  await page.waitForLoadState('networkidle');
}
await page.screenshot({ path: out, fullPage: true });
await browser.close();
console.log(`saved ${out}`);
