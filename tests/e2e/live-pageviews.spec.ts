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
