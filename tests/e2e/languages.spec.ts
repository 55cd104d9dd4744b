import {
  devices,
  expect,
  test,
  type APIRequestContext,
  type Browser,
  type Page,
  type TestInfo,
} from '@playwright/test';
import type { Site, WidgetLanguage } from '@beckon/sdk/protocol';
import { login } from './support/api.js';
import { desktop, phone, shopOrigin } from './support/chat.js';
import { defaultConsentSettings } from '@beckon/sdk/protocol';

/**
 * A fresh site in consent mode `implied` (no prompt in the way) whose widget the demo shop shows, served
 * from `shopOrigin` (127.0.0.1: Chromium's local-network checks refuse the chat's WebSocket from a
 * `localhost` page).
 */
async function languageSite(
  request: APIRequestContext,
  name: `Test site: ${string}`,
  patch: (site: Site) => Partial<Site>,
) {
  const { csrfToken } = await login(request);
  const headers = { 'x-csrf-token': csrfToken };
  const created = await request.post('/api/sites', { headers, data: { name, allowedOrigins: [shopOrigin] } });
  expect(created.status(), await created.text()).toBe(201);
  const { site } = (await created.json()) as { site: Site };
  const patched = await request.patch(`/api/sites/${site.id}`, {
    headers,
    data: { consent: { ...defaultConsentSettings, mode: 'implied' }, ...patch(site) },
  });
  expect(patched.status(), await patched.text()).toBe(200);
  return ((await patched.json()) as { site: Site }).site;
}

/** The demo shop's pages with `data-site` pointing at `siteKey`. */
async function shopFor(page: Page, siteKey: string) {
  await page.route(`${shopOrigin}/demo/**`, async (route) => {
    const response = await route.fetch();
    if (!(response.headers()['content-type'] ?? '').includes('text/html')) return route.fulfill({ response });
    await route.fulfill({
      response,
      body: (await response.text()).replace('data-site="demo"', `data-site="${siteKey}"`),
    });
  });
}

/**
 * The widget in the visitor's language (issue 20): an `auto` site with texts in every new language,
 * visitors whose browsers prefer those languages, and `Beckon('language', tag)` at run time. Screenshots
 * of each language on a desktop and a phone; Armenian, Ethiopic and Sinhala must show real glyphs.
 */

const texts: Record<
  'lv' | 'hy' | 'uz' | 'am' | 'si',
  { launcherLabel: string; title: string; greeting: string; chat: string; callback: string; feedback: string }
> = {
  lv: {
    launcherLabel: 'Raksti mums',
    title: 'Sveiki! 👋',
    greeting: 'Jautājumi par pasūtījumu vai preci? Esam šeit, lai palīdzētu.',
    chat: 'Sākt tērzēšanu',
    callback: 'Atzvaniet man',
    feedback: 'Atstāt atsauksmi',
  },
  hy: {
    launcherLabel: 'Գրեք մեզ',
    title: 'Բարև ձեզ 👋',
    greeting: 'Հարցեր պատվերի կամ ապրանքի մասի՞ն։ Մենք այստեղ ենք օգնելու։',
    chat: 'Սկսել զրույց',
    callback: 'Զանգահարեք ինձ',
    feedback: 'Թողնել կարծիք',
  },
  uz: {
    launcherLabel: 'Bizga yozing',
    title: 'Salom 👋',
    greeting: 'Buyurtma yoki mahsulot haqida savolingiz bormi? Yordam berishga tayyormiz.',
    chat: 'Chatni boshlash',
    callback: 'Menga qoʻngʻiroq qiling',
    feedback: 'Fikr qoldirish',
  },
  am: {
    launcherLabel: 'ያነጋግሩን',
    title: 'ሰላም 👋',
    greeting: 'ስለ ትዕዛዝ ወይም ምርት ጥያቄ አለዎት? ልንረዳዎ ዝግጁ ነን።',
    chat: 'ውይይት ይጀምሩ',
    callback: 'መልሰው ይደውሉልኝ',
    feedback: 'አስተያየት ይስጡ',
  },
  si: {
    launcherLabel: 'අපට ලියන්න',
    title: 'ආයුබෝවන් 👋',
    greeting: 'ඇණවුමක් හෝ භාණ්ඩයක් ගැන ප්‍රශ්න තිබේද? අපි උදව් කිරීමට සූදානම්.',
    chat: 'කතාබස අරඹන්න',
    callback: 'මට නැවත අමතන්න',
    feedback: 'අදහසක් දෙන්න',
  },
};
const locales: Record<keyof typeof texts, string> = { lv: 'lv-LV', hy: 'hy-AM', uz: 'uz-UZ', am: 'am-ET', si: 'si-LK' };
/** A few of the widget's own words per language, as the visitor must see them. */
const own: Record<keyof typeof texts, { close: string; phone: string; sendFeedback: string }> = {
  lv: { close: 'Aizvērt', phone: 'Tālruņa numurs', sendFeedback: 'Nosūtīt atsauksmi' },
  hy: { close: 'Փակել', phone: 'Հեռախոսահամար', sendFeedback: 'Ուղարկել կարծիքը' },
  uz: { close: 'Yopish', phone: 'Telefon raqami', sendFeedback: 'Fikrni yuborish' },
  am: { close: 'ዝጋ', phone: 'ስልክ ቁጥር', sendFeedback: 'አስተያየት ላክ' },
  si: { close: 'වසන්න', phone: 'දුරකථන අංකය', sendFeedback: 'අදහස යවන්න' },
};

