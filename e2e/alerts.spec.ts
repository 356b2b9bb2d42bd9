import { expect, test } from '@playwright/test';
import { expectAccessible, keepScreenshot } from './support';

const TOKEN = process.env.E2E_OPERATOR_TOKEN ?? 'e2e-operator-token-0123456789';

// The demo runs with examples/alert-rules.yaml (scripts/start.mjs): its rejected payments fill
// payments.dlq, so the dead-letter rule fires 30 s after the first one, on the next 15 s round.
test('the Alerts page lists the rules and shows the demo’s dead letters firing, counted in the nav', async ({
  page,
}, testInfo) => {
  test.setTimeout(150_000);
  await page.goto('/alerts');
  await expect(page.getByRole('heading', { name: 'Alerts', level: 1 })).toBeVisible();
  const rules = page.getByRole('region', { name: 'Rules' });
  for (const id of ['consumer-stuck', 'billing-behind', 'payments-dlq'])
    await expect(rules.getByText(id, { exact: true })).toBeVisible();

  const firing = page
    .getByRole('region', { name: 'Firing and pending' })
    .getByRole('row')
    .filter({ hasText: 'Payments are being dead-lettered' });
  await expect
    .poll(
      async () => {
        await page.reload();
        return (await firing.count()) > 0 ? await firing.first().innerText() : '';
      },
      { timeout: 120_000, intervals: [5000] },
    )
    .toMatch(/firing · warning/);
  await expect(firing.getByRole('link', { name: 'rabbitmq:payments.dlq' })).toHaveAttribute(
    'href',
    '/dlq?queue=rabbitmq%3Apayments.dlq',
  );
  await expect(page.getByRole('link', { name: /^Alerts/ }).locator('.nav-count')).toHaveText(/^[1-9]\d*$/);

  // Without sign-in the page asks for the operator token (and a name for the audit log) on first use.
  const answers = [TOKEN, 'Erin E2E', 'payments team is on it', TOKEN, 'Erin E2E'];
  page.on('dialog', (dialog) => void dialog.accept(dialog.type() === 'prompt' ? answers.shift() : undefined));
  await firing.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(firing).toContainText(/Erin E2E \(token [0-9a-f]{8}\) is on it/);
  await firing.getByRole('button', { name: 'Silence 1 h' }).click();
  const silences = page.getByRole('region', { name: 'Silences' });
  await expect(silences.getByRole('row').filter({ hasText: 'payments team is on it' })).toContainText(
    'rabbitmq:payments.dlq',
  );
  await expect(firing).toContainText(/silenced until \d\d:\d\d UTC/);
  await expectAccessible(page);
  await keepScreenshot(page, testInfo, 'alerts-light');
  // The theme follows the system's preference when the page loads.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await keepScreenshot(page, testInfo, 'alerts-dark');

  await silences.getByRole('button', { name: 'End now' }).click();
  await expect(silences).toHaveCount(0);

  // An operator adds a rule on the page; the file's validation speaks for a bad one.
  const form = page.getByRole('region', { name: 'New rule' });
  await form.getByLabel('Id').fill('e2e-orders-behind');
  await form.getByLabel('Name').fill('Orders far behind');
  await form.getByLabel('Threshold').fill('100000');
  await form.getByRole('button', { name: 'Add rule' }).click();
  const added = rules.getByRole('row').filter({ hasText: 'e2e-orders-behind' });
  await expect(added).toContainText('added by Erin E2E');
  await form.getByLabel('Id').fill('e2e-orders-behind');
  await form.getByLabel('Name').fill('Again');
  await form.getByLabel('Threshold').fill('1');
  await form.getByRole('button', { name: 'Add rule' }).click();
  await expect(form.getByRole('alert')).toContainText('a rule e2e-orders-behind was already added');
  await added.getByRole('button', { name: 'Remove' }).click();
  await expect(added).toHaveCount(0);
});
