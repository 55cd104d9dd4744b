import { devices, expect, test, type Page } from '@playwright/test';
import type { PublicSiteConfig } from '@beckon/sdk/protocol';
import { expectNoSeriousViolations } from './support/axe.js';
import { admin, demoSiteKey } from './support/env.js';
import { consentPrompt, shopFor, siteInMode } from './support/consent.js';
import { demoConfig, widget } from './support/widget.js';

// Automated WCAG 2.0 A/AA checks (axe-core) on what visitors and agents meet first. They catch what a
// machine can see (names, roles, contrast, labels, ARIA use) and complement, not replace, the keyboard
// and screen-size checks in demo-shop.spec.ts. Any serious or critical violation fails.

/**
 * Reported to their owners, tolerated here only on these elements until fixed there (the rule stays
 * on everywhere else). When one is fixed the test notes it; then delete the entry.
 */
let config: PublicSiteConfig;

// axe takes a few seconds per scan on two busy cores.
test.describe.configure({ timeout: 60_000 });

test.beforeAll(async ({ request }) => {
  config = await demoConfig(request);
});

test.describe('widget', () => {
  test('the open panel on the demo shop', async ({ page }, testInfo) => {
    await page.goto('/demo/');
    const { launcher, panel } = widget(page, config);
    await launcher.click();
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('button', { name: config.widget.texts.chat })).toBeVisible();
    await settle(page);
    // Only the widget: the demo shop's own markup is not Beckon's product.
    await expectNoSeriousViolations(page, testInfo, 'widget panel', { include: 'beckon-widget' });
  });

  test('the chat view', async ({ page }, testInfo) => {
    await page.goto('/demo/');
    const { launcher, host } = widget(page, config);
    await expect(launcher).toBeVisible();
    await page.evaluate(() => (window as unknown as { Beckon(...args: unknown[]): void }).Beckon('open', 'chat'));
    const chat = host.getByRole('dialog');
    await expect(chat.getByRole('button', { name: 'Back' })).toBeVisible();
    // Connected: the spinner is gone and the conversation log is no longer busy.
    await expect(chat.getByRole('log')).toHaveAttribute('aria-busy', 'false');
    await settle(page);
    await expectNoSeriousViolations(page, testInfo, 'widget chat', { include: 'beckon-widget' });
  });

  test('the consent prompt (a site in mode required)', async ({ page, request }, testInfo) => {
    const { site } = await siteInMode(request, 'required', 'Test site: a11y consent');
    await shopFor(page, site.key);
    await page.goto('/demo/');
    const prompt = consentPrompt(page);
    await expect(prompt.getByRole('button', { name: 'Reject all' })).toBeVisible();
    await settle(page);
    await expectNoSeriousViolations(page, testInfo, 'consent prompt', { include: 'beckon-widget' });
    // Keyboard: reachable with Tab, and a choice closes it without trapping focus.
    await prompt.getByRole('button', { name: 'Reject all' }).focus();
    await page.keyboard.press('Enter');
    await expect(prompt).toHaveCount(0);
  });
});

test.describe('dashboard', () => {
  test('the login page', async ({ page }, testInfo) => {
    await page.goto('/app/');
    await expect(page.getByLabel('Email')).toBeVisible();
    await expect(page.getByLabel('Password')).toBeVisible();
    await settle(page);
    await expectNoSeriousViolations(page, testInfo, 'dashboard login');
  });

  test('the Visitors page', async ({ page, browser }, testInfo) => {
    await page.goto('/app/');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: /^(sign|log) in$/i }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Visitors', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/app/sites/${demoSiteKey}/visitors$`));
    await expect(page.getByRole('heading', { name: 'Visitors', exact: true })).toBeVisible();
    await expect(page.getByRole('banner').getByRole('status')).toHaveText(/^\s*(live|streaming)\s*$/i);
    // With at least one row, so the table itself is checked too.
    const visitor = await browser.newContext({ userAgent: devices['Desktop Chrome'].userAgent });
    try {
      const shop = await visitor.newPage();
      await shop.goto('/demo/contact.html?ref=a11y');
      await expect(
        page
          .getByRole('table', { name: /recent pageviews/i })
          .getByRole('row')
          .filter({ hasText: '/demo/contact.html?ref=a11y' }),
      ).toHaveCount(1);
    } finally {
      await visitor.close();
    }
    await settle(page);
    await expectNoSeriousViolations(page, testInfo, 'dashboard Visitors');
  });
});

/** Lets opening transitions and entry animations finish, so colour contrast is measured at rest. */
async function settle(page: Page) {
  await page.evaluate(async () => {
    // Endless ones (a spinner, a pulsing dot) never finish; only wait for those that end.
    const finite = document
      .getAnimations()
      .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity);
    await Promise.all(finite.map((animation) => animation.finished.catch(() => undefined)));
  });
  await page.waitForTimeout(200);
}
