import { expect, test, type BrowserContext } from '@playwright/test';
import type { Site } from '@beckon/sdk/protocol';
import { collected, consentPrompt, shopFor, siteInMode, storageEntries } from './support/consent.js';

/**
 * Issue 6 in a real browser on the demo shop, against a site in mode `required` (the default for new
 * sites; the seeded demo site is `implied`). Pixels go to a fake https endpoint answered here.
 */
const pixelHost = 'https://pixel.beckon.test';
let site: Site;

test.beforeAll(async ({ request }) => {
  const created = await siteInMode(request, 'required', 'Test site: consent e2e');
  site = created.site;
  const { headers } = created;
  // Entered on the first pricing page view; its image pixel names the segment.
  const audience = await request.post(`/api/sites/${site.id}/audiences`, {
    headers,
    data: {
      segment: 'pricing',
      name: 'Viewed pricing',
      rule: { kind: 'page_views', pattern: '*pricing*', min: 1 },
      eventName: 'beckon_pricing',
      pixels: true,
      enabled: true,
    },
  });
  expect(audience.status(), await audience.text()).toBe(201);
  const pixels = await request.put(`/api/sites/${site.id}/pixels`, {
    headers,
    data: { pixels: [{ kind: 'image', url: `${pixelHost}/hit?segment={segment}` }] },
  });
  expect(pixels.status(), await pixels.text()).toBe(200);
});

async function pixelHits(context: BrowserContext) {
  const hits: string[] = [];
  await context.route(`${pixelHost}/**`, (route) => {
    hits.push(route.request().url());
    return route.fulfill({
      status: 200,
      contentType: 'image/gif',
      body: Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'),
    });
  });
  return hits;
}

const cookieNamed = async (context: BrowserContext, name: string) =>
  (await context.cookies()).find((cookie) => cookie.name === name);

test('a first visit stores nothing, sends nothing identifiable; grants start the stream and the retargeting cookies; withdrawal undoes them', async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(60_000);
  const hits = await pixelHits(context);
  const batches = collected(page);
  await shopFor(page, site.key);
  await page.goto('/demo/');

  const prompt = consentPrompt(page);
  await expect(prompt).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('consent-prompt-desktop.png') });
  // Behave like a visitor: scroll, click tracked things, type into nothing; then look.
  await page.mouse.wheel(0, 1500);
  await page.getByRole('link', { name: 'Shop the collection' }).first().hover();
  await page.goto('/demo/pricing.html');
  await expect(prompt).toBeVisible();
  await page.waitForTimeout(1000);

  expect(await context.cookies()).toEqual([]);
  expect(await storageEntries(page)).toEqual([]);
  expect(batches.length).toBeGreaterThan(0);
  for (const batch of batches) {
    expect(batch).toMatchObject({ anonymous: true });
    expect(batch).not.toHaveProperty('visitorId');
    expect(batch).not.toHaveProperty('sessionId');
    expect(batch.events.every((event) => event.type === 'pageview' && !event.url.includes('?'))).toBe(true);
  }

  // Analytics only, from the prompt: the stream starts on this very page; still no cookie.
  const consentPosted = page.waitForResponse(
    (response) => response.url().endsWith('/v1/consent') && response.request().method() === 'POST',
  );
  await prompt.getByRole('button', { name: 'Analytics only' }).click();
  await expect(prompt).toBeHidden();
  expect((await consentPosted).status()).toBe(200);
  await expect.poll(() => batches.filter((batch) => batch.visitorId).length).toBeGreaterThan(0);
  const identified = batches.find((batch) => batch.visitorId)!;
  expect(identified).toMatchObject({ consent: { analytics: true, marketing: false }, context: { visitCount: 1 } });
  expect(identified.events.some((event) => event.type === 'pageview' && event.url.endsWith('/demo/pricing.html'))).toBe(
    true,
  );
  expect(await storageEntries(page)).toEqual(
    expect.arrayContaining([`local:beckon:${site.key}:visit`, `local:beckon:${site.key}:consent`]),
  );
  expect(await context.cookies()).toEqual([]);
  expect(hits).toEqual([]);

  // Marketing too (the site's own banner calling the API): bk_vid at once, 13 months, Lax, path /.
  await page.evaluate(() =>
    (window as unknown as { Beckon(...args: unknown[]): void }).Beckon('consent', 'grant', { marketing: true }),
  );
  const vid = await cookieNamed(context, 'bk_vid');
  expect(vid).toMatchObject({
    value: identified.visitorId,
    path: '/',
    sameSite: 'Lax',
    httpOnly: false,
    secure: false,
  });
  const days = (vid!.expires * 1000 - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(390);
  expect(days).toBeLessThanOrEqual(396);

  // Entering the audience: the pixel fires once, bk_seg names the segment.
  await page.goto('/demo/pricing.html');
  await expect.poll(() => hits.length).toBe(1);
  expect(hits[0]).toBe(`${pixelHost}/hit?segment=pricing`);
  // bk_seg: the visitor's segments as a plain comma list (temperature and audiences), e.g. `warm,pricing`.
  await expect.poll(async () => (await cookieNamed(context, 'bk_seg'))?.value.split(',')).toContain('pricing');
  expect(await cookieNamed(context, 'bk_seg')).toMatchObject({ path: '/', sameSite: 'Lax' });

  // A later visit neither extends bk_vid nor fires the pixel again.
  await page.goto('/demo/pricing.html');
  await page.waitForTimeout(1500);
  expect((await cookieNamed(context, 'bk_vid'))!.expires).toBe(vid!.expires);
  expect(hits).toHaveLength(1);

  // Withdrawal: cookies and stored ids gone at once, and nothing more is sent on this page.
  await page.evaluate(() => (window as unknown as { Beckon(...args: unknown[]): void }).Beckon('consent', 'deny'));
  expect(await context.cookies()).toEqual([]);
  expect(await storageEntries(page)).toEqual([`local:beckon:${site.key}:consent`]);
  const sentBefore = batches.length;
  await page.locator('[data-beckon-track="open-cart"]').click();
  await page.mouse.wheel(0, 2000);
  await page.evaluate(() =>
    (window as unknown as { Beckon(...args: unknown[]): void }).Beckon('track', 'after-withdrawal'),
  );
  await page.waitForTimeout(6000);
  expect(batches.slice(sentBefore).filter((batch) => !batch.anonymous)).toEqual([]);
});

