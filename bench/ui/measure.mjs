#!/usr/bin/env node
/* global PerformanceObserver -- runs inside the page, via page.evaluate */
// Measures what a person waits for on each dashboard page, in headless Chromium:
// first-load JavaScript (gzip bytes of every script the page loads, compressed
// here with gzip level 6 — what a typical reverse proxy sends) and largest
// contentful paint (median of N cold loads, each in a fresh browser context).
//
// Usage: start the dashboard (npm start), then
//   node bench/ui/measure.mjs [baseUrl=http://localhost:3000] [runs=5]
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../scripts/chromium.mjs';

const base = process.argv[2] ?? 'http://localhost:3000';
const runs = Number(process.argv[3] ?? 5);
const PAGES = ['/', '/flows', '/latency', '/lag', '/dlq', '/search'];

const browser = await chromium.launch({
  executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: CHROMIUM_ARGS,
});

async function load(path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const scripts = new Map();
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    try {
      scripts.set(response.url(), zlib.gzipSync(await response.body(), { level: 6 }).length);
    } catch {
      // a script the page abandoned while loading
    }
  });
  await page.goto(`${base}${path}?from=15m`, { waitUntil: 'networkidle' });
  const lcpMs = await page.evaluate(
    () =>
      new Promise((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve(entries[entries.length - 1].startTime);
        }).observe({ type: 'largest-contentful-paint', buffered: true });
      }),
  );
  await context.close();
  return { lcpMs, jsGzipBytes: [...scripts.values()].reduce((a, b) => a + b, 0), scripts: scripts.size };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`| page | first-load JS (gzip) | scripts | LCP median of ${runs} (ms) | LCP min–max (ms) |`);
console.log('| --- | --- | --- | --- | --- |');
for (const path of PAGES) {
  await load(path); // warm the server (first render compiles nothing, but fills caches)
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await load(path));
  const lcps = results.map((r) => r.lcpMs);
  const js = results[0].jsGzipBytes;
  console.log(
    `| ${path} | ${(js / 1024).toFixed(1)} KB | ${results[0].scripts} | ${median(lcps).toFixed(0)} | ${Math.min(...lcps).toFixed(0)}–${Math.max(...lcps).toFixed(0)} |`,
  );
}
await browser.close();
