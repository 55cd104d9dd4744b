import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { login } from './support/api.js';
import { baseURL, demoSiteKey } from './support/env.js';

/**
 * The Leads, Visitors, Callbacks and Scoring pages in other languages: the language chosen on this
 * browser (`beckon.dashboard.language`, what the language menu stores) is the one the pages speak, with
 * their headings, table headers and buttons translated and none of the English ones left over.
 * Screenshots of each page land in the test output (desktop 1280 px, and a phone for Russian).
 */
test.describe.configure({ timeout: 180_000 });

const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

interface PageCheck {
  path: string;
  /** The page's h1 in the language. */
  heading: string;
  /** Other labels that must show (headers, buttons, section titles). */
  labels: string[];
  /** English texts of the page's main labels that must not remain. */
  english: string[];
}

const pages: Record<'ru' | 'hy', Record<'leads' | 'visitors' | 'callbacks' | 'scoring', PageCheck>> = {
  ru: {
    leads: {
      path: 'leads',
      heading: 'Лиды',
      labels: ['Экспорт CSV', 'Последний контакт', 'Очередь звонков'],
      english: ['Export CSV', 'Last touch', 'Any temperature', 'Callback queue', 'Assigned to me'],
    },
    visitors: {
      path: 'visitors',
      heading: 'Посетители',
      labels: ['Сейчас на сайте', 'Горячие лиды', 'Последние просмотры'],
      english: ['On the site now', 'Hot leads', 'Recent pageviews', 'Scoring rules', 'Referrer'],
    },
    callbacks: {
      path: 'callbacks',
      heading: 'Обратные звонки',
      labels: ['Недавно завершённые', 'Настройки обратных звонков', 'Сохранить настройки звонков'],
      english: ['Recently finished', 'Callback settings', 'Promised call time', 'Save callback settings'],
    },
    scoring: {
      path: 'scoring',
      heading: 'Оценка лидов',
      labels: ['Правила', 'Добавить правило', 'Обучение на итогах'],
      english: ['Add rule', 'Learn from outcomes', 'Half-life', 'Save and rescore'],
    },
  },
  hy: {
    leads: {
      path: 'leads',
      heading: 'Լիդեր',
      labels: ['Արտահանել CSV', 'Վերջին կապը', 'Հետզանգերի հերթ'],
      english: ['Export CSV', 'Last touch', 'Any temperature', 'Callback queue', 'Assigned to me'],
    },
    visitors: {
      path: 'visitors',
      heading: 'Այցելուներ',
      labels: ['Հիմա կայքում', 'Տաք լիդեր', 'Վերջին դիտումները'],
      english: ['On the site now', 'Hot leads', 'Recent pageviews', 'Scoring rules', 'Referrer'],
    },
    callbacks: {
      path: 'callbacks',
      heading: 'Հետզանգեր',
      labels: ['Վերջերս ավարտված', 'Հետզանգի կարգավորումներ', 'Պահպանել հետզանգի կարգավորումները'],
      english: ['Recently finished', 'Callback settings', 'Promised call time', 'Save callback settings'],
    },
    scoring: {
      path: 'scoring',
      heading: 'Գնահատում',
      labels: ['Կանոններ', 'Ավելացնել կանոն', 'Սովորել արդյունքներից'],
      english: ['Add rule', 'Learn from outcomes', 'Half-life', 'Save and rescore'],
    },
  },
};

/** A lead (feedback with an email) and a visitor with pageviews, so the tables have rows to translate. */
async function seed(request: APIRequestContext, marker: string) {
  const feedback = await request.post('/v1/feedback', {
    headers: { origin: baseURL, 'content-type': 'application/json' },
    data: {
      site: demoSiteKey,
      kind: 'message',
      text: 'Do you ship to Yerevan?',
      email: `${marker}@example.com`,
      formMs: 8000,
    },
  });
  expect(feedback.status(), await feedback.text()).toBeLessThan(300);
  const now = Date.now();
  const visitorId = `${marker}_visitor`;
  const events = ['/demo/', '/demo/pricing.html'].map((path, k) => ({
    id: `${visitorId}_e${k}`,
    type: 'pageview',
    ts: now - 30_000 + k * 1000,
    url: `${baseURL}${path}`,
  }));
  const collected = await request.post('/v1/collect', {
    headers: { origin: baseURL, 'content-type': 'text/plain', 'user-agent': chrome },
    data: JSON.stringify({ site: demoSiteKey, visitorId, sessionId: `${visitorId}_s`, events }),
  });
  expect(collected.status(), await collected.text()).toBe(200);
}

async function openIn(browser: Browser, language: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'en-US' });
  await login(context.request);
  await context.addInitScript((chosen) => localStorage.setItem('beckon.dashboard.language', chosen), language);
  return context.newPage();
}

test.beforeAll(async ({ request }) => {
  await seed(request, `lang${Date.now().toString(36)}`);
});

for (const language of ['ru', 'hy'] as const) {
  test(`the Leads, Visitors, Callbacks and Scoring pages speak ${language}`, async ({ browser }, testInfo) => {
    const page = await openIn(browser, language);
    for (const [name, check] of Object.entries(pages[language])) {
      await page.goto(`/app/sites/${demoSiteKey}/${check.path}`);
      await expect(page.getByRole('heading', { level: 1, name: check.heading, exact: true })).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      for (const label of check.labels) await expect(page.getByText(label).first()).toBeVisible();
      const main = page.locator('main');
      for (const english of check.english)
        await expect(main.getByText(english, { exact: true }), `"${english}" left in English on ${name}`).toHaveCount(
          0,
        );
      await page.screenshot({ path: testInfo.outputPath(`${name}-${language}-desktop.png`), fullPage: true });
    }
    await page.context().close();
  });
}

test('plural counts and table headers follow the language; nothing is wider than a phone', async ({
  browser,
}, testInfo) => {
  const page = await openIn(browser, 'ru', { width: 390, height: 844 });
  await page.goto(`/app/sites/${demoSiteKey}/leads`);
  // "1 лид", "2 лида", "5 лидов": the Russian plural form for the count, never the English "leads".
  await expect(page.getByRole('status').filter({ hasText: /^\d+ лид(а|ов)?/ })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('columnheader', { name: 'Статус' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('leads-ru-phone.png'), fullPage: true });
  for (const path of ['leads', 'visitors', 'callbacks', 'scoring']) {
    await page.goto(`/app/sites/${demoSiteKey}/${path}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      `${path} is wider than the phone`,
    ).toBeLessThanOrEqual(390);
  }
  await page.context().close();
});
