import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import type { PublicSiteConfig, Site } from '@beckon/sdk/protocol';
import { login } from './support/api.js';
import { desktop, newVisitor, phone } from './support/chat.js';
import { demoSiteKey } from './support/env.js';
import { expectNoSeriousViolations } from './support/axe.js';
import { demoConfig } from './support/widget.js';

/**
 * Callbacks end to end: a visitor asks to be called from the widget on the demo shop (a phone), an
 * agent works the queue in the dashboard (a desktop), and the visitor's widget follows along.
 */

let config: PublicSiteConfig;

test.beforeAll(async ({ request }) => {
  config = await demoConfig(request);
});

const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`) });

/** A fresh fictional San Francisco number (555-01xx style ranges are never assigned to people). */
const freshNumber = () => {
  const last = String(Math.floor(Math.random() * 9000) + 1000);
  // `shown`: as the dashboard groups it (libphonenumber-js's international format).
  return { typed: `(415) 555-${last}`, e164: `+1415555${last}`, shown: `+1 415 555 ${last}` };
};

/** The dashboard's callback queue, signed in as the seeded admin, with its live socket up. */
async function openQueue(browser: Browser) {
  const context = await browser.newContext(desktop);
  await login(context.request);
  const page = await context.newPage();
  await page.goto(`/app/sites/${demoSiteKey}/callbacks`);
  await expect(page.getByRole('heading', { name: 'Callback queue' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/^\s*live\s*$/i);
  return { context, page };
}

/** The widget's callback form, from the launcher and the panel's "Call me back" entry. */
async function openCallbackForm(page: Page) {
  const host = page.locator('beckon-widget');
  await host.getByRole('button', { name: config.widget.launcherLabel }).click();
  await host.getByRole('button', { name: config.widget.texts.callback }).click();
  const form = host.getByRole('dialog', { name: config.widget.texts.callback });
  await expect(form.getByLabel('Phone number')).toBeVisible();
  return form;
}

test('"call me now": the visitor sees a countdown, the agent takes it in the queue, the visitor sees "calling you"', async ({
  browser,
}, testInfo) => {
  test.setTimeout(90_000);
  const number = freshNumber();
  const agent = await openQueue(browser);
  const visitor = await newVisitor(browser, config);
  try {
    const form = await openCallbackForm(visitor.page);
    // Country from the browser's language (en-US): a national number is enough.
    await expect(form.getByLabel('Country')).toHaveValue('US');
    await expect(form.getByRole('radio', { name: 'Call me now' })).toBeChecked();
    await form.getByLabel('Phone number').fill(number.typed);
    await form.getByLabel(/^Name/).fill('Vera Visitor');
    await shot(visitor.page, testInfo, 'callback-form-phone');
    // A person needs a moment to type; the server refuses forms sent faster than 3 s.
    await visitor.page.waitForTimeout(3200);
    await form.getByRole('button', { name: 'Call me now' }).click();
    await expect(form.getByRole('status')).toContainText(/We will call you in \d+ s/);
    await shot(visitor.page, testInfo, 'callback-countdown-phone');

    const row = agent.page.getByTestId('callback-row').filter({ hasText: number.shown });
    await expect(row).toBeVisible();
    await expect(row.getByTestId('callback-countdown')).toHaveText(/^\d+:\d\d left$/);
    await expect(row.getByRole('link', { name: number.shown })).toHaveAttribute('href', `tel:${number.e164}`);
    await shot(agent.page, testInfo, 'callback-queue-desktop');
    await expectNoSeriousViolations(agent.page, testInfo, 'callbacks-page', { include: 'main' });

    await row.getByRole('button', { name: "I'm calling" }).click();
    await expect(row.getByTestId('callback-countdown')).toHaveText(/is calling$/);
    await expect(form.getByRole('status')).toContainText(/is calling you now/, { timeout: 10_000 });
    await shot(visitor.page, testInfo, 'callback-calling-phone');

    await row.getByRole('button', { name: 'Outcome' }).click();
    await row.getByRole('combobox', { name: 'Outcome' }).selectOption('converted');
    await row.getByRole('textbox', { name: /^Note/ }).fill('Ordered the linen apron');
    await shot(agent.page, testInfo, 'callback-outcome-desktop');
    await row.getByRole('button', { name: 'Save outcome' }).click();
    await expect(row).toHaveCount(0);
    await expect(agent.page.getByTestId('callback-done').filter({ hasText: number.shown })).toContainText('Converted');
  } finally {
    await Promise.all([agent.context.close(), visitor.context.close()]);
  }
});

test('a scheduled slot is confirmed with its time and waits in the queue with its deadline', async ({
  browser,
}, testInfo) => {
  test.setTimeout(60_000);
  const number = freshNumber();
  const context = await browser.newContext(desktop);
  const page = await context.newPage();
  try {
    await page.goto(new URL('/demo/', `http://127.0.0.1:${new URL(testInfo.project.use.baseURL!).port}`).href);
    const form = await openCallbackForm(page);
    // "Pick a time" is the only choice while no agent is online; a radio otherwise.
    const later = form.getByRole('radio', { name: 'Pick a time' });
    if (await later.count()) await later.check();
    await form.getByLabel('Phone number').fill(number.typed);
    const time = form.getByRole('combobox', { name: 'Time', exact: true });
    await expect(time).toBeVisible();
    // Late in the business day only one slot of today may be left: the next day has them all.
    if ((await time.locator('option').count()) < 2) {
      await form.getByRole('combobox', { name: 'Day', exact: true }).selectOption({ index: 1 });
    }
    const options = await time.locator('option').allTextContents();
    expect(options.length).toBeGreaterThan(1);
    await time.selectOption({ index: 1 });
    await shot(page, testInfo, 'callback-slots-desktop');
    await page.waitForTimeout(3200);
    await form.getByRole('button', { name: 'Call me at this time' }).click();
    await expect(form.getByRole('status')).toContainText(`at ${options[1]}`);
    await shot(page, testInfo, 'callback-scheduled-desktop');

    await login(context.request);
    const list = await (await context.request.get('/api/me')).json();
    const siteId = (list.sites as { id: string; key: string }[]).find((site) => site.key === demoSiteKey)!.id;
    const queue = await (await context.request.get(`/api/sites/${siteId}/callbacks`)).json();
    const booked = (queue.callbacks as { phone: string; mode: string; dueAt: string; requestedAt: string }[]).find(
      (callback) => callback.phone === number.e164,
    );
    expect(booked).toMatchObject({ mode: 'scheduled' });
    expect(booked!.dueAt).toBe(booked!.requestedAt);
  } finally {
    await context.close();
  }
});

