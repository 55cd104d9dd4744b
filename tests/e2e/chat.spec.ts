import { expect, test, type Page, type TestInfo } from '@playwright/test';
import type { AgentPresence, PublicSiteConfig } from '@beckon/sdk/protocol';
import { demoSite } from './support/api.js';
import { newAgent, newVisitor, startChat, uniqueMarker } from './support/chat.js';
import { demoConfig } from './support/widget.js';

/**
 * Live chat end to end: a visitor in the widget on the demo shop (a phone-sized browser context) and
 * an agent in the dashboard inbox (a desktop one), both against the real server.
 */

let config: PublicSiteConfig;

test.beforeAll(async ({ request }) => {
  config = await demoConfig(request);
});

const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`) });

test('visitor and agent chat both ways with typing; the history survives a reload and an offline round, every message once, in order', async ({
  browser,
}, testInfo) => {
  // About 30 s on an idle machine; generous for a loaded CI runner.
  test.setTimeout(120_000);
  const marker = uniqueMarker();
  const visitorName = `Vera ${marker}`;
  const [{ context: agentContext, page: agentPage, me, agent }, { context: visitorContext, page, visitor }] =
    await Promise.all([newAgent(browser), newVisitor(browser, config)]);
  try {
    await startChat(visitor, config);

    // The visitor's first message, with the optional name from the pre-chat questions.
    await visitor.chat.getByLabel('Name').fill(visitorName);
    const v1 = `Hello, is the linen apron back in stock? ${marker}`;
    await visitor.send(v1);
    await expect(visitor.bubble(v1)).toHaveCount(1);
    await expect(visitor.lastMineMeta).toHaveText(/· (Sent|Read)$/);

    // The chat shows up in the agent's inbox without a reload; opening it shows the message once.
    await agent.row(visitorName).click();
    const conversation = agent.conversation(visitorName);
    await expect(conversation.message(v1)).toHaveCount(1);
    // The agent has it on screen: the visitor sees it was read.
    await expect(visitor.lastMineMeta).toHaveText(/· Read$/);

    // The agent watches the visitor type (the demo site allows previews), then gets the message.
    const v2 = `Also, do you ship to Norway? ${marker}`;
    await visitor.composer.fill(v2.slice(0, -12));
    await visitor.composer.pressSequentially(v2.slice(-12), { delay: 20 });
    await expect(conversation.typingPreview.locator('.bubble-text')).toHaveText(v2);
    await expect(agent.row(visitorName)).toContainText(`Typing: ${v2}`);
    await shot(agentPage, testInfo, 'agent-typing-preview');
    await visitor.composer.press('Enter');
    await expect(conversation.message(v2)).toHaveCount(1);
    await expect(conversation.typingPreview).toHaveCount(0);

    // The visitor sees "… is typing…" while the agent writes, then the reply.
    const a1 = `Hi Vera! Yes, it is back, and we ship to Norway. ${marker}`;
    // Checked while the agent is still at the keys (the dashboard says "stopped" 3 s after the last one).
    const typing = conversation.composer.pressSequentially(a1.slice(0, 24), { delay: 80 });
    await expect(visitor.typing).toBeVisible();
    await expect(visitor.typing).toHaveText(`${me.agent.name} is typing…`);
    await shot(page, testInfo, 'visitor-agent-typing');
    await typing;
    await conversation.composer.fill(a1);
    await conversation.composer.press('Enter');
    await expect(visitor.bubble(a1)).toHaveCount(1);
    await expect(visitor.typing).toHaveCount(0);
    const a2 = `Delivery to Oslo takes 3 to 5 days. ${marker}`;
    await conversation.send(a2);

    const beforeReload = [v1, v2, a1, a2];
    await expect.poll(() => visitor.texts(marker)).toEqual(beforeReload);
    await expect.poll(() => conversation.texts(marker)).toEqual(beforeReload);
    await expect(visitor.lastMineMeta).toHaveText(/· Read$/);

    // A reload: the launcher goes straight back into the ongoing chat, with its history, read receipt and all.
    await page.reload();
    await visitor.launcher.click();
    await expect(visitor.log).toHaveAttribute('aria-busy', 'false');
    await expect.poll(() => visitor.texts(marker)).toEqual(beforeReload);
    await expect(visitor.lastMineMeta).toHaveText(/· Read$/);
    await shot(page, testInfo, 'visitor-after-reload');

    // The visitor loses the network while both sides write.
    await visitorContext.setOffline(true);
    await expect(visitor.status).toHaveText('Reconnecting…');
    const fromVisitor = [
      `Can I pay by invoice? ${marker}`,
      `My order number is 1042. ${marker}`,
      `Thanks in advance! ${marker}`,
    ];
    for (const text of fromVisitor) await visitor.send(text);
    await expect(visitor.log.locator('.bk-sending .bk-bubble')).toHaveText(fromVisitor);
    await expect(visitor.log.locator('.bk-sending .bk-meta')).toHaveText(fromVisitor.map(() => 'Sending…'));
    const fromAgent = [
      `Invoices are fine for orders over 50 EUR. ${marker}`,
      `Let me look up that order for you. ${marker}`,
    ];
    for (const text of fromAgent) await conversation.send(text);
    // Stored by the server (no longer "Sending…" in the dashboard), but out of the visitor's reach.
    await expect(conversation.thread.getByText('Sending…')).toHaveCount(0);
    for (const text of fromAgent) await expect(conversation.message(text)).toHaveCount(1);
    await expect(visitor.bubble(fromAgent[0]!)).toHaveCount(0);
    await expect(conversation.message(fromVisitor[0]!)).toHaveCount(0);
    await shot(page, testInfo, 'visitor-offline');

    // Back online: everything arrives on both sides exactly once, in the server's (seq) order.
    await visitorContext.setOffline(false);
    await expect(visitor.status).toHaveText(/^Usually replies within/, { timeout: 15_000 });
    const everything = [...beforeReload, ...fromAgent, ...fromVisitor];
    await expect.poll(() => visitor.texts(marker), { timeout: 30_000 }).toEqual(everything);
    await expect.poll(() => conversation.texts(marker)).toEqual(everything);
    for (const text of everything) {
      await expect(visitor.bubble(text)).toHaveCount(1);
      await expect(conversation.message(text)).toHaveCount(1);
    }
    await expect(visitor.log.getByText('Sending…')).toHaveCount(0);
    await shot(page, testInfo, 'visitor-back-online');
    await shot(agentPage, testInfo, 'agent-back-online');
  } finally {
    await Promise.all([visitorContext.close(), agentContext.close()]);
  }
});

test('after the agent closes the chat the visitor rates it, and the dashboard shows the rating', async ({
  browser,
}, testInfo) => {
  test.setTimeout(60_000);
  const marker = uniqueMarker();
  const visitorName = `Rita ${marker}`;
  const [{ context: agentContext, page: agentPage, agent }, { context: visitorContext, page, visitor }] =
    await Promise.all([newAgent(browser), newVisitor(browser, config)]);
  try {
    await startChat(visitor, config);
    await visitor.chat.getByLabel('Name').fill(visitorName);
    const question = `Where is my parcel? ${marker}`;
    await visitor.send(question);

    await agent.row(visitorName).click();
    const conversation = agent.conversation(visitorName);
    await expect(conversation.message(question)).toHaveCount(1);
    const answer = `It left our workshop this morning. ${marker}`;
    await conversation.send(answer);
    await expect(visitor.bubble(answer)).toHaveCount(1);

    await conversation.view.getByRole('button', { name: 'Close conversation' }).click();
    await expect(conversation.view.getByText('Closed', { exact: true })).toBeVisible();
    // Closed while on screen: its row stays in the Open list, marked Closed, until the agent moves on.
    await expect(agent.row(visitorName)).toContainText('Closed');

    // The visitor is told the chat ended and asked for a rating.
    await expect(visitor.chat.getByText('This conversation has ended.')).toBeVisible();
    const prompt = visitor.chat.getByRole('form', { name: 'How did we do?' });
    await expect(prompt).toBeVisible();
    await shot(page, testInfo, 'visitor-rating-prompt');
    await prompt.getByRole('button', { name: '5 of 5' }).click();
    await expect(prompt.getByRole('button', { name: '5 of 5' })).toHaveAttribute('aria-pressed', 'true');
    const comment = `Quick and friendly ${marker}`;
    await prompt.getByRole('textbox', { name: 'Anything to add? (optional)' }).fill(comment);
    await prompt.getByRole('button', { name: 'Send rating' }).click();
    await expect(visitor.chat.getByRole('status').filter({ hasText: 'Thank you for your feedback!' })).toBeVisible();

    // The dashboard shows the rating on the conversation without a reload.
    await expect(conversation.view.getByLabel('Rated 5 of 5')).toBeVisible();
    await expect(conversation.view).toContainText(comment);
    // ... and in the thread, after the close.
    await expect(conversation.thread.getByText(`Rated 5 of 5 — “${comment}”`, { exact: true })).toBeVisible();
    await shot(agentPage, testInfo, 'agent-rating');

    // Once the agent switches views, the closed conversation has left the Open list.
    await agent.list.getByRole('tab', { name: /^Unassigned/ }).click();
    await agent.list.getByRole('tab', { name: /^All/ }).click();
    await expect(agent.row(visitorName)).toHaveCount(0);
  } finally {
    await Promise.all([visitorContext.close(), agentContext.close()]);
  }
});

test(
  'with no agent online the widget offers to leave a message, and the message reaches the inbox',
  { tag: '@away' },
  async ({ browser }, testInfo) => {
    test.setTimeout(90_000);
    const marker = uniqueMarker();
    const visitorName = `Otto ${marker}`;
    const email = `otto.${marker}@example.test`;
    const [{ context: agentContext, page: agentPage, me, agent }, { context: visitorContext, page, visitor }] =
      await Promise.all([newAgent(browser), newVisitor(browser, config)]);
    try {
      // The only agent goes Away with the dashboard's presence toggle.
      await expect(agent.presence).toHaveAccessibleName(/^Status: Online/);
      await agent.presence.click();
      await expect(agent.presence).toHaveAccessibleName(/^Status: Away/);
      // Away is the agent's, in every tab (the admin's dashboards of specs running in parallel too); the
      // site's only agent is the admin, so visitors get the offline form at once.
      const siteId = demoSite(me).id;
      await expect
        .poll(
          async () => {
            const response = await agentContext.request.get(`/api/sites/${encodeURIComponent(siteId)}/presence`);
            expect(response.status()).toBe(200);
            const { agents } = (await response.json()) as { agents: AgentPresence[] };
            return agents.filter((entry) => entry.status === 'online').length;
          },
          { timeout: 60_000, message: 'an agent is still online for the demo site' },
        )
        .toBe(0);

      await startChat(visitor, config);
      const form = visitor.chat.getByRole('form', { name: 'Leave us a message' });
      await expect(form).toBeVisible();
      await expect(form).toContainText('No one is available right now.');
      await expect(visitor.composer).toHaveCount(0);
      await shot(page, testInfo, 'visitor-offline-form');

      const text = `Please call me about a wholesale order. ${marker}`;
      await form.getByLabel('Name').fill(visitorName);
      await form.getByLabel('Email').fill(email);
      await form.getByRole('textbox', { name: 'Message' }).fill(text);
      await form.getByRole('button', { name: 'Send message' }).click();

      await expect(
        visitor.chat.getByRole('status').filter({ hasText: `Thank you! We will reply to ${email} as soon as we can.` }),
      ).toBeVisible();
      await expect(visitor.bubble(text)).toHaveCount(1);
      await expect(form).toHaveCount(0);
      await shot(page, testInfo, 'visitor-offline-sent');
      // Back online at once: other specs share this admin, and Away is kept until changed.
      await agent.presence.click();
      await expect(agent.presence).toHaveAccessibleName(/^Status: Online/);

      // The message is in the inbox, marked as an offline message.
      const row = agent.row(visitorName);
      await expect(row).toContainText(text);
      await expect(row).toContainText('Offline message');
      await row.click();
      await expect(agent.conversation(visitorName).message(text)).toHaveCount(1);
      await shot(agentPage, testInfo, 'agent-offline-message');

      // The header keeps the tag and "Unassigned" on one line, whole, beside the actions: in three columns
      // (1280 px, visitor details open) and in two (1024 px).
      const head = agent.conversation(visitorName).view.locator('header');
      const tag = head.getByText('Offline message', { exact: true });
      const assignee = head.getByText('Unassigned', { exact: true });
      for (const width of [1280, 1024]) {
        await agentPage.setViewportSize({ width, height: 800 });
        await expect(tag).toBeVisible();
        await expect(assignee).toBeVisible();
        const [tagBox, assigneeBox] = [(await tag.boundingBox())!, (await assignee.boundingBox())!];
        expect(
          Math.abs(tagBox.y + tagBox.height / 2 - (assigneeBox.y + assigneeBox.height / 2)),
          `one line at ${width} px`,
        ).toBeLessThan(4);
        expect(
          await assignee.evaluate((element) => element.scrollWidth <= element.clientWidth),
          `"Unassigned" whole at ${width} px`,
        ).toBe(true);
        await shot(agentPage, testInfo, `agent-offline-message-${width}`);
      }
    } finally {
      await Promise.all([visitorContext.close(), agentContext.close()]);
    }
  },
);
