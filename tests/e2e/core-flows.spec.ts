import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import type { PublicSiteConfig, Site } from '@beckon/sdk/protocol';
import { login } from './support/api.js';
import { desktop, newAgent, newVisitor, phone, shopOrigin, startChat, uniqueMarker } from './support/chat.js';
import { consentPrompt, shopFor, siteInMode } from './support/consent.js';
import { baseURL, demoSiteKey } from './support/env.js';
import { demoConfig } from './support/widget.js';

/**
 * Core flows a first user hits (issue 15): a trigger's message, the New-site dialog's typed origin,
 * pre-consent visitors, the callback countdown across pages, the composer's Note mode, dates in the
 * agent's time zone. Each view they change is also photographed at desktop (1280) and phone (390) width.
 */

const wide = { viewport: { width: 1280, height: 860 } };
const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`) });

let config: PublicSiteConfig;
test.beforeAll(async ({ request }) => {
  config = await demoConfig(request);
});

/** A dashboard page of the seeded admin at the given size, with its live socket up. */
async function dashboard(browser: Browser, path: string, size: typeof wide | typeof phone = wide, timezoneId?: string) {
  const context = await browser.newContext({ ...size, ...(timezoneId ? { timezoneId } : {}) });
  await login(context.request);
  const page = await context.newPage();
  await page.goto(`/app/sites/${path}`);
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/^\s*live\s*$/i);
  return { context, page };
}

test('a "time on page" trigger shows its message in the chat on a desktop, and as a bubble to tap on a phone', async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(60_000);
  const { site, headers } = await siteInMode(request, 'implied', 'Test site: proactive chat message');
  const message = `Need help choosing a size? ${uniqueMarker()}`;
  const created = await request.post(`/api/sites/${site.id}/triggers`, {
    headers,
    data: {
      name: 'Two seconds in',
      conditions: { timeOnPage: 2 },
      action: { kind: 'chat', message },
      frequency: { kind: 'session' },
    },
  });
  expect(created.status(), await created.text()).toBe(201);

  for (const [device, size] of [
    ['desktop', wide],
    ['phone', phone],
  ] as const) {
    const context = await browser.newContext(size);
    const page = await context.newPage();
    try {
      await shopFor(page, site.key);
      await page.goto(`${baseURL}/demo/`);
      const widget = page.locator('beckon-widget');
      if (device === 'desktop') {
        // The chat opens on its own with the trigger's words, where the site greeting would be. (A page
        // served through a Playwright route cannot open the chat's WebSocket to the local server, so the
        // chat stays "Connecting…" here; the words do not wait for it.)
        const proactive = widget.locator('.bk-proactive');
        await expect(proactive.locator('.bk-bubble')).toHaveText(message, { timeout: 15_000 });
        await expect(proactive.locator('.bk-from')).toHaveText(site.name);
        await shot(page, testInfo, 'trigger-message-desktop');
      } else {
        // A phone: no panel over the whole screen, a bubble above the launcher the visitor may tap.
        const teaser = widget.locator('.bk-teaser');
        await expect(teaser).toContainText(message, { timeout: 15_000 });
        await expect(widget.getByRole('dialog')).toHaveCount(0);
        await shot(page, testInfo, 'trigger-teaser-phone');
        await teaser.getByRole('button', { name: new RegExp(message.slice(0, 20)) }).click();
        await expect(widget.getByRole('dialog').locator('.bk-proactive .bk-bubble')).toHaveText(message);
        await shot(page, testInfo, 'trigger-chat-phone');
      }
    } finally {
      await context.close();
    }
  }
});

test('the callback countdown stays on screen after the panel is closed and on the next page, until the call', async ({
  browser,
}, testInfo) => {
  test.setTimeout(90_000);
  // "Call me now" is offered while an agent is online.
  const agent = await newAgent(browser);
  const last = String(Math.floor(Math.random() * 9000) + 1000);
  const visitor = await newVisitor(browser, config);
  try {
    const host = visitor.page.locator('beckon-widget');
    await host.getByRole('button', { name: config.widget.launcherLabel }).click();
    await host.getByRole('button', { name: config.widget.texts.callback }).click();
    const form = host.getByRole('dialog', { name: config.widget.texts.callback });
    await expect(form.getByLabel('Phone number')).toBeVisible();
    // The country picker fits a phone: a compact "US +1", the full names in its list.
    await expect(host.locator('.bk-ccv')).toHaveText('US +1');
    await shot(visitor.page, testInfo, 'callback-form-phone');
    await form.getByLabel('Phone number').fill(`(415) 555-${last}`);
    await visitor.page.waitForTimeout(3200); // the server refuses forms sent faster than 3 s
    await form.getByRole('button', { name: 'Call me now' }).click();
    await expect(form.getByRole('status')).toContainText(/We will call you in \d+ s/);

    await form.getByRole('button', { name: 'Close' }).first().click();
    const bubble = host.locator('.bk-cb-bubble');
    await expect(bubble).toContainText(/We will call you in \d+ s/);
    await shot(visitor.page, testInfo, 'callback-bubble-phone');

    await visitor.page.goto(new URL('/demo/pricing.html', shopOrigin).href);
    await expect(bubble).toContainText(/We will call you in \d+ s/);
    await shot(visitor.page, testInfo, 'callback-bubble-next-page-phone');

    // The agent calls: the bubble says so, on this page too.
    const queue = await agent.context.newPage();
    await queue.goto(`/app/sites/${demoSiteKey}/callbacks`);
    const row = queue.getByTestId('callback-row').filter({ hasText: `+1 415 555 ${last}` });
    // No name given: the number shows once (the link to call), and the person's page is one click away.
    await expect(row.getByText(`+1 415 555 ${last}`, { exact: true })).toHaveCount(1);
    await expect(row.getByRole('link', { name: 'Person page' })).toBeVisible();
    await row.getByRole('button', { name: "I'm calling" }).click();
    await expect(bubble).toContainText(/is calling you now/, { timeout: 10_000 });
    // A tap opens the callback view with the same state.
    await bubble.locator('.bk-teaser-body').click();
    await expect(host.getByRole('dialog', { name: config.widget.texts.callback }).getByRole('status')).toContainText(
      /is calling you now/,
    );
  } finally {
    await Promise.all([agent.context.close(), visitor.context.close()]);
  }
});

test('New site adds an origin typed without pressing Add, and refuses to close on one that is not an origin', async ({
  browser,
  request,
}, testInfo) => {
  const { context, page } = await dashboard(browser, `${demoSiteKey}/install`);
  try {
    await shot(page, testInfo, 'install-desktop');
    await expect(page.getByText('shows up on the Visitors page')).toBeVisible();
    await page
      .getByRole('button', { name: /Demo shop/ })
      .first()
      .click();
    await page.getByRole('menuitem', { name: 'New site' }).click();
    const dialog = page.getByRole('dialog', { name: 'New site' });
    const name = `Test site: typed origin ${uniqueMarker()}`;
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('textbox', { name: 'Add an origin' }).fill('ftp://files.example');
    await dialog.getByRole('button', { name: 'Create site' }).click();
    await expect(dialog.getByRole('alert')).toContainText('Only http:// and https:// origins');
    await expect(dialog).toBeVisible();
    await shot(page, testInfo, 'new-site-refused-desktop');

    await dialog.getByRole('textbox', { name: 'Add an origin' }).fill('shop.typed.example/cart');
    await dialog.getByRole('button', { name: 'Create site' }).click();
    await expect(dialog).toBeHidden();
    await login(request);
    const sites = ((await (await request.get('/api/sites')).json()) as { sites: Site[] }).sites;
    expect(sites.find((site) => site.name === name)?.allowedOrigins).toEqual(['https://shop.typed.example']);
  } finally {
    await context.close();
  }
});

test('a pre-consent visitor is labelled, cannot be invited, and is one row once they choose "Analytics only"', async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(60_000);
  const { site } = await siteInMode(request, 'required', 'Test site: pre-consent visitors');
  const agent = await dashboard(browser, `${site.key}/visitors`);
  const visitorContext = await browser.newContext(desktop);
  const visitor = await visitorContext.newPage();
  try {
    await shopFor(visitor, site.key);
    await visitor.goto(`${baseURL}/demo/pricing.html`);
    const prompt = consentPrompt(visitor);
    await expect(prompt).toBeVisible();

    const rows = agent.page.locator('tr.visitor-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Anonymous visitor');
    await expect(rows.first()).toContainText('No consent yet');
    await expect(rows.first().getByRole('button', { name: /Invite/ })).toHaveCount(0);
    await shot(agent.page, testInfo, 'visitors-pre-consent-desktop');

    await prompt.getByRole('button', { name: 'Analytics only' }).click();
    await expect(rows.filter({ hasText: 'No consent yet' })).toHaveCount(0);
    await expect(rows).toHaveCount(1);
    await expect(rows.first().getByRole('button', { name: /Invite .* to chat/ })).toBeVisible();
    // And after a reload of the page, still one.
    await agent.page.reload();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).not.toContainText('No consent yet');
    await shot(agent.page, testInfo, 'visitors-after-consent-desktop');
  } finally {
    await Promise.all([agent.context.close(), visitorContext.close()]);
  }
});

test('after a note the composer is back on Reply', async ({ browser }, testInfo) => {
  test.setTimeout(60_000);
  const agent = await newAgent(browser);
  const visitor = await newVisitor(browser, config);
  try {
    await startChat(visitor.visitor, config);
    const marker = uniqueMarker();
    await visitor.visitor.send(`Hello ${marker}`);
    await agent.agent.row(`Hello ${marker}`).first().click();
    const view = agent.page.getByRole('region', { name: /^Conversation with/ });
    await view.getByRole('button', { name: 'Note' }).click();
    const note = view.getByRole('textbox', { name: 'Internal note' });
    await note.fill(`Check stock ${marker}`);
    await note.press('Enter');
    await expect(view.getByRole('textbox', { name: 'Reply to the visitor' })).toBeVisible();
    await expect(agent.page.getByRole('complementary', { name: 'Visitor details' })).toContainText(/Here now/);
    await shot(agent.page, testInfo, 'inbox-after-note-desktop');
  } finally {
    await Promise.all([agent.context.close(), visitor.context.close()]);
  }
});

test("a booked callback's time reads in the agent's time zone on Leads, the lead and the queue", async ({
  browser,
  request,
}, testInfo) => {
  test.setTimeout(60_000);
  const options = await (
    await request.get(`/v1/sites/${demoSiteKey}/callback-options`, { headers: { origin: shopOrigin } })
  ).json();
  const at: string | undefined = options.slots?.[0]?.at;
  test.skip(!at, 'the demo site offers no slot right now');
  const last = String(Math.floor(Math.random() * 9000) + 1000);
  const booked = await request.post('/v1/callbacks', {
    headers: { origin: shopOrigin, 'content-type': 'text/plain' },
    data: JSON.stringify({
      site: demoSiteKey,
      phone: `+1415555${last}`,
      name: 'Tess Timezone',
      at,
      formMs: 5000,
      website: '',
      timeZone: 'Europe/London',
    }),
  });
  expect(booked.status(), await booked.text()).toBe(201);
  const shown = new Date(at!).toLocaleString('en-US', {
    timeZone: 'Asia/Tokyo',
    dateStyle: 'medium',
    timeStyle: 'short',
  });

  for (const [device, size] of [
    ['desktop', wide],
    ['phone', phone],
  ] as const) {
    const { context, page } = await dashboard(browser, `${demoSiteKey}/leads`, size, 'Asia/Tokyo');
    try {
      // The list's "Last touch" column (phones hide it, and show it on the lead).
      if (device === 'desktop')
        await expect(
          page.locator('.lead-touch').filter({ hasText: `Asked to be called on +1 415 555 ${last} at ${shown}` }),
        ).toBeVisible();
      await expect(page.getByText(/\d{4}-\d\d-\d\dT\d\d:\d\d/)).toHaveCount(0);
      await shot(page, testInfo, `leads-${device}`);
      // The lead's own link (the row also links to the person page).
      await page.locator('a.lead-link', { hasText: 'Tess Timezone' }).first().click();
      await expect(page.getByText(`Asked to be called on +1 415 555 ${last} at ${shown}`).first()).toBeVisible();
      // And in the visitor's own clock, labelled (the agent is in Tokyo, the visitor in London).
      await expect(page.getByText(/for the visitor \(Europe\/London\)/).first()).toBeVisible();
      await expect(page.getByText(/\d{4}-\d\d-\d\dT\d\d:\d\d/)).toHaveCount(0);
      await shot(page, testInfo, `lead-${device}`);
      await page.goto(`/app/sites/${demoSiteKey}/callbacks`);
      await expect(page.getByTestId('callback-row').filter({ hasText: `+1 415 555 ${last}` })).toContainText(
        `Booked for ${shown}`,
      );
      await shot(page, testInfo, `callbacks-${device}`);
    } finally {
      await context.close();
    }
  }
});

test('pages changed for issue 15 at desktop and phone width', async ({ browser }, testInfo) => {
  // Ten pages with screenshots in one test: more than the default 30 s on a busy 2-core machine.
  test.setTimeout(90_000);
  for (const [device, size] of [
    ['desktop', wide],
    ['phone', phone],
  ] as const) {
    const { context, page } = await dashboard(browser, `${demoSiteKey}/audiences`, size);
    try {
      await expect(page.getByRole('heading', { name: 'Audiences', level: 1 })).toBeVisible();
      await shot(page, testInfo, `audiences-${device}`);
      await page.goto(`/app/sites/${demoSiteKey}/routing`);
      await expect(page.getByRole('heading', { name: /Routing/, level: 1 })).toBeVisible();
      // A rule's form (not saved): its selects must show their whole choice.
      await page.getByRole('button', { name: 'Add rule' }).click();
      await shot(page, testInfo, `routing-${device}`);
      await page.getByRole('button', { name: 'Add rule' }).scrollIntoViewIfNeeded();
      await page
        .locator('.routing-rule')
        .last()
        .screenshot({ path: testInfo.outputPath(`routing-rule-${device}.png`) });
      await page.goto(`/app/sites/${demoSiteKey}/visitors`);
      await shot(page, testInfo, `visitors-${device}`);
      await page.goto(`/app/sites/${demoSiteKey}/install`);
      await shot(page, testInfo, `install-${device}`);
    } finally {
      await context.close();
    }
  }
});
