import { expect, test, type Page, type TestInfo } from '@playwright/test';
import type { PublicSiteConfig } from '@beckon/sdk/protocol';
import { demoSite } from './support/api.js';
import { agentInbox, desktop, newAgent, newVisitor, startChat, uniqueMarker } from './support/chat.js';
import { demoSiteKey } from './support/env.js';
import { demoConfig } from './support/widget.js';

let config: PublicSiteConfig;
test.beforeAll(async ({ request }) => {
  config = await demoConfig(request);
});

const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`) });

test('Away chosen in one dashboard tab shows Away in the agent’s other tab, and Online comes back the same way', {
  tag: '@away',
}, async ({ browser }) => {
  const { context, page, agent } = await newAgent(browser);
  try {
    const second = agentInbox(await context.newPage());
    await second.page.goto(`/app/sites/${demoSiteKey}/inbox`);
    await expect(second.presence).toHaveAccessibleName(/^Status: Online/);
    await agent.presence.click();
    await expect(agent.presence).toHaveAccessibleName(/^Status: Away/);
    await expect(second.presence).toHaveAccessibleName(/^Status: Away/);
    // Other specs share this admin: back online at once.
    await second.presence.click();
    await expect(agent.presence).toHaveAccessibleName(/^Status: Online/);
    await expect(second.presence).toHaveAccessibleName(/^Status: Online/);
    // A reload keeps the agent's choice rather than a per-tab one.
    await page.reload();
    await expect(agent.presence).toHaveAccessibleName(/^Status: Online/);
  } finally {
    await context.close();
  }
});

test('a canned response added in Chat settings reaches an open inbox, and an unknown /word is not sent without asking', async ({
  browser,
}, testInfo) => {
  test.setTimeout(90_000);
  const marker = uniqueMarker();
  const visitorName = `Cass ${marker}`;
  const [{ context: agentContext, page: agentPage, me, agent }, { context: visitorContext, visitor }] =
    await Promise.all([newAgent(browser), newVisitor(browser, config)]);
  try {
    await startChat(visitor, config);
    await visitor.chat.getByLabel('Name').fill(visitorName);
    await visitor.send(`Where is my parcel? ${marker}`);
    await agent.row(visitorName).click();
    const conversation = agent.conversation(visitorName);

    // "/ship…" names no canned response yet: Enter asks instead of sending the literal word.
    const shortcut = `ship${marker}`;
    await conversation.composer.fill(`/${shortcut}`);
    await conversation.composer.press('Enter');
    const confirm = conversation.view.getByRole('alert').filter({ hasText: 'is not a canned response' });
    await expect(confirm).toContainText(
      `/${shortcut} is not a canned response. Send the reply to the visitor as typed?`,
    );
    await expect(conversation.composer).toHaveValue(`/${shortcut}`);
    await shot(agentPage, testInfo, 'agent-unknown-shortcut');
    await confirm.getByRole('button', { name: 'Keep editing' }).click();
    await expect(confirm).toHaveCount(0);

    // Someone adds it in Chat settings (another browser): the open inbox has it without a reload.
    const settings = await browser.newContext(desktop);
    try {
      const admin = await settings.request.post('/api/auth/login', {
        data: { email: me.agent.email, password: process.env.BECKON_ADMIN_PASSWORD || 'correct horse battery' },
      });
      const { csrfToken } = (await admin.json()) as { csrfToken: string };
      const created = await settings.request.post(`/api/sites/${demoSite(me).id}/canned-responses`, {
        headers: { 'x-csrf-token': csrfToken },
        data: { shortcut, text: `Your parcel left our warehouse today. ${marker}` },
      });
      expect(created.status()).toBe(201);
    } finally {
      await settings.close();
    }
    await conversation.composer.fill('');
    await conversation.composer.pressSequentially(`/${shortcut}`);
    await expect(agentPage.getByRole('listbox', { name: 'Canned responses' }).getByRole('option')).toContainText([
      `/${shortcut}`,
    ]);
    await conversation.composer.press('Enter');
    await expect(conversation.composer).toHaveValue(`Your parcel left our warehouse today. ${marker}`);
    await conversation.composer.press('Enter');
    await expect(visitor.bubble(`Your parcel left our warehouse today. ${marker}`)).toHaveCount(1);
    await expect(visitor.bubble(`/${shortcut}`)).toHaveCount(0);
  } finally {
    await Promise.all([visitorContext.close(), agentContext.close()]);
  }
});

test('the reply box says when a visitor has left and the reply cannot be emailed (no SMTP on this server)', async ({
  browser,
}, testInfo) => {
  test.setTimeout(90_000);
  const marker = uniqueMarker();
  const visitorName = `Lea ${marker}`;
  const email = `lea.${marker}@example.test`;
  const [{ context: agentContext, page: agentPage, agent }, { context: visitorContext, visitor }] = await Promise.all([
    newAgent(browser),
    newVisitor(browser, config),
  ]);
  try {
    await startChat(visitor, config);
    await visitor.chat.getByLabel('Name').fill(visitorName);
    await visitor.chat.getByLabel('Email').fill(email);
    await visitor.send(`Please send me the size chart. ${marker}`);
    await agent.row(visitorName).click();
    const conversation = agent.conversation(visitorName);
    await expect(conversation.message(`Please send me the size chart. ${marker}`)).toHaveCount(1);
    // While the visitor is in the chat, the reply goes there: no notice.
    await expect(conversation.view.locator('.reply-delivery')).toHaveCount(0);

    await visitorContext.close();
    await agentPage.reload();
    const notice = conversation.view.getByRole('status').filter({ hasText: 'has left the chat' });
    await expect(notice).toHaveText(
      `${visitorName} has left the chat. Your reply cannot be emailed to ${email}: this server has no email set up (SMTP_URL). They see it only if they come back to the chat.`,
    );
    await shot(agentPage, testInfo, 'agent-reply-visitor-left');
  } finally {
    await Promise.all([visitorContext.close(), agentContext.close()]);
  }
});
