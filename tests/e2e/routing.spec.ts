import { chromium, devices, expect, test } from '@playwright/test';
import type { PublicSiteConfig } from '@beckon/sdk/protocol';
import { expectNoSeriousViolations } from './support/axe.js';
import { agentInbox, desktop, phone, startChat, uniqueMarker, visitorChat } from './support/chat.js';
import { shopFor, siteInMode } from './support/consent.js';
import { admin, baseURL } from './support/env.js';

/**
 * Routing end to end, on a site of its own: an admin groups an agent into a "Sales" team and routes hot
 * leads to it on the Routing page; a visitor browses pricing, adds to cart and identifies, turns hot on the
 * Visitors page (with the reasons), starts a chat — and the chat lands with the Sales agent, not with the
 * admin who is online too, with the rule's name in the conversation view.
 */
test('an admin routes hot leads to a team; a visitor who turns hot is chatted with by that team', async ({
  page,
  browser,
  request,
}, testInfo) => {
  test.setTimeout(90_000);
  const marker = uniqueMarker();
  const { site, headers } = await siteInMode(request, 'implied', `Test site: routing ${marker}`);

  // A sales agent of this site, signed in and online in their own browser.
  const invite = await request.post('/api/agents/invites', {
    headers,
    data: { email: `sales-${marker}@example.test`, name: `Sam Sales ${marker}`, siteIds: [site.id] },
  });
  expect(invite.status(), await invite.text()).toBe(201);
  const { acceptUrl } = (await invite.json()) as { acceptUrl: string };
  const salesContext = await browser.newContext(desktop);
  const accepted = await salesContext.request.post('/api/invites/accept', {
    data: { token: new URL(acceptUrl, baseURL).searchParams.get('token'), password: 'sales password 1' },
  });
  expect(accepted.status(), await accepted.text()).toBe(200);
  const salesPage = await salesContext.newPage();
  await salesPage.goto(`/app/sites/${site.key}/inbox`);
  await expect(salesPage.getByRole('banner').getByRole('status')).toHaveText(/^\s*live\s*$/i);

  // The admin (online too) sets up the team and the rule in the dashboard.
  await page.setViewportSize(desktop.viewport);
  await page.goto('/app/');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: /^(sign|log) in$/i }).click();
  await expect(page).toHaveURL(/\/inbox$/);
  await page.goto(`/app/sites/${site.key}/routing`);
  await expect(page.getByRole('heading', { name: 'Routing', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'New team' }).click();
  await page.getByLabel('Team name').fill('Sales');
  await page.getByRole('checkbox', { name: new RegExp(`Sam Sales ${marker}`) }).check();
  await page.getByRole('button', { name: 'Create team' }).click();
  const teams = page.getByRole('region', { name: 'Teams' });
  await expect(teams.getByRole('listitem').filter({ hasText: 'Sales' })).toContainText(`Sam Sales ${marker}`);

  await page.getByRole('button', { name: 'Add rule' }).click();
  await page.getByLabel('Name of rule 1').fill('Hot leads → Sales');
  await page.getByRole('checkbox', { name: 'hot' }).check();
  await page.getByLabel('Send to').selectOption({ label: 'Sales' });
  await page.getByLabel('Among its online agents').selectOption('least_busy');
  await page.getByRole('button', { name: 'Save routing' }).click();
  await expect(page.getByRole('alert').or(page.getByRole('status')).filter({ hasText: 'Saved.' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('routing-desktop.png'), fullPage: true });
  await expectNoSeriousViolations(page, testInfo, 'routing page', { include: 'main' });
  await page.setViewportSize(phone.viewport);
  await page.reload();
  await expect(page.getByLabel('Name of rule 1')).toHaveValue('Hot leads → Sales');
  await page.screenshot({ path: testInfo.outputPath('routing-phone.png'), fullPage: true });
  await page.setViewportSize(desktop.viewport);

  // The admin watches the site's Visitors page.
  await page.goto(`/app/sites/${site.key}/visitors`);
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/^\s*live\s*$/i);

  // The shop's pages are rewritten for this site (shopFor), and Chromium treats a page a test fulfilled as
  // public, whose Local Network Access checks then block its socket to the local server: the visitor's
  // browser runs without them, as the shop and server of a real site are on the same network class.
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
    await shop.goto(`/demo/pricing.html?ref=${marker}`);
    await expect(shop.locator('beckon-widget')).toHaveCount(1);
    await shop.goto('/demo/product.html');
    const email = `${marker}@example.test`;
    await shop.evaluate(
      ({ email }) => {
        const beckon = (window as unknown as { Beckon: (...args: unknown[]) => void }).Beckon;
        beckon('track', 'add-to-cart', { sku: 'teapot' });
        beckon('identify', { email, phone: '+44 20 7946 0000', name: 'Hannah Hot' });
      },
      { email },
    );

    // Hot on the Visitors page, with the reasons.
    const visitorsTable = page.getByRole('table', { name: /visitors on the site now/i });
    const hotRow = visitorsTable.getByRole('row').filter({ hasText: email });
    const badge = hotRow.getByRole('button', { name: /^hot lead/i });
    await expect(badge).toBeVisible({ timeout: 15_000 });
    await expect(badge).toHaveAccessibleName(/Added to cart \+20.*Pricing page \+15/);

    // The hot visitor starts a chat: routed to Sales (Sam), not to the admin.
    const config = (await (await request.get(`/v1/sites/${site.key}/config`)).json()) as PublicSiteConfig;
    const visitor = visitorChat(shop, config);
    await startChat(visitor, config);
    await visitor.send(`Can I get a quote? ${marker}`);
    // That message opened the chat: the site's auto-reply comes back in its ack and shows once, after it.
    const autoReply = visitor.log.locator('.bk-bubble').filter({ hasText: /We usually answer within \d+ minutes/ });
    await expect(autoReply).toHaveCount(1);
    expect((await visitor.log.locator('.bk-bubble').allInnerTexts()).at(-1)).toMatch(/We usually answer/);

    const sales = agentInbox(salesPage);
    await salesPage.goto(`/app/sites/${site.key}/inbox`);
    const row = sales.list.getByRole('link').filter({ hasText: marker });
    await expect(row).toHaveCount(1, { timeout: 15_000 });
    await row.click();
    const view = salesPage.getByRole('region', { name: /^Conversation with / });
    await expect(view).toContainText('Assigned to you');
    await expect(view.getByTestId('conversation-routing')).toHaveText('Routed by “Hot leads → Sales” · least busy');
    await salesPage.screenshot({ path: testInfo.outputPath('routed-conversation.png') });
  } finally {
    await visitorBrowser.close();
    await salesContext.close();
  }
});
