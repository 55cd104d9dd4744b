import { expect, test } from '@playwright/test';
import type { VisitorExport } from '@beckon/sdk/protocol';
import { demoSite, login } from './support/api.js';
import { collected } from './support/consent.js';

/**
 * The loader's tracker (issue 5) on the demo shop, whose seeded site is in mode `implied`: the stream
 * runs from the first page. Long tasks are watched with a PerformanceObserver from the first script on.
 */
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as {
      longTasks: { start: number; duration: number }[];
      beckonScripts: { url: string; start: number; duration: number; invoker: string }[];
    };
    w.longTasks = [];
    w.beckonScripts = [];
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries())
          w.longTasks.push({ start: Math.round(entry.startTime), duration: Math.round(entry.duration) });
      }).observe({ type: 'longtask', buffered: true });
      // Long animation frames name the scripts that ran in them (those over 5 ms): Beckon's own time,
      // apart from the page's, on a machine that other work may slow down.
      new PerformanceObserver((list) => {
        for (const frame of list.getEntries() as unknown as {
          scripts: { sourceURL: string; startTime: number; duration: number; invoker: string }[];
        }[]) {
          for (const script of frame.scripts) {
            if (/beckon\.js|\/widget\//.test(script.sourceURL))
              w.beckonScripts.push({
                url: script.sourceURL,
                start: Math.round(script.startTime),
                duration: Math.round(script.duration),
                invoker: script.invoker,
              });
          }
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch {
      // Not a Chromium: nothing to measure.
    }
  });
  // No request interception in this file: Chromium loses keepalive beacons of a page being left while
  // Playwright intercepts requests, and the page-hide beacon is what this test is about.
});

/** Beckon scripts that ran longer than `overMs` in one go since `since`. */
const beckonScriptsSince = (page: import('@playwright/test').Page, since: number, overMs: number) =>
  page.evaluate(
    ([from, over]) =>
      (window as unknown as { beckonScripts: { start: number; duration: number }[] }).beckonScripts.filter(
        (script) => script.start >= from! && script.duration > over!,
      ),
    [since, overMs],
  );

const longTasksSince = (page: import('@playwright/test').Page, since: number) =>
  page.evaluate(
    (from) =>
      (window as unknown as { longTasks: { start: number; duration: number }[] }).longTasks.filter(
        (task) => task.start >= from,
      ),
    since,
  );

// The long-task budget is wall-clock time: in CI another worker and the server share the two cores, and a
// busy moment can stretch one frame past 50 ms. A retry tells that apart from a real regression, which
// fails every run.
test.describe.configure({ retries: 2 });

