import { expect, test } from '@playwright/test';
import { demoSite, login, recentPageviews } from './support/api.js';
import { spaURL } from './support/env.js';

test('the SDK records one pageview per client-side route, with the right URL and title', async ({
  page,
  request,
}, testInfo) => {
  const site = demoSite(await login(request));

  await page.goto(`${spaURL}/`);
  // The app checks its origin against the server first: this fails if setup did not allow it.
  await expect(page.getByRole('status')).toContainText('Connected');
  const sessionId = (await page.locator('#session-id').textContent())?.trim() ?? '';
  expect(sessionId).toMatch(/^[A-Za-z0-9_-]{8,}$/);
  await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'same document'));

  const nav = page.getByRole('navigation', { name: 'Main' });
  const visit = async (name: string, path: string, heading: string | RegExp) => {
    await nav.getByRole('link', { name, exact: true }).click();
    await expect(page).toHaveURL(`${spaURL}${path}`);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  };
  await visit('Products', '/products', 'Products');
  await page.getByRole('button', { name: 'Add Monitors' }).click();
  await visit('Pricing', '/pricing', 'Pricing');
  await page.getByRole('button', { name: 'Choose Team' }).click();
  await visit('About', '/about', /About/);
  // A link to the page already shown is not a new pageview, nor is a router saving state on the same URL.
  await visit('About', '/about', /About/);
  await page.evaluate(() => history.replaceState({ scrollY: 0 }, ''));
  // Back is a navigation too: the visitor sees Pricing again.
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Pricing' })).toBeVisible();

  // All of it happened in one document: the links were routed client-side.
  expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same document');

  await page.getByLabel('Name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill('ada@example.test');
  await page.getByRole('button', { name: 'Identify' }).click();

  // Send what is still queued and make sure the server took every batch.
  await page.evaluate(() => (window as unknown as { beckon: { flush(): Promise<void> } }).beckon.flush());
  const log = page.getByRole('list', { name: /SDK events/ });
  await expect(log).toContainText('plan_selected');
  await expect(log).toContainText('product_added');
  await expect(log).toContainText('ada@example.test');
  await expect(log.locator('.entry-error')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('spa-sdk.png') });

  const expected = [
    { url: `${spaURL}/`, title: 'Home · Skyline' },
    { url: `${spaURL}/products`, title: 'Products · Skyline' },
    { url: `${spaURL}/pricing`, title: 'Pricing · Skyline' },
    { url: `${spaURL}/about`, title: 'About · Skyline' },
    { url: `${spaURL}/pricing`, title: 'Pricing · Skyline' },
  ];
  await expect
    .poll(
      async () =>
        (await recentPageviews(request, site.id))
          .filter((pageview) => pageview.sessionId === sessionId)
          .reverse()
          .map(({ url, title }) => ({ url, title })),
      { message: 'stored pageviews of this session, oldest first', timeout: 10_000 },
    )
    .toEqual(expected);
});