test('the callback form fits a phone screen and says when the number is not valid', async ({ browser }, testInfo) => {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  try {
    await page.goto(new URL('/demo/', `http://127.0.0.1:${new URL(testInfo.project.use.baseURL!).port}`).href);
    const form = await openCallbackForm(page);
    const box = (await form.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(389); // full width on a 390 px phone
    const fontSize = await form.getByLabel('Phone number').evaluate((input) => getComputedStyle(input).fontSize);
    expect(fontSize).toBe('16px'); // iOS does not zoom into 16 px inputs
    await form.getByLabel('Phone number').fill('555');
    await form.getByRole('button', { name: /^Call me/ }).click();
    await expect(form.getByRole('alert')).toContainText('does not look right');
    await shot(page, testInfo, 'callback-invalid-phone');
    await expectNoSeriousViolations(page, testInfo, 'callback-form', { include: 'beckon-widget' });
  } finally {
    await context.close();
  }
});

test('an admin changes the promised call time and the callback form promises it', async ({ browser }, testInfo) => {
  // Two browser contexts (the agent's queue and a visitor's form): 33 s on a CI machine at load 8–9.
  test.setTimeout(90_000);
  const agent = await openQueue(browser);
  const context = await browser.newContext(desktop);
  try {
    const settings = agent.page.getByRole('form', { name: 'Callback settings' });
    await settings.getByLabel('Promised call time').fill('45');
    await settings.getByRole('button', { name: 'Save callback settings' }).click();
    await expect(settings.getByRole('status')).toHaveText(/Saved/);
    await settings.scrollIntoViewIfNeeded();
    await shot(agent.page, testInfo, 'callback-settings-desktop');

    const page = await context.newPage();
    await page.goto(new URL('/demo/', `http://127.0.0.1:${new URL(testInfo.project.use.baseURL!).port}`).href);
    const form = await openCallbackForm(page);
    await expect(form).toContainText('within 45 seconds');

    await agent.page.goto(`/app/sites/${demoSiteKey}/leads`);
    await expect(agent.page.getByRole('heading', { name: 'Callback queue' })).toBeVisible();
    await shot(agent.page, testInfo, 'leads-with-queue-desktop');
  } finally {
    // Back to the default, so other specs see the usual promise.
    const me = await (await agent.context.request.get('/api/me')).json();
    const site = (me.sites as Site[]).find((candidate) => candidate.key === demoSiteKey)!;
    await agent.context.request.patch(`/api/sites/${site.id}`, {
      data: { callbacks: { ...site.callbacks, countdownSeconds: 30 } },
      headers: { 'x-csrf-token': me.csrfToken },
    });
    await Promise.all([agent.context.close(), context.close()]);
  }
});
