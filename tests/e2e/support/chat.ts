import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { Me, PublicSiteConfig } from '@beckon/sdk/protocol';
import { demoSite, login } from './api.js';
import { demoSiteKey, serverPort } from './env.js';
import { widget } from './widget.js';

/** The visitor on a phone, the agent at a desk: the two ends of a chat as they usually are. */
export const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const desktop = { viewport: { width: 1440, height: 900 } };

/** A word no other test (or earlier run on the same server) uses, to find this test's chat and texts. */
export const uniqueMarker = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Matches an element whose whole text is `text` (surrounding white space aside). */
export const exactly = (text: string) => new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);

// ───────────────────────────── visitor ─────────────────────────────

/** The chat as a visitor finds it in the widget on the demo shop (inside `<beckon-widget>`'s shadow root). */
export function visitorChat(page: Page, config: PublicSiteConfig) {
  const { host, launcher, panel: home } = widget(page, config);
  // The chat dialog is named after the agent answering (or the site): any dialog of the widget is it.
  const chat = host.getByRole('dialog');
  const log = chat.getByRole('log');
  // The composer at the foot (the leave-a-message form has a "Message" field too).
  const composer = chat.locator('.bk-foot').getByRole('textbox', { name: 'Message', exact: true });
  return {
    page,
    host,
    launcher,
    home,
    chat,
    log,
    composer,
    /** Every bubble of the conversation, the greeting included. */
    bubbles: log.locator('.bk-bubble'),
    /** The bubbles whose whole text is `text`: a message shown once has exactly one. */
    bubble: (text: string) => log.locator('.bk-bubble').filter({ hasText: exactly(text) }),
    /** The delivery line under the visitor's newest message ("10:42 · Read"). */
    lastMineMeta: log.locator('.bk-mine .bk-meta').last(),
    typing: chat.locator('.bk-typing'),
    /** The line under the agent's name in the chat header ("Usually replies within…", "Reconnecting…"). */
    status: chat.locator('.bk-cstatus'),
    /** Writes and sends one message with Enter, as a visitor would. */
    async send(text: string) {
      await composer.fill(text);
      await composer.press('Enter');
      await expect(composer).toHaveValue('');
    },
    /** Texts of the messages that carry `marker`, in the order shown. */
    async texts(marker: string) {
      return (await log.locator('.bk-bubble').allInnerTexts())
        .map((text) => text.trim())
        .filter((text) => text.includes(marker));
    },
  };
}
export type VisitorChat = ReturnType<typeof visitorChat>;

/**
 * The demo shop as visitors load it: from `127.0.0.1`, the server's other seeded allowed origin. Not
 * `localhost`, because socket.io (engine.io-client) ignores the browser's `offline` event on a page
 * served from `localhost`, and Chromium may then keep the emulated-offline WebSocket half alive; on
 * any other host the widget notices the outage at once, as it would on a real shop.
 */
export const shopOrigin = `http://127.0.0.1:${serverPort}`;

/** A fresh visitor (own cookies and storage) on the demo shop, on a phone. */
export async function newVisitor(browser: Browser, config: PublicSiteConfig, path = '/demo/') {
  const context = await browser.newContext(phone);
  const page = await context.newPage();
  await page.goto(new URL(path, shopOrigin).href);
  const visitor = visitorChat(page, config);
  await expect(visitor.launcher).toBeVisible();
  return { context, page, visitor };
}

/** From the launcher through the home panel's "Start a chat" into the chat, connected. */
export async function startChat(visitor: VisitorChat, config: PublicSiteConfig) {
  await visitor.launcher.click();
  await visitor.home.getByRole('button', { name: config.widget.texts.chat }).click();
  await expect(visitor.chat.getByRole('heading', { level: 2 })).toBeVisible();
  // Connected: the greeting from the chat settings is in the log and the spinner is gone.
  await expect(visitor.log).toHaveAttribute('aria-busy', 'false');
}

// ───────────────────────────── agent ─────────────────────────────

/** A dashboard session of the seeded admin at a desktop browser, on the demo site's inbox, live. */
export async function newAgent(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; me: Me; agent: AgentInbox }> {
  const context = await browser.newContext(desktop);
  // The context's request shares its cookie jar: the page below is signed in.
  const me = await login(context.request);
  demoSite(me);
  const page = await context.newPage();
  await page.goto(`/app/sites/${demoSiteKey}/inbox`);
  const agent = agentInbox(page);
  await expect(agent.list.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  // The /agent socket is up, so this agent counts as online for visitors from here on.
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/^\s*live\s*$/i);
  return { context, page, me, agent };
}

/** The dashboard inbox as an agent finds it: the list, one conversation, its thread and composer. */
export function agentInbox(page: Page) {
  const list = page.getByRole('region', { name: 'Conversations' });
  const conversation = (visitorName: string) => {
    const view = page.getByRole('region', { name: `Conversation with ${visitorName}` });
    const thread = view.getByRole('log');
    // The thread's messages; the visitor's live typing bubble is not one of them.
    const messages = thread.locator('.msg:not(.msg-typing) .bubble-text');
    const composer = view.getByRole('textbox', { name: 'Reply to the visitor' });
    return {
      view,
      thread,
      composer,
      typingPreview: thread.locator('.msg-typing'),
      message: (text: string) => messages.filter({ hasText: exactly(text) }),
      async texts(marker: string) {
        return (await messages.allInnerTexts()).map((text) => text.trim()).filter((text) => text.includes(marker));
      },
      async send(text: string) {
        await composer.fill(text);
        await composer.press('Enter');
        await expect(composer).toHaveValue('');
      },
    };
  };
  return {
    page,
    list,
    /** The row of the visitor's conversation in the list (a link to it). */
    row: (visitorName: string) => list.getByRole('link').filter({ hasText: visitorName }),
    conversation,
    presence: page.getByRole('banner').getByRole('button', { name: /^Status:/ }),
  };
}
export type AgentInbox = ReturnType<typeof agentInbox>;
