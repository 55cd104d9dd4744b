import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { defaultConsentSettings, type PublicSiteConfig, type Site } from '@beckon/sdk/protocol';
import { demoSite, login } from './support/api.js';
import { desktop, phone, shopOrigin } from './support/chat.js';

/**
 * A site's own texts per visitor language, edited in the dashboard (issue 20): the chat greeting and
 * auto-reply, the feedback questions, the consent prompt and a trigger's message each get language
 * tabs; a Latvian visitor on an `auto` site then gets the Latvian ones (the greeting in the chat, the
 * auto-reply after the first message), and the rest of the config in Latvian too.
 */
test.describe.configure({ timeout: 240_000 });
const slow = { timeout: 30_000 };

const latvian = {
  greeting: 'Sveiki! Kā varam palīdzēt?',
  autoReply: 'Paldies! Atbildēsim {minutes} minūšu laikā.',
  npsQuestion: 'Cik ticams, ka ieteiksiet mūs draugam?',
  promptTitle: 'Sīkdatnes un privātums',
  trigger: 'Vai varam jums piezvanīt par cenām?',
};

let site: Site;

test.beforeAll(async ({ request }) => {
  const { csrfToken } = await login(request);
  const headers = { 'x-csrf-token': csrfToken };
  const created = await request.post('/api/sites', {
    headers,
    data: { name: 'Test site: text languages', allowedOrigins: [shopOrigin] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const fresh = ((await created.json()) as { site: Site }).site;
  const patched = await request.patch(`/api/sites/${fresh.id}`, {
    headers,
    // Implied consent: no prompt in the visitor's way; the prompt's texts are still edited and served.
    data: { widget: { ...fresh.widget, auto: true }, consent: { ...defaultConsentSettings, mode: 'implied' } },
  });
  expect(patched.status(), await patched.text()).toBe(200);
  site = ((await patched.json()) as { site: Site }).site;
});

const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: false });

async function dashboard(browser: Browser, device: typeof desktop | typeof phone, language = 'en') {
  const context = await browser.newContext(device);
  await login(context.request);
  await context.addInitScript((chosen) => localStorage.setItem('beckon.dashboard.language', chosen), language);
  return { context, page: await context.newPage() };
}

/** The language tabs of one editor, by the tab list's name. */
const tabs = (page: Page, name: string) => page.getByRole('tablist', { name });

test('an admin writes the chat, feedback, consent and trigger texts in Latvian; a Latvian browser is sent them', async ({
  browser,
}, testInfo) => {
  const { context, page } = await dashboard(browser, desktop);
  try {
    // Chat settings: greeting and auto-reply.
    await page.goto(`/app/sites/${site.key}/chat`);
    const chatTabs = tabs(page, 'Language of the greeting and auto-reply');
    await expect(chatTabs.getByRole('tab', { selected: true })).toContainText('English');
    await chatTabs.getByRole('tab', { name: 'Latviešu' }).click();
    const greeting = page.getByRole('textbox', { name: 'Greeting', exact: true });
    // An empty field shows the default text it falls back to.
    await expect(greeting).toHaveValue('');
    await expect(greeting).toHaveAttribute('placeholder', site.chat.greeting);
    await greeting.fill(latvian.greeting);
    await page.getByRole('textbox', { name: /^Auto-reply/ }).fill(latvian.autoReply);
    const preview = page.getByRole('group', { name: 'Auto-reply preview' });
    await expect(preview).toContainText(latvian.autoReply.replace('{minutes}', String(site.chat.expectedReplyMinutes)));
    await shot(page, testInfo, 'chat-texts-lv-desktop');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Saved. Open chats use the new settings right away.')).toBeVisible(slow);
    await expect(
      chatTabs.getByRole('tab', { name: /Latviešu/ }).getByRole('img', { name: 'Has its own texts' }),
    ).toBeVisible();
    // The default language's tab still edits the defaults.
    await chatTabs.getByRole('tab', { name: /English/ }).click();
    await expect(greeting).toHaveValue(site.chat.greeting);

    // Feedback: the NPS question.
    await page.goto(`/app/sites/${site.key}/feedback`);
    await tabs(page, 'Language of the questions').getByRole('tab', { name: 'Latviešu' }).click();
    await page.getByRole('textbox', { name: 'NPS question' }).fill(latvian.npsQuestion);
    await page.getByRole('button', { name: 'Save feedback settings' }).click();
    await expect(page.getByText('Saved', { exact: true })).toBeVisible(slow);

    // Privacy: the consent prompt's title.
    await page.goto(`/app/sites/${site.key}/privacy`);
    await tabs(page, 'Language of the prompt').getByRole('tab', { name: 'Latviešu' }).click();
    await page.getByRole('textbox', { name: 'Title', exact: true }).fill(latvian.promptTitle);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(tabs(page, 'Language of the prompt').getByRole('img', { name: 'Has its own texts' })).toBeVisible(
      slow,
    );

    // Triggers: a new callback trigger whose line is in Latvian as well.
    await page.goto(`/app/sites/${site.key}/triggers`);
    const form = page.locator('form').filter({ has: page.getByRole('heading', { name: 'New trigger' }) });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Pricing, Latvian line');
    const triggerTabs = tabs(page, 'Language of the message');
    await triggerTabs.getByRole('tab', { name: 'Latviešu' }).click();
    const message = form.getByRole('textbox', { name: /line|greeting/i });
    await expect(message).toHaveValue('');
    await message.fill(latvian.trigger);
    await expect(form.getByRole('group', { name: 'Message preview' })).toContainText(latvian.trigger);
    await expect(form.getByRole('group', { name: 'Message preview' })).toContainText('Visitors reading Latviešu see');
    await shot(page, testInfo, 'trigger-message-lv-desktop');
    await form.getByRole('button', { name: 'Add trigger' }).click();
    await expect(page.getByRole('table')).toContainText('Also in: Latviešu', slow);

    // What a Latvian browser's widget is sent: its own texts, the others' fall back.
    const config = (await (
      await context.request.get(`/v1/sites/${site.key}/config`, { headers: { 'accept-language': 'lv-LV,lv' } })
    ).json()) as PublicSiteConfig;
    expect(config.widget.language).toBe('lv');
    expect(config.feedback.npsQuestion).toBe(latvian.npsQuestion);
    expect(config.consent.prompt.texts.title).toBe(latvian.promptTitle);
    expect(config.consent.prompt.texts.body).toBe(site.consent.prompt.texts.body);
    expect(config.triggers?.map((trigger) => trigger.action.message)).toContain(latvian.trigger);
  } finally {
    await context.close();
  }
});

/**
 * The chat's greeting and auto-reply follow the widget's language. On the demo site and its own page:
 * a shop page rewritten by the test (as the editor test's site would need) is refused its WebSocket by
 * Chromium's local-network checks, so the chat would never connect. The page picks Latvian itself with
 * `Beckon('language', 'lv')`; the demo site's chat settings are put back afterwards.
 */
test('a Latvian visitor is greeted and auto-answered in Latvian by the chat', async ({
  browser,
  request,
}, testInfo) => {
  const me = await login(request);
  const headers = { 'x-csrf-token': me.csrfToken };
  const demo = demoSite(me);
  const saved = await request.patch(`/api/sites/${demo.id}`, {
    headers,
    data: {
      chat: { ...demo.chat, translations: { lv: { greeting: latvian.greeting, autoReply: latvian.autoReply } } },
    },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  // This admin online in the dashboard, so the visitor can chat (not the leave-a-message form).
  const { context, page } = await dashboard(browser, desktop);
  const visitor = await browser.newContext(phone);
  try {
    await page.goto(`/app/sites/${demo.key}/inbox`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible(slow);
    const shop = await visitor.newPage();
    await shop.goto(`${shopOrigin}/demo/`);
    const widget = shop.locator('beckon-widget');
    await expect(widget.getByRole('button', { name: demo.widget.launcherLabel })).toBeVisible(slow);
    await shop.evaluate(() => (window as unknown as { Beckon(...args: unknown[]): void }).Beckon('language', 'lv'));
    // Latvian texts of the panel: the widget's own close label.
    const lv = demo.widget.translations?.lv;
    await widget.getByRole('button', { name: lv?.launcherLabel ?? demo.widget.launcherLabel }).click();
    await expect(widget.getByRole('dialog').getByRole('button', { name: 'Aizvērt' })).toBeVisible(slow);
    await widget.getByRole('button', { name: lv?.chat ?? demo.widget.texts.chat }).click();
    const chat = widget.getByRole('dialog');
    await expect(chat).toContainText(latvian.greeting, slow);
    await expect(chat).not.toContainText(demo.chat.greeting);
    const composer = chat.getByRole('textbox').last();
    await composer.fill(`Vai piegādājat uz Rīgu? ${Date.now()}`);
    await composer.press('Enter');
    await expect(chat).toContainText(
      latvian.autoReply.replace('{minutes}', String(demo.chat.expectedReplyMinutes)),
      slow,
    );
    await shop.screenshot({ path: testInfo.outputPath('visitor-chat-lv-phone.png') });
  } finally {
    await visitor.close();
    await context.close();
    await request.patch(`/api/sites/${demo.id}`, { headers, data: { chat: demo.chat } });
  }
});

/** The editors' tabs and hints in the new languages, on a desktop and a phone (screenshots looked at). */
for (const language of ['si', 'lv', 'hy', 'uz', 'am', 'ru'] as const) {
  const names = {
    si: 'සුබපැතුම සහ ස්වයංක්‍රීය පිළිතුරේ භාෂාව',
    lv: 'Sveiciena un automātiskās atbildes valoda',
    hy: 'Ողջույնի և ավտոպատասխանի լեզուն',
    uz: 'Salomlashuv va avtojavob tili',
    am: 'የሰላምታው እና የራስ-ሰር ምላሹ ቋንቋ',
    ru: 'Язык приветствия и автоответа',
  } as const;
  for (const [device, options] of [
    ['desktop', desktop],
    ['phone', phone],
  ] as const) {
    test(`chat text tabs in ${language} on a ${device}`, async ({ browser }, testInfo) => {
      const { context, page } = await dashboard(browser, options, language);
      try {
        await page.goto(`/app/sites/${site.key}/chat`);
        const list = tabs(page, names[language]);
        await list.scrollIntoViewIfNeeded();
        await expect(list.getByRole('tab')).toHaveCount(10);
        await list.getByRole('tab', { name: /සිංහල/ }).click();
        await expect(page.locator('textarea[lang="si"]')).toHaveCount(2);
        await page.locator('textarea[lang="si"]').first().scrollIntoViewIfNeeded();
        await shot(page, testInfo, `chat-tabs-${language}-${device}`);
      } finally {
        await context.close();
      }
    });
  }
}
