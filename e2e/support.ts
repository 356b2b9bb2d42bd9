import AxeBuilder from '@axe-core/playwright';
import { type Page, type TestInfo, expect } from '@playwright/test';

/** Waits (reloading) until the Flows table shows an edge `from → to` with messages > 0. */
export async function waitForEdge(page: Page, from: string, to: string): Promise<void> {
  await expect
    .poll(
      async () => {
        await page.reload();
        const row = page
          .getByRole('row')
          .filter({ has: page.getByRole('cell', { name: from, exact: true }) });
        const cells = await row
          .filter({ has: page.getByRole('cell', { name: to, exact: false }) })
          .first()
          .locator('td')
          .allInnerTexts();
        return Number(cells[3]?.replace(/,/g, '') ?? 0);
      },
      { timeout: 60_000, intervals: [1000, 2000, 3000] },
    )
    .toBeGreaterThan(0);
}

/** Saves a full-page screenshot as a test artifact. */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** No serious or critical accessibility violations on the current page. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    severe.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([]);
}
