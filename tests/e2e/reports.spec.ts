import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test, type APIRequestContext, type Browser, type Page, type TestInfo } from '@playwright/test';
import type { CallbackOptions, FunnelReport, LeadList, OverviewReport, Site } from '@beckon/sdk/protocol';
import { login } from './support/api.js';
import { expectNoSeriousViolations } from './support/axe.js';
import { admin, baseURL, repoRoot } from './support/env.js';

/**
 * Reports (issue 19) end to end, on a site of their own so no other spec's visitors move the numbers:
 * visitors arrive (one from a Google Ads campaign), leave callbacks and feedback through the public API,
 * an agent marks one lead lost with a reason (the new picker) and wins the other, an admin enters the
 * campaign's spend. Once the rollups have caught up (they fold raw changes that are a minute old, every
 * 30 s), every report shows the numbers this fixture implies, each table exports as CSV, axe finds nothing
 * serious, and every report is screenshot on a desktop and a phone.
 */

const timezoneId = 'Europe/Riga';
const desktop = { viewport: { width: 1280, height: 800 }, timezoneId };
const phone = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
  timezoneId,
};

/** Today's calendar day in the agent's zone, and the days of its month. */
function calendar(now = new Date()) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: timezoneId }).format(now);
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  return { month: today.slice(0, 7), day, daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate() };
}

const browserAgent =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const visitor = (name: string) => `${name}${Date.now().toString(36)}`.padEnd(10, 'x');

async function send(request: APIRequestContext, path: string, data: unknown) {
  const response = await request.post(path, {
    // A browser's user agent: the collector drops what looks like a bot (Playwright's own does).
    headers: { origin: baseURL, 'content-type': 'application/json', 'user-agent': browserAgent },
    data,
  });
  expect(response.status(), `${path}: ${await response.text()}`).toBeLessThan(300);
  return response;
}

/** A visit (so the visitor has a source), as the tracker reports it. */
async function visit(request: APIRequestContext, site: Site, visitorId: string, landing: string) {
  await send(request, '/v1/collect', {
    site: site.key,
    visitorId,
    sessionId: `${visitorId}s`,
    events: [{ type: 'pageview', id: `${visitorId}e1`, ts: Date.now(), url: landing, title: 'Winter tyres' }],
    context: {
      landingUrl: landing,
      utm: { source: 'google', medium: 'cpc', campaign: 'winter' },
    },
    consent: { analytics: true, marketing: true },
  });
}

/**
 * The fixture: 6 inquiries (2 callbacks, 4 feedback answers), 2 from the Google campaign, 3 leads (the two
 * callers and the promoter, whose answer came with a visitor id). The callbacks are booked for the first free
 * slot (nobody is on call in a fresh site), so they are not due yet.
 */
async function seed(request: APIRequestContext, site: Site) {
  const fromAds = visitor('ads');
  const promoter = visitor('promo');
  await visit(request, site, fromAds, `${baseURL}/shop/tyres?utm_source=google&utm_medium=cpc&utm_campaign=winter`);
  await visit(request, site, promoter, `${baseURL}/shop/?utm_source=google&utm_medium=cpc&utm_campaign=winter`);
  const base = { site: site.key, formMs: 8000 };
  const options = (await (await request.get(`/v1/sites/${site.key}/callback-options`)).json()) as CallbackOptions;
  const at = options.slots[0]!.at;
  await send(request, '/v1/callbacks', { ...base, phone: '+37120000001', name: 'Ilze Ads', visitorId: fromAds, at });
  await send(request, '/v1/callbacks', { ...base, phone: '+37120000002', name: 'Janis Direct', at });
  await send(request, '/v1/feedback', {
    ...base,
    kind: 'nps',
    score: 10,
    text: 'Quick and friendly',
    visitorId: promoter,
  });
  await send(request, '/v1/feedback', { ...base, kind: 'nps', score: 9 });
  await send(request, '/v1/feedback', { ...base, kind: 'nps', score: 3, text: 'Nobody called me back' });
  await send(request, '/v1/feedback', { ...base, kind: 'csat', score: 5 });
}