let site: Site;

// Two cores shared by many: the chat's socket and the forms' chunks can take a while to arrive.
test.describe.configure({ timeout: 120_000 });
const slow = { timeout: 30_000 };

test.beforeAll(async ({ request }) => {
  site = await languageSite(request, 'Test site: languages', (created) => ({
    widget: { ...created.widget, auto: true, translations: texts },
    feedback: {
      ...created.feedback,
      translations: { lv: { npsQuestion: 'Cik ticams, ka jūs mūs ieteiktu draugam vai kolēģim?' } },
    },
  }));
});

const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`) });

/** A visitor whose browser prefers `locale`, on the demo shop wired to the test site. */
async function visitor(browser: Browser, locale: string, device: typeof desktop | typeof phone) {
  // The shop page is served through page.route, so Chromium cannot tell it is local and would hold the chat's
  // WebSocket to 127.0.0.1 behind its local-network permission: granted here, as a visitor of a local site would.
  const context = await browser.newContext({
    ...device,
    locale,
    userAgent: devices['Desktop Chrome'].userAgent,
    permissions: ['local-network-access'],
  });
  const page = await context.newPage();
  await shopFor(page, site.key);
  await page.goto(`${shopOrigin}/demo/`);
  return { context, page, widget: page.locator('beckon-widget') };
}

test('a visitor whose browser prefers Latvian sees the whole widget in Latvian on an auto site', async ({
  browser,
}, testInfo) => {
  const lv = texts.lv;
  const { context, page, widget } = await visitor(browser, 'lv-LV', desktop);
  try {
    await widget.getByRole('button', { name: lv.launcherLabel }).click();
    const home = widget.getByRole('dialog', { name: lv.title });
    await expect(home).toContainText(lv.greeting);
    await expect(home.getByRole('button', { name: 'Aizvērt' })).toBeVisible();
    await shot(page, testInfo, 'lv-home-desktop');

    // Chat: its own words — the status line while it connects, then online/away or the leave-a-message form.
    // (On the shared e2e machine the fresh site's socket may still be connecting: "Savieno…" is Latvian too.)
    await home.getByRole('button', { name: lv.chat }).click();
    const chat = widget.getByRole('dialog');
    await expect(chat.getByRole('button', { name: 'Atpakaļ' })).toBeVisible();
    await expect(
      chat
        .getByText(/^(Savieno…|Tiešsaistē|Parastais atbildes laiks: .+|Šobrīd neesam pieejami|Šobrīd slēgts)$/)
        .first(),
    ).toBeVisible(slow);
    await expect(chat.getByRole('button', { name: 'Aizvērt' })).toBeVisible();
    await shot(page, testInfo, 'lv-chat-desktop');
    await chat.getByRole('button', { name: 'Atpakaļ' }).click();

    // Callback: the form's words.
    await home.getByRole('button', { name: lv.callback }).click();
    const callback = widget.getByRole('dialog', { name: lv.callback });
    await expect(callback.getByLabel('Tālruņa numurs')).toBeVisible(slow);
    await expect(callback).toContainText(/Atstājiet savu numuru/);
    await shot(page, testInfo, 'lv-callback-desktop');
    await callback.getByRole('button', { name: 'Atpakaļ' }).click();

    // Feedback: the site's question in Latvian, the form's own words in Latvian.
    await home.getByRole('button', { name: lv.feedback }).click();
    const feedback = widget.getByRole('dialog', { name: lv.feedback });
    await expect(
      feedback.getByRole('group', { name: 'Cik ticams, ka jūs mūs ieteiktu draugam vai kolēģim?' }),
    ).toBeVisible(slow);
    await expect(feedback.getByText('Maz ticams')).toBeVisible();
    await feedback.getByRole('button', { name: 'Nosūtīt atsauksmi' }).click();
    await expect(feedback.getByText('Lūdzu, izvēlieties vērtējumu.')).toBeVisible();
    await shot(page, testInfo, 'lv-feedback-desktop');
    // Nothing English is left in the panel (product names aside).
    // biome-ignore lint/performance/useDomNodeTextContent: the text a person sees (innerText skips hidden nodes) is what must not be English.
    expect(await feedback.innerText()).not.toMatch(/\b(Send|Close|Back|Please|Not likely)\b/);
  } finally {
    await context.close();
  }
});

for (const language of Object.keys(texts) as (keyof typeof texts)[]) {
  for (const [device, options] of [
    ['desktop', desktop],
    ['phone', phone],
  ] as const) {
    test(`${language} on a ${device}: launcher, panel and callback form in ${locales[language]}`, async ({
      browser,
    }, testInfo) => {
      const words = texts[language];
      const { context, page, widget } = await visitor(browser, locales[language], options);
      try {
        const launcher = widget.getByRole('button', { name: words.launcherLabel });
        await expect(launcher).toBeVisible();
        await shot(page, testInfo, `${language}-launcher-${device}`);
        await launcher.click();
        const home = widget.getByRole('dialog', { name: words.title });
        await expect(home).toContainText(words.greeting);
        await expect(home.getByRole('button', { name: own[language].close })).toBeVisible();
        // The layer says which language it speaks (screen readers, font fallback).
        expect(await widget.evaluate((host) => host.shadowRoot!.querySelector('.bk-layer')!.getAttribute('lang'))).toBe(
          language,
        );
        await shot(page, testInfo, `${language}-home-${device}`);
        await home.getByRole('button', { name: words.callback }).click();
        const callback = widget.getByRole('dialog', { name: words.callback });
        await expect(callback.getByLabel(own[language].phone)).toBeVisible(slow);
        await shot(page, testInfo, `${language}-callback-${device}`);
      } finally {
        await context.close();
      }
    });
  }
}

test('Beckon("language", tag) switches the widget at run time', async ({ browser }, testInfo) => {
  const { context, page, widget } = await visitor(browser, 'lv-LV', desktop);
  try {
    await expect(widget.getByRole('button', { name: texts.lv.launcherLabel })).toBeVisible();
    await page.evaluate(() => (window as unknown as { Beckon(...args: unknown[]): void }).Beckon('language', 'si'));
    const launcher = widget.getByRole('button', { name: texts.si.launcherLabel });
    await expect(launcher).toBeVisible();
    await launcher.click();
    const home = widget.getByRole('dialog', { name: texts.si.title });
    await expect(home.getByRole('button', { name: own.si.close })).toBeVisible();
    // With the panel open: the chat's and the forms' words follow too.
    await page.evaluate(() => (window as unknown as { Beckon(...args: unknown[]): void }).Beckon('language', 'hy-AM'));
    await expect(widget.getByRole('dialog', { name: texts.hy.title })).toBeVisible();
    await widget.getByRole('button', { name: texts.hy.feedback }).click();
    const feedback = widget.getByRole('dialog', { name: texts.hy.feedback });
    await expect(feedback.getByRole('button', { name: own.hy.sendFeedback })).toBeVisible();
    await page.evaluate(() => (window as unknown as { Beckon(...args: unknown[]): void }).Beckon('language', 'am'));
    await expect(
      widget.getByRole('dialog', { name: texts.am.feedback }).getByRole('button', { name: own.am.sendFeedback }),
    ).toBeVisible();
    await shot(page, testInfo, 'switched-am-feedback-desktop');
  } finally {
    await context.close();
  }
});

test('a fixed-language site speaks its own language to a Latvian browser', async ({ browser, request }) => {
  const fixed = await languageSite(request, 'Test site: languages fixed', (created) => ({
    widget: { ...created.widget, language: 'ru' as WidgetLanguage, launcherLabel: 'Напишите нам' },
  }));
  const context = await browser.newContext({
    ...desktop,
    locale: 'lv-LV',
    userAgent: devices['Desktop Chrome'].userAgent,
  });
  const page = await context.newPage();
  try {
    await shopFor(page, fixed.key);
    await page.goto(`${shopOrigin}/demo/`);
    await page.locator('beckon-widget').getByRole('button', { name: 'Напишите нам' }).click();
    await expect(page.locator('beckon-widget').getByRole('button', { name: 'Закрыть' })).toBeVisible();
  } finally {
    await context.close();
  }
});
