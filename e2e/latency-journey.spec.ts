import { expect, test } from '@playwright/test';
import { expectAccessible, keepScreenshot } from './support';

// Against the built dashboard fed by the demo: end-to-end latency from the
// pathway metrics, and one message's journey opened from a Flows edge.

const FULL_PATHWAY = 'checkout → orders → billing → payments → notifier';

test('Latency shows the demo pathway end to end from metrics, over time and against an earlier window', async ({
  page,
}, testInfo) => {
  await page.goto('/latency?from=15m');
  const pathway = page.getByRole('link', { name: FULL_PATHWAY });
  const row = page.getByRole('row').filter({ has: pathway });
  // Spans arrive every second and can show the pathway first; its metrics come every 5 s, and then
  // they are the source the page must name.
  await expect
    .poll(
      async () => {
        await page.reload();
        return row.getByText('metrics', { exact: true }).count();
      },
      { timeout: 60_000, intervals: [2000, 3000] },
    )
    .toBeGreaterThan(0);
  await expectAccessible(page);

  await pathway.click();
  await expect(page).toHaveURL(/pathway=/);
  await expect(page.getByRole('figure', { name: /End-to-end latency/ })).toBeVisible();
  await keepScreenshot(page, testInfo, 'latency');

  await page.getByRole('link', { name: 'vs 1h earlier' }).click();
  await expect(page).toHaveURL(/compareTo=1h/);
  await expect(page.getByRole('columnheader', { name: 'p99 vs before' }).first()).toBeVisible();
});

test('a journey opens from an edge, hop by hop, and search finds it by trace id', async ({
  page,
}, testInfo) => {
  const edge = 'destination:rabbitmq:payments->service:notifier';
  await page.goto(`/flows?from=15m&edge=${encodeURIComponent(edge)}`);
  const open = page.getByRole('link', { name: 'Open journey' }).first();
  await expect
    .poll(
      async () => {
        await page.reload();
        return open.count();
      },
      { timeout: 60_000, intervals: [2000, 3000] },
    )
    .toBeGreaterThan(0);
  await open.click();

  await expect(page.getByRole('heading', { name: 'Journey', level: 1 })).toBeVisible();
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByText('payments', { exact: false }).first()).toBeVisible();
  await expect(timeline.getByText(/processed|failed|dead-lettered/).first()).toBeVisible();
  await keepScreenshot(page, testInfo, 'journey');
  await expectAccessible(page);

  const traceId = /\/messages\/([0-9a-f]{32})/.exec(page.url())?.[1];
  expect(traceId).toBeTruthy();
  await page.goto('/search');
  await page.getByLabel('Trace, message or conversation id').fill(traceId!);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(new RegExp(`/messages/${traceId}`));
  await expect(page.getByRole('region', { name: 'Timeline' })).toBeVisible();
});

test('search says when nothing matches', async ({ page }) => {
  await page.goto('/search?q=no-such-message-id');
  await expect(page.getByRole('heading', { name: /Nothing matches/ })).toBeVisible();
});
