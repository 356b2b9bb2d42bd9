import { expect, test } from '@playwright/test';
import { expectAccessible, keepScreenshot } from './support';

// Runs against the built dashboard fed by the real demo pipeline, whose notifier dead-letters ~3%
// of payments to payments.dlq (IssuerTimeoutError) and whose billing dead-letters ~2% of orders to
// orders.DLT. Replays succeed: the demo treats a replayed message as fixed. The dashboard must run
// with SIGNALBOX_OPERATOR_TOKEN set to the same token as E2E_OPERATOR_TOKEN (playwright.config.ts).
const TOKEN = process.env.E2E_OPERATOR_TOKEN ?? 'e2e-operator-token-0123456789';
const QUEUE = 'rabbitmq:payments.dlq';

test('DLQ page: injected failures grouped, dry run, replay, and the replays succeed', async ({
  page,
  request,
}, testInfo) => {
  // The token prompt, then the name prompt for the audit log.
  const answers = [TOKEN, 'e2e'];
  page.on('dialog', (dialog) => void dialog.accept(dialog.type() === 'prompt' ? answers.shift() : undefined));

  await expect
    .poll(
      async () => {
        const response = await request.get(`/api/dlq/${encodeURIComponent(QUEUE)}/messages`);
        return response.ok() ? ((await response.json()) as { messages: unknown[] }).messages.length : 0;
      },
      { timeout: 75_000, intervals: [2000] },
    )
    .toBeGreaterThan(0);

  // A dead letter whose journey this dashboard recorded (the DLQ may also hold older ones, from
  // before this store existed), followed again after the replay.
  let followed: string | undefined;
  await expect
    .poll(
      async () => {
        const listed = (await (
          await request.get(`/api/dlq/${encodeURIComponent(QUEUE)}/messages`)
        ).json()) as {
          messages: { failure: { traceId: string | null } }[];
        };
        for (const m of listed.messages.slice(-20).reverse()) {
          const traceId = m.failure.traceId;
          if (traceId && (await request.get(`/api/journeys?traceId=${traceId}`)).ok()) followed = traceId;
          if (followed) break;
        }
        return followed;
      },
      { timeout: 75_000, intervals: [2000] },
    )
    .toBeTruthy();

  await page.goto('/dlq');
  await expect(page.getByRole('heading', { name: 'Dead letters', level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'payments.dlq' }).click();
  await expect(page).toHaveURL(/queue=rabbitmq%3Apayments\.dlq/);

  // Grouped by cause: the demo's one injected failure type, with a count and where it failed.
  const groups = page.getByRole('table', { name: 'Failures grouped by cause' });
  await expect(groups.getByRole('cell', { name: 'IssuerTimeoutError', exact: true })).toBeVisible();
  await expect(groups.getByRole('cell', { name: 'payments', exact: true })).toBeVisible();
  await keepScreenshot(page, testInfo, 'dlq-groups');
  await expectAccessible(page);

  // Opening a message shows its parsed failure, raw headers and payload, and links to its journey.
  await page
    .getByRole('table', { name: /messages/ })
    .getByRole('link')
    .first()
    .click();
  await expect(page).toHaveURL(/message=/);
  await expect(
    page.getByRole('table', { name: 'Raw headers' }).getByRole('cell', { name: 'signalbox-dlq-error-type' }),
  ).toBeVisible();
  await expect(page.getByText(/Payload: JSON/)).toBeVisible();
  await keepScreenshot(page, testInfo, 'dlq-message');

  // Dry run → confirm → replay with progress.
  const replay = page.getByRole('region', { name: 'Replay', exact: true });
  await replay.getByRole('combobox').selectOption({ label: 'Every message in the queue' });
  await replay.getByRole('button', { name: 'Dry run' }).click();
  const dry = replay.getByRole('status', { name: 'Dry run result' });
  await expect(dry).toContainText(/would be replayed to payments/);
  await expect(dry).toContainText('signalbox-replay-id');
  await keepScreenshot(page, testInfo, 'dlq-dry-run');
  await replay.getByRole('button', { name: /Confirm replay of/ }).click();
  await expect(replay.getByTestId('replay-status')).toHaveText('done', { timeout: 60_000 });
  await keepScreenshot(page, testInfo, 'dlq-replayed');

  // The replayed messages succeeded: none came back to the DLQ as a re-failure.
  await page.waitForTimeout(3000);
  const after = (await (await request.get(`/api/dlq/${encodeURIComponent(QUEUE)}/messages`)).json()) as {
    messages: { failure: { replay: unknown } }[];
  };
  expect(after.messages.filter((m) => m.failure.replay !== null)).toEqual([]);

  // The audit log records who replayed.
  await page.reload();
  await expect(
    page
      .getByRole('table', { name: 'Audit log' })
      .getByRole('cell', { name: /^e2e \(token/ })
      .first(),
  ).toBeVisible();

  // The message's journey now ends with the dashboard's replay and the consumer processing it (the
  // replay span is recorded in the dashboard's own store; the notifier exports its spans in batches).
  await expect(async () => {
    await page.goto(`/messages/${followed}`);
    await expect(page.getByText(/^replay /).first()).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000, intervals: [2000] });
  await expect(page.getByText('signalbox-dashboard').first()).toBeVisible();
  await keepScreenshot(page, testInfo, 'dlq-replay-journey');
});
