import { expect, test } from '@playwright/test';
import { expectAccessible, keepScreenshot } from './support';

test('Overview ranks edges and links into their detail', async ({ page }, testInfo) => {
  await page.goto('/?from=15m');
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  const busiest = page.getByRole('region', { name: 'Busiest edges' });
  await expect
    .poll(
      async () => {
        await page.reload();
        return busiest.getByRole('link').count();
      },
      { timeout: 60_000 },
    )
    .toBeGreaterThanOrEqual(4);
  await keepScreenshot(page, testInfo, 'overview');
  await expectAccessible(page);

  await busiest.getByRole('link', { name: 'checkout → orders' }).click();
  await expect(page).toHaveURL(/\/flows\?from=15m&edge=/);
  // The detail is rendered on the server after the navigation; on a busy 2-core machine
  // (the demo's seven services run beside it) that took longer than the default 5 s once.
  await expect(page.getByRole('region', { name: /checkout → orders/ })).toBeVisible({ timeout: 15_000 });
});
