import { expect, test } from '@playwright/test';
import { expectAccessible, keepScreenshot } from './support';

// Against the built dashboard fed by the demo: the notifier's injected card-issuer
// timeouts (IssuerTimeoutError, ~3% of payments) are listed as timeouts, and each
// opens that message's journey.

test('Anomalies lists the demo notifier’s timeouts, each opening the message’s journey', async ({
  page,
}, testInfo) => {
  await page.goto('/anomalies?from=15m');
  const timeouts = page.getByRole('region', { name: 'Timeouts' });
  const notifierRow = timeouts.getByRole('row').filter({ hasText: 'IssuerTimeoutError' }).first();
  await expect
    .poll(
      async () => {
        await page.reload();
        return notifierRow.count();
      },
      { timeout: 90_000, intervals: [2000, 3000] },
    )
    .toBeGreaterThan(0);
  await expect(notifierRow.getByRole('cell', { name: /notifier/ })).toBeVisible();
  await expect(notifierRow.getByRole('cell', { name: /payments/ })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Retries and redeliveries' })).toBeVisible();
  await keepScreenshot(page, testInfo, 'anomalies');
  await expectAccessible(page);

  await notifierRow.getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: 'Journey', level: 1 })).toBeVisible();
  await expect(
    page
      .getByRole('region', { name: 'Timeline' })
      .getByText(/failed/)
      .first(),
  ).toBeVisible();
});
