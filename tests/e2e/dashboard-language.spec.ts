import { chromium, devices, expect, test, type Page, type TestInfo } from '@playwright/test';
import type { Me, PublicSiteConfig } from '@beckon/sdk/protocol';
import { desktop, startChat, uniqueMarker, visitorChat } from './support/chat.js';
import { shopFor, siteInMode } from './support/consent.js';
import { baseURL } from './support/env.js';

/**
 * The dashboard in the agent's language, end to end. A Sinhala-speaking agent (browser set to si-LK) of a
 * site of its own signs in and answers a chat in Sinhala; switches to Latvian in the top bar's language menu,
 * and the choice is stored on the agent (a reload and another browser open in Latvian). Screenshots of the
 * inbox in every non-English language at desktop and phone widths are kept in the test's output folder.
 */

/** The inbox heading, the composer's label and the conversation region's name in each language (the catalogues' words). */
const words = {
  ru: { inbox: 'Входящие', language: 'Язык' },
  lv: { inbox: 'Iesūtne', language: 'Valoda' },
  hy: { inbox: 'Մուտքային', language: 'Լեզու' },
  uz: { inbox: 'Kiruvchi', language: 'Til' },
  am: { inbox: 'የገቢ መልእክት ሳጥን', language: 'ቋንቋ' },
  si: { inbox: 'එන ලිපි', language: 'භාෂාව' },
} as const;
type Locale = keyof typeof words;

const laptop = { width: 1280, height: 800 };
const phoneSize = { width: 390, height: 844 };