test('tracker events arrive: engagement, tracked and outbound clicks, form start and submit, exit intent, landing context; no long task', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  const batches = collected(page);
  const responses: number[] = [];
  page.on(
    'response',
    (response) => new URL(response.url()).pathname === '/v1/collect' && responses.push(response.status()),
  );

  await page.goto('/demo/product.html?id=lamp&utm_source=newsletter&utm_campaign=autumn&gclid=test-click');
  await expect(page.locator('beckon-widget').getByRole('button', { name: 'Chat with us' })).toBeVisible();
  const interactionsFrom = await page.evaluate(() => performance.now());

  // Scroll the product page down in steps, as a reader does, then click a tracked button.
  for (let y = 0; y < 4; y++) {
    await page.mouse.wheel(0, 700);
    await page.waitForTimeout(120);
  }
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForTimeout(200);
  await page.locator('[data-beckon-track="add-to-cart"]').last().click();
  // Desktop exit intent: the pointer leaves through the top edge.
  await page.evaluate(() =>
    document.dispatchEvent(new MouseEvent('mouseout', { clientX: 400, clientY: -2, bubbles: true })),
  );
  await page.waitForTimeout(1000); // visible time to measure
  // Beckon's own scripts, as long animation frames name them: the page's scrolling and layout on a
  // machine that CI's other work slows down can pass 50 ms by itself (the long tasks are logged).
  console.log(
    `long tasks while scrolling and clicking: ${JSON.stringify(await longTasksSince(page, interactionsFrom))}`,
  );
  expect(await beckonScriptsSince(page, interactionsFrom, 50)).toEqual([]);

  // Leave for the contact page: the product page's engagement goes with the page hide. The event is
  // dispatched here first: this headless Chromium delivers no beacon sent while a page unloads (not
  // even a bare navigator.sendBeacon in a pagehide listener), so the real one cannot be observed.
  await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide')));
  await page.getByRole('link', { name: 'Contact' }).first().click();
  await page.waitForURL('**/contact.html');
  // Measured once the page has loaded and drawn (its own first layout is not the tracker's work).
  await expect(page.locator('beckon-widget').getByRole('button', { name: 'Chat with us' })).toBeVisible();
  await page.waitForTimeout(500);
  const loadTasks = await longTasksSince(page, 0);
  test
    .info()
    .annotations.push({ type: 'long tasks while the contact page loaded', description: JSON.stringify(loadTasks) });
  console.log(`long tasks while the contact page loaded (page and loader together): ${JSON.stringify(loadTasks)}`);
  const contactFrom = await page.evaluate(() => performance.now());
  await page.getByLabel('Name').fill('Ada Lovelace');
  await page.getByLabel('Email').fill('ada@example.test');
  await page.getByLabel('Message').fill('Do you ship the lamp to Vienna?');
  await page.getByRole('button', { name: 'Send message' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Thank you' })).toBeVisible();
  // The page's own work (replacing the form, layout) can pass 50 ms on a busy machine; Beckon's may not.
  // Only what ran since typing began: the loader's start on this page is load work, logged above.
  const contactTasks = await longTasksSince(page, contactFrom);
  const beckonScripts = await page.evaluate(() => (window as unknown as { beckonScripts: unknown[] }).beckonScripts);
  console.log(
    `long tasks while typing and submitting: ${JSON.stringify(contactTasks)}; Beckon scripts over 5 ms in long frames: ${JSON.stringify(beckonScripts)}`,
  );
  expect(await beckonScriptsSince(page, contactFrom, 50)).toEqual([]);
  // Then out through the footer's map link (another site).
  // (Without internet the browser shows its error page there, and the headless shell may never commit the
  // navigation at all: bounded, since the click was recorded before it.)
  await page.getByRole('link', { name: 'Map' }).click();
  await page.waitForURL('https://www.openstreetmap.org/**', { waitUntil: 'commit', timeout: 5_000 }).catch(() => {});

  // What the server stored for this visitor (the privacy export lists every event row).
  const visitorId = batches.find((batch) => batch.visitorId)!.visitorId!;
  const me = await login(request);
  const site = demoSite(me);
  type Row = { type: string; url: string; name: string | null; props: Record<string, unknown> | null };
  const stored = async () => {
    const response = await request.get(`/api/sites/${site.id}/privacy/visitors/${visitorId}/export`);
    expect(response.status(), await response.text()).toBe(200);
    return ((await response.json()) as VisitorExport).tables.events as Row[];
  };
  const has = (rows: Row[], predicate: (row: Row) => boolean) => rows.some(predicate);
  await expect
    .poll(async () => {
      const rows = await stored();
      return {
        engagement: has(
          rows,
          (row) =>
            row.type === 'engagement' &&
            row.url.includes('product.html') &&
            row.props?.maxScroll === 100 &&
            Number(row.props?.visibleMs) > 1000,
        ),
        tracked: has(rows, (row) => row.type === 'track' && row.name === 'add-to-cart'),
        exitIntent: has(rows, (row) => row.type === 'exit_intent' && row.url.includes('product.html')),
        formStart: has(rows, (row) => row.type === 'form' && row.name === 'contact' && row.props?.action === 'start'),
        formSubmit: has(rows, (row) => row.type === 'form' && row.name === 'contact' && row.props?.action === 'submit'),
        outbound: has(
          rows,
          (row) => row.type === 'click' && String(row.props?.href).startsWith('https://www.openstreetmap.org/'),
        ),
      };
    })
    .toEqual({ engagement: true, tracked: true, exitIntent: true, formStart: true, formSubmit: true, outbound: true });
  expect(JSON.stringify(await stored())).not.toContain('Vienna');
  // No form values anywhere in what was sent.
  expect(JSON.stringify(batches)).not.toContain('Vienna');

  // The landing context travels with every batch of the visit, also from the next page.
  const contactBatch = batches.find((batch) => batch.events.some((event) => event.url.includes('contact.html')))!;
  expect(contactBatch.context).toMatchObject({
    visitCount: 1,
    landingUrl: expect.stringContaining('utm_source=newsletter'),
  });
  expect(contactBatch.context!.landingUrl).toContain('gclid=test-click');
  expect(new Set(batches.map((batch) => batch.sessionId)).size).toBe(1);
  expect(responses.every((status) => status === 200)).toBe(true);
});