test('under Global Privacy Control no pixel ever fires and no retargeting cookie is set, whatever is clicked', async ({
  browser,
}) => {
  const context = await browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
  await context.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
  );
  const hits = await pixelHits(context);
  const page = await context.newPage();
  const batches = collected(page);
  await shopFor(page, site.key);
  await page.goto('/demo/pricing.html');
  await consentPrompt(page).getByRole('button', { name: 'Accept all' }).click();
  await expect.poll(() => batches.filter((batch) => batch.visitorId).length).toBeGreaterThan(0);
  await page.goto('/demo/pricing.html');
  await page.waitForTimeout(1500);
  expect(batches.filter((batch) => batch.visitorId).every((batch) => batch.consent?.marketing === false)).toBe(true);
  expect(hits).toEqual([]);
  expect((await context.cookies()).map((cookie) => cookie.name)).toEqual([]);
  await context.close();
});

test("mode external follows an IAB TCF consent manager, without showing Beckon's prompt", async ({ page, request }) => {
  const { site: external } = await siteInMode(request, 'external', 'Test site: external consent e2e');
  // A TCF stub: answers "UI shown" first, then the visitor's choice when the test says so.
  await page.addInitScript(() => {
    const listeners: ((data: unknown, success: boolean) => void)[] = [];
    const w = window as unknown as { __tcfapi: unknown; tcfChoose: (consents: Record<number, boolean>) => void };
    w.__tcfapi = (command: string, _version: number, callback: (data: unknown, success: boolean) => void) => {
      if (command !== 'addEventListener') return;
      listeners.push(callback);
      callback({ eventStatus: 'cmpuishown', gdprApplies: true, purpose: { consents: {} } }, true);
    };
    w.tcfChoose = (consents) =>
      listeners.forEach((listener) =>
        listener({ eventStatus: 'useractioncomplete', gdprApplies: true, purpose: { consents } }, true),
      );
  });
  const batches = collected(page);
  await shopFor(page, external.key);
  await page.goto('/demo/');
  await expect(page.locator('beckon-widget').getByRole('button', { name: 'Chat with us' })).toBeVisible();
  await page.waitForTimeout(500);
  expect(batches.every((batch) => batch.anonymous)).toBe(true);
  await expect(consentPrompt(page)).toHaveCount(0);
  expect(await storageEntries(page)).toEqual([]);

  await page.evaluate(() =>
    (window as unknown as { tcfChoose(c: Record<number, boolean>): void }).tcfChoose({ 1: true, 8: true }),
  );
  await expect.poll(() => batches.filter((batch) => batch.visitorId).length).toBeGreaterThan(0);
  expect(batches.find((batch) => batch.visitorId)).toMatchObject({ consent: { analytics: true, marketing: false } });
  expect((await page.context().cookies()).map((cookie) => cookie.name)).toEqual([]);
});

test('the prompt on a phone', async ({ browser }, testInfo) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const page = await context.newPage();
  await shopFor(page, site.key);
  await page.goto('/demo/');
  const prompt = consentPrompt(page);
  await expect(prompt).toBeVisible();
  const box = (await prompt.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  // It leaves the launcher free.
  const launcher = (await page.locator('beckon-widget').getByRole('button', { name: 'Chat with us' }).boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(launcher.y);
  // The three choices stack, each as wide as the others: "Accept all" never stands out alone.
  const widths = await Promise.all(
    ['Reject all', 'Analytics only', 'Accept all'].map(
      async (name) => (await prompt.getByRole('button', { name }).boundingBox())!.width,
    ),
  );
  expect(new Set(widths).size).toBe(1);
  await page.screenshot({ path: testInfo.outputPath('consent-prompt-phone.png') });
  await context.close();
});