async function signIn(browser: Browser, options: typeof desktop | typeof phone): Promise<Page> {
  const context = await browser.newContext(options);
  const response = await context.request.post('/api/auth/login', { data: admin });
  expect(response.status()).toBe(200);
  return context.newPage();
}

const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });

/** Clicks a table's CSV export and returns the file's name and text. */
async function exportCsv(page: Page, table: string) {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: `Export “${table}” as CSV` }).click();
  const file = await download;
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path!, 'utf8') };
}

// The rollups' minute of settling, seven reports on two screen sizes with axe: minutes on a loaded machine.
test.describe.configure({ mode: 'serial', timeout: 600_000 });

/** The site the first test seeds and checks; the phone walk reads the same reports. */
let seededSite: Site | undefined;

test('every report shows what the fixture implies, exports CSV and passes axe on a desktop', async ({
  browser,
  request,
}, testInfo) => {
  const me = await login(request);
  const csrf = { 'x-csrf-token': me.csrfToken };
  const created = await request.post('/api/sites', {
    data: { name: 'Tyre shop', allowedOrigins: [baseURL], template: 'shop' },
    headers: csrf,
  });
  expect(created.status(), await created.text()).toBe(201);
  const { site } = (await created.json()) as { site: Site };
  await seed(request, site);
  seededSite = site;

  const page = await signIn(browser, desktop);
  const reports = `/app/sites/${site.key}/reports`;
  // The reports' own tabs (the sidebar has a Feedback link too).
  const tabs = page.getByRole('navigation', { name: 'Reports' });

  // The lost-reason picker: marking a lead lost asks why; "other" would ask for words.
  const leads = (await (await request.get(`/api/leads?siteId=${site.id}`)).json()) as LeadList;
  expect(leads.leads).toHaveLength(3);
  const direct = leads.leads.find((lead) => lead.phone === '+37120000002')!;
  const ads = leads.leads.find((lead) => lead.phone === '+37120000001')!;
  await page.goto(`/app/sites/${site.key}/leads/${direct.id}`);
  await page.getByRole('combobox', { name: 'Status' }).selectOption('lost');
  const reason = page.getByRole('combobox', { name: 'Why was it lost?' });
  await expect(reason).toBeVisible();
  await reason.selectOption('other');
  await expect(page.getByRole('textbox', { name: 'The reason, in a few words' })).toBeVisible();
  await reason.selectOption('price');
  await expect(page.getByRole('textbox', { name: 'The reason, in a few words' })).toHaveCount(0);
  await shot(page, testInfo, 'lead-lost-reason');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  const won = await request.patch(`/api/leads/${ads.id}`, {
    data: { status: 'won', assigneeId: me.agent.id },
    headers: csrf,
  });
  expect(won.status(), await won.text()).toBe(200);

  // Spend: the campaign cost 2 a day this month, so the month's share so far is 2 × today's day, and the
  // cost per inquiry of its 2 inquiries is today's day of the month (exact, whatever the date).
  const { month, day, daysInMonth } = calendar();
  await page.goto(`${reports}/cost?range=this-month`);
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  const spend = page.getByRole('region', { name: 'Spend on Tyre shop' });
  await spend.getByLabel('Month').fill(month);
  await spend.getByLabel('Source').fill('google');
  await spend.getByLabel('Campaign (optional)').fill('winter');
  await spend.getByLabel('Amount').fill(String(2 * daysInMonth));
  await spend.getByLabel('Currency').fill('EUR');
  await spend.getByRole('button', { name: 'Save spend' }).click();
  await expect(spend.getByRole('status').filter({ hasText: 'Spend saved.' })).toBeVisible();
  await expect(page.getByTestId('spend-entries')).toContainText('google / winter');

  // The rollups fold changes a minute old, every 30 s: wait until the last change (the won lead) is in.
  const query = `siteId=${site.id}&from=${month}-01&to=${month}-${String(day).padStart(2, '0')}&tz=${timezoneId}`;
  await expect
    .poll(
      async () => {
        const funnel = (await (await request.get(`/api/reports/funnel?${query}`)).json()) as FunnelReport;
        const overview = (await (await request.get(`/api/reports/overview?${query}`)).json()) as OverviewReport;
        return [overview.total, funnel.stages.find((stage) => stage.stage === 'won')?.count];
      },
      { timeout: 180_000, intervals: [5_000] },
    )
    .toEqual([6, 1]);

  // Overview: 6 inquiries, 4 through the feedback form and 2 callbacks; 2 from google / cpc / winter.
  await page.goto(`${reports}/overview?range=this-month`);
  await expect(tabs.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText(`days in ${timezoneId.replace('_', ' ')}`)).toBeVisible();
  await expect(page.getByTestId('overview-total')).toHaveText('6');
  const channels = page.getByTestId('overview-channels');
  await expect(channels.getByRole('row', { name: /^Feedback form/ })).toContainText('4');
  await expect(channels.getByRole('row', { name: /^Callback/ })).toContainText('2');
  await expect(channels.getByRole('row', { name: /^Total/ })).toContainText('6');
  const sources = page.getByTestId('overview-sources');
  await expect(sources.getByRole('row', { name: /google \/ cpc \/ winter/ })).toContainText('2');
  await expect(page.locator('.rp-chart-canvas canvas').first()).toBeVisible();
  const csv = await exportCsv(page, 'By channel');
  expect(csv.name).toMatch(/^beckon-overview-by-channel-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(csv.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('Channel,Inquiries,Share,Previous period,Change');
  expect(csv.text).toContain('\r\ncallback,2,');
  expect(csv.text).toContain('\r\nform,4,');
  expect(csv.text).toContain('\r\ntotal,6,');
  await shot(page, testInfo, 'reports-overview-desktop');
  if (process.env.BECKON_README_SCREENSHOT) {
    // The README's picture (docs/reports.png): the top of the Overview, as a manager first sees it.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(repoRoot, 'docs/reports.png') });
  }
  await expectNoSeriousViolations(page, testInfo, 'reports-overview', { include: 'main' });

  // Speed & SLA: two callbacks asked for now, not yet due, nothing overdue; no chats, so nothing missed.
  await tabs.getByRole('link', { name: 'Speed & SLA' }).click();
  await expect(page.getByTestId('speed-missed')).toHaveText('0');
  await expect(page.getByText('0 on time · 0 overdue · 2 not due yet')).toBeVisible();
  await expect(page.getByTestId('speed-overdue')).toContainText('No callback missed its deadline in this period.');
  await expect(page.getByRole('table').filter({ hasText: 'Mon' }).first()).toBeVisible();
  await expect(page.getByTestId('heatmap-uncovered')).toContainText('inquir');
  await shot(page, testInfo, 'reports-speed-desktop');
  await expectNoSeriousViolations(page, testInfo, 'reports-speed', { include: 'main' });

  // Agents: the admin holds the won lead (the lost one is nobody's): 100 % conversion.
  await tabs.getByRole('link', { name: 'Agents' }).click();
  const agents = page.getByTestId('agents-table');
  await expect(agents.getByRole('row', { name: /^Admin/ })).toContainText('100%');
  const agentsCsv = await exportCsv(page, 'Agents');
  expect(agentsCsv.text.split('\r\n')[0]).toContain('Agent,Chats,Callbacks,Leads owned');
  await shot(page, testInfo, 'reports-agents-desktop');
  await expectNoSeriousViolations(page, testInfo, 'reports-agents', { include: 'main' });

  // Leads & funnel: 3 new leads, 1 won, 1 lost for the price.
  await tabs.getByRole('link', { name: 'Leads & funnel' }).click();
  await expect(page.getByTestId('funnel-leads')).toHaveText('3');
  await expect(page.getByTestId('funnel-won')).toHaveText('1');
  await expect(page.getByTestId('funnel-lost-reasons').getByRole('row', { name: /^Price too high/ })).toContainText(
    '1',
  );
  const reasonsCsv = await exportCsv(page, 'Lost reasons');
  expect(reasonsCsv.text).toContain('\r\nprice,1,1\r\n');
  await shot(page, testInfo, 'reports-funnel-desktop');
  await expectNoSeriousViolations(page, testInfo, 'reports-funnel', { include: 'main' });

  // Cost per inquiry: 2 × today's day spent, 2 inquiries from the campaign.
  await tabs.getByRole('link', { name: 'Cost per inquiry' }).click();
  const euros = (value: number) => new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(value);
  await expect(page.getByTestId('cost-per-inquiry')).toHaveText(euros(day));
  await expect(page.getByTestId('cost-table').getByRole('row', { name: /^google \/ winter/ })).toContainText(
    euros(2 * day),
  );
  await shot(page, testInfo, 'reports-cost-desktop');
  await expectNoSeriousViolations(page, testInfo, 'reports-cost', { include: 'main' });

  // Feedback: NPS from 10, 9 and 3 is (2 − 1) / 3 = +33; CSAT 5.0 from one answer; the comments.
  await tabs.getByRole('link', { name: 'Feedback' }).click();
  await expect(page.getByTestId('feedback-nps')).toHaveText('+33');
  await expect(page.getByTestId('feedback-csat')).toHaveText('5.0');
  await expect(page.getByTestId('feedback-comments')).toContainText('Nobody called me back');
  await expect(page.getByTestId('feedback-comments')).toContainText('Quick and friendly');
  await shot(page, testInfo, 'reports-feedback-desktop');
  await expectNoSeriousViolations(page, testInfo, 'reports-feedback', { include: 'main' });

  // Triggers & invitations: this site showed none.
  await tabs.getByRole('link', { name: 'Triggers & invitations' }).click();
  await expect(page.getByTestId('triggers-shown')).toHaveText('0');
  await expect(page.getByText('No trigger or invitation was shown in this period.')).toBeVisible();
  await shot(page, testInfo, 'reports-triggers-desktop');
  await expectNoSeriousViolations(page, testInfo, 'reports-triggers', { include: 'main' });

  // The digest choice is saved on the admin.
  await page.getByRole('combobox', { name: 'Email digest' }).selectOption('weekly');
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  const digest = (await (await request.get('/api/reports/digest')).json()) as { frequency: string; tz: string };
  expect(digest).toEqual({ frequency: 'weekly', tz: timezoneId });
  await page.context().close();
});

test('on a phone every report reads without sideways scrolling of the page, and passes axe', async ({
  browser,
}, testInfo) => {
  test.skip(!seededSite, 'needs the site the desktop walk seeded');
  const reports = `/app/sites/${seededSite!.key}/reports`;
  // Its tabs and wide tables scroll sideways inside themselves; the page itself must not.
  const small = await signIn(browser, phone);
  for (const [id, check] of [
    ['overview', 'overview-total'],
    ['speed', 'speed-missed'],
    ['agents', 'agents-table'],
    ['leads', 'funnel-leads'],
    ['cost', 'cost-per-inquiry'],
    ['feedback', 'feedback-nps'],
    ['triggers', 'triggers-shown'],
  ] as const) {
    await small.goto(`${reports}/${id}?range=this-month`);
    await expect(small.getByTestId(check)).toBeVisible();
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${id} is wider than the phone`).toBeLessThanOrEqual(0);
    await shot(small, testInfo, `reports-${id}-phone`);
  }
  await expectNoSeriousViolations(small, testInfo, 'reports-phone', { include: 'main' });
  await small.context().close();
});

test('the Reports page is its own chunk: the first dashboard load does not fetch it or uPlot', async ({ browser }) => {
  const page = await signIn(browser, desktop);
  const scripts: string[] = [];
  page.on('request', (request) => request.resourceType() === 'script' && scripts.push(new URL(request.url()).pathname));
  await page.goto('/app/');
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Reports' })).toBeVisible();
  expect(scripts.filter((path) => /page-reports|uPlot/.test(path))).toEqual([]);
  await page.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  await expect.poll(() => scripts.some((path) => /page-reports/.test(path))).toBe(true);
  await page.context().close();
});
