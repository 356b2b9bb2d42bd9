import { expect, test } from '@playwright/test';

// Every page renders under the Content-Security-Policy of next.config.js: no
// violation reported by the browser, and the headers are on the documents.
const PAGES = ['/', '/flows', '/latency', '/lag', '/dlq', '/anomalies', '/search', '/alerts'];

test('pages load under the Content-Security-Policy without violations', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (event) =>
      (window as unknown as { reportViolation(text: string): void }).reportViolation(
        `${event.violatedDirective} blocked ${event.blockedURI}`,
      ),
    ),
  );
  for (const pathname of PAGES) {
    const response = await page.goto(pathname);
    expect(response?.status(), pathname).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy'], pathname).toContain("frame-ancestors 'none'");
    expect(headers['referrer-policy'], pathname).toBe('same-origin');
    expect(headers['x-content-type-options'], pathname).toBe('nosniff');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // Client navigation and hydration run the inline scripts the policy must allow.
    await page.waitForLoadState('networkidle');
  }
  expect(violations).toEqual([]);
});

test('says that access control is off', async ({ page }) => {
  await page.goto('/');
  await expect(
    page.getByText('Access control is off: anyone who can reach this port can read payloads and replay'),
  ).toBeVisible();
});