const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`) });

test('a Sinhala-speaking agent works the inbox in Sinhala, switches to Latvian, and the choice follows them', async ({
  browser,
  request,
}, testInfo) => {
  // Long: six languages at two widths, and a busy CI machine makes each step slow.
  test.setTimeout(300_000);
  const marker = uniqueMarker();
  const { site, headers } = await siteInMode(request, 'implied', `Test site: language ${marker}`);
  const email = `sunil-${marker}@example.test`;
  const password = 'sinhala password 1';
  const invite = await request.post('/api/agents/invites', {
    headers,
    data: { email, name: `Sunil ${marker}`, siteIds: [site.id] },
  });
  expect(invite.status(), await invite.text()).toBe(201);
  const { acceptUrl } = (await invite.json()) as { acceptUrl: string };

  const agentContext = await browser.newContext({ viewport: laptop, locale: 'si-LK' });
  const accepted = await agentContext.request.post('/api/invites/accept', {
    data: { token: new URL(acceptUrl, baseURL).searchParams.get('token'), password },
  });
  expect(accepted.status(), await accepted.text()).toBe(200);
  expect(((await accepted.json()) as Me).language).toBeNull();
  await agentContext.clearCookies();

  // Signed out, the sign-in page already speaks the browser's language.
  const page = await agentContext.newPage();
  await page.goto('/app/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'si');
  await expect(page.getByRole('heading', { name: 'පුරනය වන්න' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: words.si.language })).toHaveValue('si');
  await shot(page, testInfo, 'login-si');
  await page.getByLabel('ඊමේල්').fill(email);
  await page.getByLabel('මුරපදය').fill(password);
  await page.getByRole('button', { name: 'පුරනය වන්න' }).click();

  // The shell and the inbox in Sinhala.
  const list = page.getByRole('region', { name: 'කතාබස්' });
  await expect(list.getByRole('heading', { name: words.si.inbox })).toBeVisible();
  await expect(
    page.getByRole('complementary', { name: 'සංචාලනය' }).getByRole('link', { name: words.si.inbox }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'වරන්න' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/^\s*සජීවී\s*$/);

  // A visitor writes (a browser of its own: see routing.spec.ts for why without Local Network Access checks).
  const configResponse = await request.get(`/v1/sites/${site.key}/config`);
  const config = (await configResponse.json()) as PublicSiteConfig;
  const launch = testInfo.project.use.launchOptions ?? {};
  const visitorBrowser = await chromium.launch({
    ...launch,
    args: [...(launch.args ?? []), '--disable-features=LocalNetworkAccessChecks'],
  });
  const visitorContext = await visitorBrowser.newContext({
    baseURL,
    userAgent: devices['Desktop Chrome'].userAgent,
    viewport: desktop.viewport,
  });
  try {
    const shop = await visitorContext.newPage();
    await shopFor(shop, site.key);
    await shop.goto('/demo/');
    const visitor = visitorChat(shop, config);
    await startChat(visitor, config);
    const visitorName = `Nimal ${marker}`;
    await visitor.chat.getByLabel('Name').fill(visitorName);
    await visitor.send(`Do you deliver to Kandy? ${marker}`);

    await list.getByRole('link').filter({ hasText: visitorName }).click();
    const view = page.getByRole('region', { name: `${visitorName} සමඟ කතාබහ` });
    await expect(view.getByRole('log')).toContainText(`Do you deliver to Kandy? ${marker}`);
    // Another agent (the admin) may have been given the chat: take it.
    const take = view.getByRole('button', { name: 'භාර ගන්න' });
    if (await take.isVisible()) await take.click();
    const composer = view.getByRole('textbox', { name: 'අමුත්තාට පිළිතුර' });
    await composer.fill(`ඔව්, අපි මහනුවරට බෙදා හරිනවා. ${marker}`);
    await composer.press('Enter');
    await expect(composer).toHaveValue('');
    await expect(view.getByText('ඔබට පවරා ඇත')).toBeVisible();
    await expect(visitor.bubble(`ඔව්, අපි මහනුවරට බෙදා හරිනවා. ${marker}`)).toBeVisible();
    await expect(view.locator('.msg-out .msg-meta').last()).toContainText(/යැවුණි|කියවා ඇත/);

    // Latvian from the menu: every page switches at once, and the choice is saved on the agent.
    const saved = page.waitForResponse(
      (response) => response.url().endsWith('/api/me') && response.request().method() === 'PATCH',
    );
    await page.getByRole('combobox', { name: words.si.language }).selectOption('lv');
    expect((await saved).status()).toBe(200);
    await expect(
      list.or(page.getByRole('region', { name: 'Sarunas' })).getByRole('heading', { name: words.lv.inbox }),
    ).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'lv');
    await expect(
      page
        .getByRole('region', { name: `Saruna ar ${visitorName}` })
        .getByRole('textbox', { name: 'Atbilde apmeklētājam' }),
    ).toBeVisible();
    await page.reload();
    await expect(
      page.getByRole('region', { name: 'Sarunas' }).getByRole('heading', { name: words.lv.inbox }),
    ).toBeVisible();

    // Server-side, not this browser's memory: a fresh browser that prefers Sinhala opens in Latvian after sign-in.
    const other = await browser.newContext({ viewport: laptop, locale: 'si-LK' });
    try {
      const otherPage = await other.newPage();
      await otherPage.goto('/app/');
      await expect(otherPage.getByRole('heading', { name: 'පුරනය වන්න' })).toBeVisible();
      await otherPage.getByLabel('ඊමේල්').fill(email);
      await otherPage.getByLabel('මුරපදය').fill(password);
      await otherPage.getByRole('button', { name: 'පුරනය වන්න' }).click();
      await expect(
        otherPage.getByRole('region', { name: 'Sarunas' }).getByRole('heading', { name: words.lv.inbox }),
      ).toBeVisible();
      await expect(otherPage.locator('html')).toHaveAttribute('lang', 'lv');
    } finally {
      await other.close();
    }

    // The inbox in each language, a conversation open, at a laptop's and a phone's width. The agent
    // switches with the conversation on screen (no reload), as they would.
    let current: Locale = 'lv';
    for (const locale of Object.keys(words) as Locale[]) {
      await page.setViewportSize(laptop);
      await page.getByRole('combobox', { name: words[current].language }).selectOption(locale);
      current = locale;
      await expect(page.locator('html')).toHaveAttribute('lang', locale);
      await expect(page.getByRole('heading', { name: words[locale].inbox, level: 1 })).toBeVisible();
      await expect(page.getByRole('log')).toContainText(marker);
      await shot(page, testInfo, `inbox-${locale}-desktop`);
      await page.setViewportSize(phoneSize);
      await expect(page.getByRole('log')).toBeVisible();
      await shot(page, testInfo, `inbox-${locale}-phone-conversation`);
      await page.locator('.conv-back').click();
      await expect(page.getByRole('heading', { name: words[locale].inbox, level: 1 })).toBeVisible();
      await shot(page, testInfo, `inbox-${locale}-phone-list`);
      // Nothing in the top bar is pushed out of a phone's width.
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${locale}: the page is wider than the phone`).toBeLessThanOrEqual(0);
      // Nor at a tablet's widths, with the drawer (700) and beside the sidebar (880): Armenian and Russian
      // pushed the sign-out button out there.
      for (const width of [700, 880]) {
        await page.setViewportSize({ width, height: phoneSize.height });
        const wider = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(wider, `${locale}: the page is wider than ${width} px`).toBeLessThanOrEqual(0);
      }
      await page.setViewportSize(phoneSize);
      await page.getByRole('link').filter({ hasText: visitorName }).click();
      await expect(page.getByRole('log')).toContainText(marker);
    }
    // On a phone the menu is in the drawer.
    await page.locator('.menu-button').click();
    await expect(page.getByRole('combobox', { name: words[current].language })).toBeVisible();
    await shot(page, testInfo, `drawer-${current}-phone`);
    await page.getByRole('combobox', { name: words[current].language }).selectOption('si');
    await expect(page.locator('html')).toHaveAttribute('lang', 'si');
    await page.setViewportSize(laptop);
    await expect(page.getByRole('heading', { name: words.si.inbox, level: 1 })).toBeVisible();
  } finally {
    await visitorBrowser.close();
    await agentContext.close();
  }
});
