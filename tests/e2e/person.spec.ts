import { readFile } from 'node:fs/promises';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import type { PersonDetail, PublicSiteConfig } from '@beckon/sdk/protocol';
import { desktop, exactly, newAgent, phone, shopOrigin, startChat, uniqueMarker, visitorChat } from './support/chat.js';
import { demoSiteKey } from './support/env.js';
import { demoConfig } from './support/widget.js';
import { expectNoSeriousViolations } from './support/axe.js';

/**
 * One person, one story: the same woman on her desktop (chat, callback, feedback) and later on her
 * phone (identified by email) is one person for the agent — one name on every page, one lead whose
 * timeline holds all three, and one export and erasure by the email she gives.
 */

let config: PublicSiteConfig;

test.beforeAll(async ({ request }) => {
  config = await demoConfig(request);
});

// Headless Chromium says "HeadlessChrome" and is classed as a bot (its behaviour is never stored): these are people's browsers.
const desktopAgent =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const phoneAgent =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';

const shot = (page: Page, testInfo: TestInfo, name: string, fullPage = false) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage });
const beckon = (page: Page, ...args: unknown[]) =>
  page.evaluate((call) => (window as unknown as { Beckon(...a: unknown[]): void }).Beckon(...call), args);

test('one person across a desktop and a phone: one name everywhere, one lead with chat, callback and feedback, exported and erased by email', async ({
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const marker = uniqueMarker();
  const name = `Ann ${marker}`;
  const email = `ann-${marker}@example.com`;
  const last = String(Math.floor(Math.random() * 9000) + 1000);
  const number = { typed: `(415) 555-${last}`, shown: `+1 415 555 ${last}` };

  const { context: agentContext, page: agentPage, agent } = await newAgent(browser);
  const desk = await browser.newContext({ ...desktop, userAgent: desktopAgent });
  const mobile = await browser.newContext({ ...phone, userAgent: phoneAgent });
  try {
    // ── On her desktop: a chat, a callback, feedback ──
    const deskPage = await desk.newPage();
    await deskPage.goto(new URL('/demo/', shopOrigin).href);
    const visitor = visitorChat(deskPage, config);
    await expect(visitor.launcher).toBeVisible();
    await startChat(visitor, config);
    await visitor.chat.getByLabel('Name').fill(name);
    const question = `Is the linen apron back in stock? ${marker}`;
    await visitor.send(question);
    await expect(visitor.bubble(question)).toHaveCount(1);
    await expect(agent.row(name)).toBeVisible();

    await beckon(deskPage, 'open', 'callback');
    const callbackForm = deskPage.locator('beckon-widget').getByRole('dialog', { name: config.widget.texts.callback });
    await callbackForm.getByLabel('Phone number').fill(number.typed);
    await callbackForm.getByLabel(/^Name/).fill(name);
    await deskPage.waitForTimeout(3200); // the server refuses forms sent faster than a person types
    await callbackForm.getByRole('button', { name: /^Call me/ }).click();
    await expect(callbackForm.getByRole('status')).toContainText(/We will call you|at /);

    await beckon(deskPage, 'open', 'feedback');
    const feedbackForm = deskPage.locator('beckon-widget').getByRole('dialog', { name: config.widget.texts.feedback });
    await feedbackForm.getByRole('radio', { name: 'Message' }).click();
    await feedbackForm.getByLabel('Your message').fill(`Lovely shop ${marker}`);
    await feedbackForm.getByLabel(/^Email/).fill(email);
    await deskPage.waitForTimeout(1100);
    await feedbackForm.getByRole('button', { name: 'Send feedback' }).click();
    await expect(feedbackForm.getByRole('status')).toContainText('Thank you');

    // ── Later, on her phone: she signs in to the shop, which identifies her by email ──
    const phonePage = await mobile.newPage();
    await phonePage.goto(new URL('/demo/', shopOrigin).href);
    await expect(visitorChat(phonePage, config).launcher).toBeVisible();
    await beckon(phonePage, 'identify', { email: email.toUpperCase() });

    // ── The agent: one lead, one person with both browsers ──
    const leads = async () =>
      (await (await agentContext.request.get(`/api/leads?q=${marker}`)).json()).leads as {
        id: string;
        person: { id: string; name: string } | null;
        status: string;
      }[];
    await expect.poll(async () => (await leads()).length).toBe(1);
    const [lead] = await leads();
    expect(lead!.person).toMatchObject({ name });
    const personId = lead!.person!.id;
    const person = async () =>
      (await (await agentContext.request.get(`/api/persons/${personId}`)).json()) as PersonDetail;
    await expect.poll(async () => (await person()).visitorIds.length, { timeout: 15_000 }).toBe(2);

    // The callback queue names her, links to her, and closing the call as converted wins the lead.
    await agentPage.goto(`/app/sites/${demoSiteKey}/callbacks`);
    const row = agentPage.getByTestId('callback-row').filter({ hasText: number.shown });
    await expect(row.getByRole('link', { name: exactly(name) })).toBeVisible();
    await row.getByRole('button', { name: 'Outcome' }).click();
    await row.getByRole('combobox', { name: 'Outcome' }).selectOption('converted');
    await row.getByRole('button', { name: 'Save outcome' }).click();
    await expect(row).toHaveCount(0);

    // The lead page: her name, Won and assigned, and a timeline with the chat, the callback and the feedback.
    await agentPage.goto(`/app/sites/${demoSiteKey}/leads/${lead!.id}`);
    await expect(agentPage.getByRole('heading', { level: 1 })).toHaveText(name);
    const timeline = agentPage.getByRole('region', { name: 'Timeline' });
    await expect(timeline.getByText(question)).toBeVisible();
    await expect(timeline.getByText('Requested a callback')).toBeVisible();
    await expect(timeline.getByText(`Lovely shop ${marker}`)).toBeVisible();
    await expect(agentPage.getByRole('combobox', { name: 'Status' })).toHaveValue('won');
    await expect(agentPage.getByRole('combobox', { name: 'Assigned to' })).not.toHaveValue('');

    // The same name on Visitors (both browsers), in the Inbox, on Feedback; each links to her page.
    await agentPage.goto(`/app/sites/${demoSiteKey}/visitors`);
    await expect(agentPage.locator('.visitor-row').filter({ hasText: name })).toHaveCount(2);
    await shot(agentPage, testInfo, 'visitors-one-name');
    await agentPage.goto(`/app/sites/${demoSiteKey}/feedback`);
    await expect(
      agentPage
        .getByTestId('feedback-answer')
        .filter({ hasText: `Lovely shop ${marker}` })
        .getByRole('link', { name: exactly(name) }),
    ).toBeVisible();
    await agentPage.goto(`/app/sites/${demoSiteKey}/inbox`);
    await agent.row(name).click();
    await agentPage
      .getByRole('complementary', { name: 'Visitor details' })
      .getByRole('link', { name: exactly(name) })
      .click();

    // Her page: both browsers, the chat readable in place, the callback's outcome, the feedback.
    await expect(agentPage).toHaveURL(new RegExp(`/people/${personId}$`));
    await expect(agentPage.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(agentPage.getByText('2 browsers')).toBeVisible();
    await expect(agentPage.getByRole('region', { name: 'Conversations' }).getByText(question)).toBeVisible();
    await expect(agentPage.getByRole('region', { name: 'Callbacks' }).getByText('Converted')).toBeVisible();
    await expect(agentPage.getByRole('region', { name: 'Feedback' }).getByText(`Lovely shop ${marker}`)).toBeVisible();
    await expect(agentPage.getByText('Won', { exact: true })).toBeVisible();
    await shot(agentPage, testInfo, 'person-page-desktop', true);
    await expectNoSeriousViolations(agentPage, testInfo, 'person page', { include: 'main' });
    await expect(agentPage.getByRole('region', { name: 'Audit trail' }).getByText('New browser')).toBeVisible();
    // The same page on an agent's phone.
    const phonePageOfAgent = await agentContext.newPage();
    await phonePageOfAgent.setViewportSize(phone.viewport);
    await phonePageOfAgent.goto(`/app/sites/${demoSiteKey}/people/${personId}`);
    await expect(phonePageOfAgent.getByRole('heading', { level: 1 })).toHaveText(name);
    await shot(phonePageOfAgent, testInfo, 'person-page-phone', true);
    await phonePageOfAgent.close();

    // ── Her privacy request, by the email she gives: export, then erase ──
    await agentPage.goto(`/app/sites/${demoSiteKey}/privacy`);
    await agentPage.getByLabel('Email, phone or visitor id').fill(email);
    const [download] = await Promise.all([
      agentPage.waitForEvent('download'),
      agentPage.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(exported.tables.person_visitors).toHaveLength(2);
    expect(exported.tables.conversations).toHaveLength(1);
    expect(exported.tables.callbacks).toHaveLength(1);
    expect(exported.tables.feedback).toHaveLength(1);
    expect(exported.tables.leads).toHaveLength(1);
    await agentPage.getByLabel('Type it again to erase').fill(email);
    await agentPage.getByRole('button', { name: 'Erase person' }).click();
    await expect(agentPage.getByText(/Erased \d+ records/)).toBeVisible();
    expect(await leads()).toEqual([]);
    expect((await agentContext.request.get(`/api/persons/${personId}`)).status()).toBe(404);
  } finally {
    await Promise.all([agentContext.close(), desk.close(), mobile.close()]);
  }
});
