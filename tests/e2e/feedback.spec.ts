import { expect, test, type Page, type TestInfo } from '@playwright/test';
import type { PublicSiteConfig } from '@beckon/sdk/protocol';
import { login } from './support/api.js';
import { desktop, phone, shopOrigin, uniqueMarker } from './support/chat.js';
import { demoSiteKey } from './support/env.js';
import { expectNoSeriousViolations } from './support/axe.js';
import { demoConfig } from './support/widget.js';

/** Feedback end to end: the page opens the NPS form, the visitor answers, the dashboard's score moves. */

let config: PublicSiteConfig;

test.beforeAll(async ({ request }) => {
  config = await demoConfig(request);
});

const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`) });

test('an NPS answer opened by Beckon("open", "feedback", { kind: "nps" }) shows up in the dashboard score and list', async ({
  browser,
}, testInfo) => {
  test.setTimeout(60_000);
  const marker = uniqueMarker();
  const visitorContext = await browser.newContext(phone);
  const agentContext = await browser.newContext(desktop);
  try {
    const page = await visitorContext.newPage();
    await page.goto(new URL('/demo/', shopOrigin).href);
    await expect(
      page.locator('beckon-widget').getByRole('button', { name: config.widget.launcherLabel }),
    ).toBeVisible();
    const sent: unknown[] = [];
    await page.exposeFunction('recordFeedbackSent', (payload: unknown) => sent.push(payload));
    await page.evaluate(() => {
      const beckon = (window as unknown as { Beckon: (...args: unknown[]) => void }).Beckon;
      beckon('on', 'feedback:sent', (payload: unknown) =>
        (window as unknown as { recordFeedbackSent(p: unknown): void }).recordFeedbackSent(payload),
      );
      beckon('open', 'feedback', { kind: 'nps' });
    });
    const form = page.locator('beckon-widget').getByRole('dialog', { name: config.widget.texts.feedback });
    await expect(form.getByRole('group', { name: config.feedback.npsQuestion })).toBeVisible();
    await form.getByRole('radio', { name: '9', exact: true }).click();
    await form.getByLabel(/main reason/).fill(`Quick delivery ${marker}`);
    await shot(page, testInfo, 'feedback-nps-phone');
    await page.waitForTimeout(1100); // the minimum time on a form
    await form.getByRole('button', { name: 'Send feedback' }).click();
    await expect(form.getByRole('status')).toContainText('Thank you for your feedback!');
    await expect.poll(() => sent).toEqual([{ kind: 'nps', score: 9 }]);

    await login(agentContext.request);
    const dashboard = await agentContext.newPage();
    await dashboard.goto(`/app/sites/${demoSiteKey}/feedback`);
    await expect(dashboard.getByRole('heading', { name: 'Feedback', level: 1 })).toBeVisible();
    await expect(dashboard.getByTestId('nps-score')).toHaveText(/^[+-]?\d+$/);
    await expect(dashboard.getByTestId('feedback-answer').filter({ hasText: marker })).toContainText('9/10');
    await shot(dashboard, testInfo, 'feedback-dashboard-desktop');
    await expectNoSeriousViolations(dashboard, testInfo, 'feedback-page', { include: 'main' });
  } finally {
    await Promise.all([visitorContext.close(), agentContext.close()]);
  }
});

test('the feedback form on a desktop: CSAT and a message with an email', async ({ browser }, testInfo) => {
  const context = await browser.newContext(desktop);
  try {
    const page = await context.newPage();
    await page.goto(new URL('/demo/', shopOrigin).href);
    const host = page.locator('beckon-widget');
    await host.getByRole('button', { name: config.widget.launcherLabel }).click();
    await host.getByRole('button', { name: config.widget.texts.feedback }).click();
    const form = host.getByRole('dialog', { name: config.widget.texts.feedback });
    await form.getByRole('radio', { name: 'Rate us' }).click();
    await expect(form.getByRole('group', { name: config.feedback.csatQuestion })).toBeVisible();
    await form.getByRole('radio', { name: /^4 – / }).click();
    await shot(page, testInfo, 'feedback-csat-desktop');
    await form.getByRole('radio', { name: 'Message' }).click();
    await form.getByLabel('Your message').fill('Do you ship to Norway?');
    await form.getByLabel(/^Email/).fill('ola@example.no');
    await shot(page, testInfo, 'feedback-message-desktop');
    await expectNoSeriousViolations(page, testInfo, 'feedback-form', { include: 'beckon-widget' });
    await page.waitForTimeout(1100);
    await form.getByRole('button', { name: 'Send feedback' }).click();
    await expect(form.getByRole('status')).toContainText('Thank you');
  } finally {
    await context.close();
  }
});
