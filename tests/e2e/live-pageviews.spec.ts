import { devices, expect, test } from '@playwright/test';
import { endlessAnimations } from './support/animations.js';
import { admin, demoSiteKey } from './support/env.js';

test('a pageview on the demo shop appears on the Visitors page without a reload; neither page animates forever', async ({
  page,
  browser,
}, testInfo) => {
  await page.goto('/app/');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: /^(sign|log) in$/i }).click();

  await page.getByRole('navigation').getByRole('link', { name: 'Visitors', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/app/sites/${demoSiteKey}/visitors$`));
  await expect(page.getByRole('heading', { name: 'Visitors', exact: true })).toBeVisible();
  // The socket is connected before the visitor arrives (the connection status in the top bar says so).
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/^\s*(live|streaming)\s*$/i);
  // The status pings a few times when the socket connects, then rests: nothing on a tab an agent keeps
  // open all day animates forever (a spinner runs only until the page's data is in).
  await expect.poll(() => endlessAnimations(page)).toEqual([]);
  // Anything the Visitors page shows from here on came over the socket, not from a reload.
  await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'same document'));

  const marker = `e2e${Date.now().toString(36)}`;
  const path = `/demo/pricing.html?ref=${marker}`;
  // A desktop browser's user agent: headless Chromium's own says "HeadlessChrome", which is dropped as a bot.
  const visitor = await browser.newContext({ userAgent: devices['Desktop Chrome'].userAgent });
  try {
    const shop = await visitor.newPage();
    await shop.goto(path);
    await expect(shop.locator('beckon-widget')).toHaveCount(1);
    await expect.poll(() => endlessAnimations(shop)).toEqual([]);

    const row = page
      .getByRole('table', { name: /recent pageviews/i })
      .getByRole('row')
      .filter({ hasText: path });
    await expect(row).toHaveCount(1, { timeout: 5_000 });
    await expect(row).toBeVisible();
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same document');
    await page.screenshot({ path: testInfo.outputPath('dashboard-live.png'), fullPage: true });
  } finally {
    await visitor.close();
  }
});

test('a tab gets the pageview stream only while it shows the Visitors page', async ({ page, browser }) => {
  // What the server sends this tab over its `/agent` WebSocket (socket.io text frames).
  const frames: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => void (typeof payload === 'string' && frames.push(payload))),
  );
  const streamed = () => frames.filter((frame) => frame.includes('"pageviews:new"')).join('\n');
  await page.goto('/app/');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: /^(sign|log) in$/i }).click();
  const inbox = page.getByRole('navigation').getByRole('link', { name: 'Inbox', exact: true });
  await inbox.click();
  await expect(page).toHaveURL(new RegExp(`/app/sites/${demoSiteKey}/inbox`));
  await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/^\s*(live|streaming)\s*$/i);
  const { sites } = await (await page.request.get('/api/sites')).json();
  const siteId = sites.find((site: { key: string }) => site.key === demoSiteKey).id;
  const visitor = await browser.newContext({ userAgent: devices['Desktop Chrome'].userAgent });
  const marker = `watch${Date.now().toString(36)}`;
  /** A visitor opens the page; resolves once its pageview is stored (a push would leave within 20 ms of that). */
  const visit = async (ref: string) => {
    const shop = await visitor.newPage();
    await shop.goto(`/demo/pricing.html?ref=${ref}`);
    await expect
      .poll(async () => {
        const { pageviews } = await (await page.request.get(`/api/sites/${siteId}/pageviews?limit=50`)).json();
        return pageviews.some((pageview: { url: string }) => pageview.url.includes(ref));
      })
      .toBe(true);
    await shop.close();
  };
  try {
    // In the Inbox: the pageview is stored, and this tab is sent nothing of it.
    await visit(`${marker}a`);
    await page.waitForTimeout(500);
    expect(streamed()).toBe('');

    // On the Visitors page: the earlier pageview is read, the next one arrives over the socket.
    await page.getByRole('navigation').getByRole('link', { name: 'Visitors', exact: true }).click();
    const table = page.getByRole('table', { name: /recent pageviews/i });
    await expect(table.getByRole('row').filter({ hasText: `${marker}a` })).toHaveCount(1);
    await visit(`${marker}b`);
    await expect(table.getByRole('row').filter({ hasText: `${marker}b` })).toHaveCount(1);
    expect(streamed()).toContain(`${marker}b`);

    // Back in the Inbox: the stream stops again.
    await inbox.click();
    await expect(page.getByRole('heading', { name: 'Inbox' })).toBeVisible();
    await visit(`${marker}c`);
    await page.waitForTimeout(500);
    expect(streamed()).not.toContain(`${marker}c`);
  } finally {
    await visitor.close();
  }
});
