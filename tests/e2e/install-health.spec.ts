import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { demoSite, login } from './support/api.js';
import { desktop } from './support/chat.js';
import { demoSiteKey } from './support/env.js';

const shot = (page: Page, testInfo: TestInfo, name: string) =>
  page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
const headlessChrome =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36';

test('the Install page shows origins the site refused, allows one in a click, and counts events dropped as bots', async ({
  browser,
}, testInfo) => {
  const refused = `https://shop-${Date.now().toString(36)}.example`;
  const context = await browser.newContext(desktop);
  const me = await login(context.request);
  const site = demoSite(me);
  // A page on a domain nobody added: the loader's config request is refused.
  const config = await context.request.get(`/v1/sites/${demoSiteKey}/config`, { headers: { origin: refused } });
  expect(config.status()).toBe(403);
  // An automated browser on an allowed page: accepted, dropped, counted.
  const dropped = await context.request.post('/v1/collect', {
    headers: {
      origin: new URL(site.allowedOrigins.find((origin) => origin.startsWith('http://localhost'))!).origin,
      'content-type': 'text/plain',
      'user-agent': headlessChrome,
    },
    data: JSON.stringify({
      site: demoSiteKey,
      visitorId: 'visitor_headless_1',
      sessionId: 'session_headless1',
      events: [{ id: `pv_headless_${Date.now()}`, type: 'pageview', ts: Date.now(), url: 'http://localhost/demo/' }],
    }),
  });
  expect(await dropped.json()).toMatchObject({ stored: 0, dropped: 1 });

  const page = await context.newPage();
  await page.goto(`/app/sites/${demoSiteKey}/install`);
  const card = page.getByRole('region', { name: 'Refused and dropped (last 24 h)' });
  const entry = card.getByRole('listitem').filter({ hasText: refused });
  await expect(entry).toContainText(`1 request refused from ${refused} in the last 24 h`);
  await expect(entry).toContainText('add it?');
  await expect(card).toContainText(/\d+ events? from \d+ requests? dropped as bots/);
  await shot(page, testInfo, 'install-health');

  await entry.getByRole('button', { name: `Allow ${refused}` }).click();
  await expect(entry).toHaveCount(0);
  // The origin is in the list of allowed origins, saved: the next request from it is served.
  await expect(page.getByRole('region', { name: 'Allow your website' }).getByText(refused)).toBeVisible();
  expect(
    (await context.request.get(`/v1/sites/${demoSiteKey}/config`, { headers: { origin: refused } })).status(),
  ).toBe(200);
  await context.close();
});
