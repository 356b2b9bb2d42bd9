import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { expectAccessible, keepScreenshot } from './support';

// The demo (started by playwright.config.ts's webServer) runs a deliberately slow Kafka consumer,
// `auditor` in group `audit`. The Lag page must show it falling behind. The lag settings are
// environment variables of the dashboard process, so this spec starts a second instance of the
// same build with them: Kafka and RabbitMQ where the demo runs, plus a NATS address where nothing
// listens, to show how a broker that is down looks.

let dashboard: ChildProcess | undefined;
let base = '';
let deadNats = '';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

test.beforeAll(async () => {
  const port = await freePort();
  deadNats = `nats://127.0.0.1:${await freePort()}`;
  base = `http://localhost:${port}`;
  dashboard = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-p', String(port)], {
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      SIGNALBOX_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-e2e-lag-')),
      SIGNALBOX_KAFKA_BROKERS: '127.0.0.1:9092',
      SIGNALBOX_RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
      SIGNALBOX_RABBITMQ_QUEUES: 'payments',
      SIGNALBOX_NATS_URL: deadNats,
      SIGNALBOX_LAG_INCLUDE: 'kafka:orders,rabbitmq:payments',
      SIGNALBOX_LAG_POLL_INTERVAL_MS: '2000',
    },
    stdio: 'ignore',
  });
  await expect
    .poll(
      () =>
        fetch(`${base}/api/lag`).then(
          (r) => r.status,
          () => 0,
        ),
      { timeout: 60_000 },
    )
    .toBe(200);
});

test.afterAll(() => {
  dashboard?.kill('SIGTERM');
});

/** The figures of a group's row: [lag in messages, trend text]. */
async function groupRow(
  page: Page,
  group: string,
  destination: string,
): Promise<{ lag: number; trend: string }> {
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: group, exact: true }) })
    .filter({ hasText: destination })
    .first();
  if ((await row.count()) === 0) return { lag: -1, trend: '' };
  const cells = await row.locator('td').allInnerTexts();
  return { lag: Number(cells[3]?.replace(/,/g, '') ?? -1), trend: cells[5] ?? '' };
}

test('the demo’s slow consumer shows up falling behind, and opens into its partitions', async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  await page.goto(`${base}/lag?from=5m`);
  await expect(page.getByRole('heading', { name: 'Lag', level: 1 })).toBeVisible();

  // Falling behind: messages wait, and the lag grows (↑) poll after poll.
  await expect
    .poll(
      async () => {
        await page.reload();
        const audit = await groupRow(page, 'audit', 'orders');
        return audit.lag > 10 && audit.trend.startsWith('↑');
      },
      { timeout: 120_000, intervals: [2000] },
    )
    .toBe(true);
  const before = await groupRow(page, 'audit', 'orders');
  await expect
    .poll(
      async () => {
        await page.reload();
        return (await groupRow(page, 'audit', 'orders')).lag;
      },
      { timeout: 30_000, intervals: [2000] },
    )
    .toBeGreaterThan(before.lag);
  // billing keeps up with the same topic.
  expect((await groupRow(page, 'billing', 'orders')).lag).toBeGreaterThanOrEqual(0);

  // Brokers: Kafka read, the NATS address that is down shown with its error.
  const brokers = page.getByRole('region', { name: 'Brokers' });
  await expect(brokers.getByRole('listitem').filter({ hasText: '127.0.0.1:9092' })).toContainText(
    'reachable',
  );
  await expect(brokers.getByRole('listitem').filter({ hasText: deadNats })).toContainText(
    /unreachable: .*(ECONNREFUSED|refused)/i,
  );
  await keepScreenshot(page, testInfo, 'lag');
  await expectAccessible(page);

  // The group opens into its detail, kept in the URL: figures, partitions, the lazily loaded chart.
  await page.getByRole('link', { name: 'audit', exact: true }).click();
  await expect(page).toHaveURL(/system=kafka&destination=orders&group=audit/);
  const detail = page.getByRole('region', { name: /audit on orders/ });
  await expect(detail).toBeVisible();
  await expect(detail.getByText('Time to drain', { exact: true })).toBeVisible();
  // One row per partition the group has committed on (the demo creates orders with 3; a broker
  // shared with other runs may hold it with fewer), each with its status.
  const partitionRows = detail.getByRole('table', { name: 'Partitions' }).getByRole('row');
  await expect(partitionRows.nth(1)).toBeVisible();
  const rows = await partitionRows.count();
  await expect(detail.getByRole('table', { name: 'Partitions' }).locator('td span[data-status]')).toHaveCount(
    rows - 1,
  );
  await expect(detail.locator('.recharts-surface').first()).toBeVisible({ timeout: 20_000 });
  await keepScreenshot(page, testInfo, 'lag-group');
  await expectAccessible(page);

  await detail.getByRole('link', { name: 'Close' }).click();
  await expect(page).not.toHaveURL(/group=/);
  await expect(page).toHaveURL(/from=5m/);

  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await keepScreenshot(page, testInfo, 'lag-dark');
  await expectAccessible(page);
});

test('a bad group in the address says what is wrong', async ({ page }) => {
  await page.goto(`${base}/lag?system=mqtt&destination=a&group=b`);
  await expect(page.getByRole('alert', { name: /bad group/ })).toContainText('system must be one of kafka');
});
