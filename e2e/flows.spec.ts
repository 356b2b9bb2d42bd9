import { expect, test } from '@playwright/test';
import { expectAccessible, keepScreenshot, waitForEdge } from './support';

// Runs against the built dashboard fed by the real demo pipeline
// (checkout → Kafka orders → billing → RabbitMQ payments → notifier, and
// billing → topic exchange billing-events → mailer and ledger).

test('Flows shows both demo pipelines, and an edge opens its detail', async ({ page }, testInfo) => {
  await page.goto('/flows?from=5m');
  await expect(page.getByRole('heading', { name: 'Flows', level: 1 })).toBeVisible();

  // checkout → orders → billing and billing → payments → notifier, every edge with messages.
  await waitForEdge(page, 'checkout', 'orders');
  await waitForEdge(page, 'orders', 'billing');
  await waitForEdge(page, 'billing', 'payments');
  await waitForEdge(page, 'payments', 'notifier');

  const graph = page.getByTestId('flow-graph');
  for (const name of ['checkout', 'orders', 'billing', 'payments', 'notifier']) {
    await expect(graph.locator('.graph-node-name', { hasText: new RegExp(`^${name}$`) })).toBeVisible();
  }
  await keepScreenshot(page, testInfo, 'flows');
  await expectAccessible(page);

  // Clicking the graph edge checkout → orders opens its detail, kept in the URL.
  await graph
    .locator(
      '.react-flow__edge[data-id="service:checkout->destination:kafka:orders"] .react-flow__edge-textbg',
    )
    .click();
  await expect(page).toHaveURL(/edge=service%3Acheckout-%3Edestination%3Akafka%3Aorders/);
  const detail = page.getByRole('region', { name: /checkout → orders/ });
  await expect(detail).toBeVisible();
  await expect(detail.getByText('Messages', { exact: true })).toBeVisible();
  await keepScreenshot(page, testInfo, 'flows-edge');

  // The time range rewrites the URL, keeps the open edge, and the back button returns.
  await page.getByRole('navigation', { name: 'Time range' }).getByRole('link', { name: '1h' }).click();
  await expect(page).toHaveURL(/from=1h/);
  await expect(page).toHaveURL(/edge=/);
  await expect(page.getByRole('link', { name: '1h' })).toHaveAttribute('aria-current', 'true');
  await page.goBack();
  await expect(page).toHaveURL(/from=5m/);
});

test('the demo’s topic exchange fans out to two queues, each to its consumer', async ({ page }, testInfo) => {
  await page.goto('/flows?from=5m');
  // billing → exchange billing-events (key receipt.issued) → queues receipts.mail and receipts.ledger.
  await waitForEdge(page, 'billing', 'billing-events');
  await waitForEdge(page, 'receipts.mail', 'mailer');
  await waitForEdge(page, 'receipts.ledger', 'ledger');
  const exchange = 'destination:rabbitmq:billing-events:receipt.issued';
  const graph = page.getByTestId('flow-graph');
  for (const queue of ['receipts.mail', 'receipts.ledger']) {
    await expect(
      graph.locator(`.react-flow__edge[data-id="${exchange}->${exchange}:${queue}"]`),
    ).toBeVisible();
  }
  // The demo reads RabbitMQ's management API, so the exchange says its type and the
  // page says where the routes came from.
  await expect(graph.locator('.graph-node', { hasText: 'topic exchange' })).toContainText('billing-events');
  await expect(page.getByText(/RabbitMQ routes follow the management API’s bindings/)).toBeVisible();
  await expect(graph.locator('.graph-node', { hasText: 'rabbitmq queue' })).toHaveCount(3);
  await keepScreenshot(page, testInfo, 'flows-exchange');
});

test('dark theme renders and is remembered', async ({ page }, testInfo) => {
  await page.goto('/flows?from=15m');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('heading', { name: 'Flows', level: 1 })).toBeVisible();
  await expect(page.getByTestId('flow-graph')).toBeVisible();
  await keepScreenshot(page, testInfo, 'flows-dark');
  await expectAccessible(page);
});

test('a range with no data explains how to send telemetry', async ({ page }) => {
  const from = new Date(Date.now() - 48 * 3600_000).toISOString();
  const to = new Date(Date.now() - 47 * 3600_000).toISOString();
  await page.goto(`/flows?from=${from}&to=${to}`);
  await expect(page.getByRole('heading', { name: /No messages/ })).toBeVisible();
  // The address this browser reached, on the standard OTLP port the dashboard listens on.
  await expect(page.getByText('OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Time range' }).getByText('custom')).toBeVisible();
});

test('a bad time range says what is wrong', async ({ page }) => {
  await page.goto('/flows?from=yesterday');
  await expect(page.getByRole('alert').filter({ hasText: 'Flows' })).toContainText(
    'from="yesterday" is not a time',
  );
});
