import { expect, test } from '@playwright/test';

// Runs against the built dashboard fed by the real demo pipeline
// (checkout → Kafka orders → billing → RabbitMQ payments → notifier).

const lane = (page: import('@playwright/test').Page, name: string) =>
  page.getByRole('listitem', { name, exact: true });

/** The "N msg" figures on a lane's producer and consumer chips. */
async function messageCounts(page: import('@playwright/test').Page, name: string): Promise<number[]> {
  const texts = await lane(page, name).locator('.chip-meta').allInnerTexts();
  return texts.map((text) => Number(/^([\d,]+) msg/.exec(text)?.[1]?.replace(/,/g, '') ?? 'NaN'));
}

test('Flows shows both demo pipelines with messages, and the time range lives in the URL', async ({
  page,
}, testInfo) => {
  await page.goto('/flows?from=5m');
  await expect(page.getByRole('heading', { name: 'Flows', level: 1 })).toBeVisible();

  // The demo exports spans every second; the page refreshes itself every 5 s.
  await expect(lane(page, 'checkout → orders → billing')).toBeVisible({ timeout: 60_000 });
  await expect(lane(page, 'billing → payments → notifier')).toBeVisible({ timeout: 30_000 });

  for (const name of ['checkout → orders → billing', 'billing → payments → notifier']) {
    const counts = await messageCounts(page, name);
    expect(counts, name).toHaveLength(2);
    for (const count of counts) expect(count, name).toBeGreaterThan(0);
  }
  await expect(page.getByRole('row', { name: /checkout\s+orders\s+publish/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /payments\s+notifier\s+send → process/ })).toBeVisible();

  await page.screenshot({ path: testInfo.outputPath('flows.png'), fullPage: true });
  await testInfo.attach('flows', { path: testInfo.outputPath('flows.png'), contentType: 'image/png' });

  // Changing the range rewrites the URL, marks the choice, and the back button returns.
  await page.getByRole('link', { name: 'Last 1h' }).click();
  await expect(page).toHaveURL(/\/flows\?from=1h$/);
  await expect(page.getByRole('link', { name: 'Last 1h' })).toHaveAttribute('aria-current', 'true');
  await expect(lane(page, 'checkout → orders → billing')).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/flows\?from=5m$/);
});

test('a range with no data explains how to send telemetry', async ({ page }) => {
  const from = new Date(Date.now() - 48 * 3600_000).toISOString();
  const to = new Date(Date.now() - 47 * 3600_000).toISOString();
  await page.goto(`/flows?from=${from}&to=${to}`);
  await expect(page.getByRole('heading', { name: /No messages/ })).toBeVisible();
  await expect(page.getByText('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT')).toBeVisible();
});

test('a bad time range says what is wrong', async ({ page }) => {
  await page.goto('/flows?from=yesterday');
  await expect(page.getByRole('alert').filter({ hasText: 'Flows' })).toContainText(
    'from="yesterday" is not a time',
  );
});
