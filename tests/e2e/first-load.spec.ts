import { expect, test, type Page, type Request } from '@playwright/test';
import { login } from './support/api.js';
import { desktop, phone, shopOrigin, visitorChat } from './support/chat.js';
import { baseURL, demoSiteKey } from './support/env.js';
import { demoConfig } from './support/widget.js';

/**
 * Lighter first loads (issue 21), in a browser: what the widget fetches up to a usable chat (one
 * WebSocket, socket.io-client asked for WebSocket first: no long-polling when a WebSocket opens), and the dashboard's lazy pages (sign-in and the Inbox
 * first, another page fetched when shown, with its title and a spinner meanwhile). Screenshots of each
 * state on a desktop and a phone go to the test's output folder.
 */

const sizes = [
  ['desktop', { viewport: { width: 1280, height: 800 }, baseURL }],
  ['phone', { ...phone, baseURL }],
] as const;

// Several page loads, a chat and screenshots per test: more than the default 30 s on a busy machine.
test.describe.configure({ timeout: 120_000 });

/** Paths of the scripts the page requested, as they were requested. */
function scriptsOf(page: Page) {
  const seen: string[] = [];
  page.on('request', (request: Request) => {
    if (request.resourceType() === 'script') seen.push(new URL(request.url()).pathname);
  });
  return seen;
}

for (const [size, device] of sizes) {
  test(`the widget up to a usable chat, on a ${size}`, async ({ browser, request }, testInfo) => {
    const config = await demoConfig(request);
    const context = await browser.newContext(device);
    const page = await context.newPage();
    const scripts = scriptsOf(page);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    const polls: string[] = [];
    page.on('request', (sent) => sent.url().includes('transport=polling') && polls.push(sent.url()));
    try {
      await page.goto(new URL('/demo/', shopOrigin).href);
      const visitor = visitorChat(page, config);
      await expect(visitor.launcher).toBeVisible();
      // Before any intent: the loader and the shell chunk (launcher, tracker) with its imports, nothing more.
      const onIntent = /^\/widget\/(ui|chat)-[\w-]{8}\.js$/;
      expect(scripts.filter((path) => onIntent.test(path))).toEqual([]);
      expect(scripts.some((path) => path.startsWith('/widget/shell-'))).toBe(true);
      await page.screenshot({ path: testInfo.outputPath(`widget-closed-${size}.png`) });

      await visitor.launcher.click();
      await expect(visitor.home).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`widget-open-${size}.png`) });

      await visitor.home.getByRole('button', { name: config.widget.texts.chat }).click();
      await expect(visitor.log).toHaveAttribute('aria-busy', 'false');
      // Usable: connected, with the composer (an agent online) or the leave-a-message form (nobody online).
      await expect(visitor.chat.getByRole('heading', { level: 2 })).toBeVisible();
      await expect(visitor.composer.or(visitor.chat.getByRole('form', { name: 'Leave us a message' }))).toBeVisible();
      await page.screenshot({ path: testInfo.outputPath(`widget-chat-${size}.png`) });

      // The chat chunk talked over one WebSocket: WebSocket first, so no long-polling request when it opens.
      expect(scripts.some((path) => /^\/widget\/chat-[\w-]{8}\.js$/.test(path))).toBe(true);
      expect(sockets.filter((url) => url.includes('/socket.io/?EIO=4&transport=websocket'))).toHaveLength(1);
      expect(polls).toEqual([]);
      // The long-polling transport is a chunk of its own, fetched only after a WebSocket failed.
      expect(scripts.filter((path) => path.startsWith('/widget/polling-'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test(`the dashboard loads sign-in and the Inbox first, and a page when it is shown, on a ${size}`, async ({
    browser,
  }, testInfo) => {
    const signedOut = await browser.newContext(device);
    const loginPage = await signedOut.newPage();
    const loginScripts = scriptsOf(loginPage);
    await loginPage.goto('/app/login');
    await expect(loginPage.getByRole('button', { name: 'Sign in' })).toBeVisible();
    expect(loginScripts.filter((path) => path.includes('/assets/page-'))).toEqual([]);
    await loginPage.screenshot({ path: testInfo.outputPath(`dashboard-login-${size}.png`) });
    await signedOut.close();

    const context = await browser.newContext(device);
    await login(context.request);
    const page = await context.newPage();
    const scripts = scriptsOf(page);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.goto(`/app/sites/${demoSiteKey}/inbox`);
    await expect(page.getByRole('region', { name: 'Conversations' })).toBeVisible();
    expect(scripts.filter((path) => path.includes('/assets/page-'))).toEqual([]);
    // The `/agent` socket opens a WebSocket first; the long-polling chunk is not fetched.
    await expect
      .poll(() => sockets.filter((url) => url.includes('/socket.io/?EIO=4&transport=websocket')))
      .toHaveLength(1);
    expect(scripts.filter((path) => /\/assets\/polling-/.test(path))).toEqual([]);
    scripts.length = 0;
    await page.screenshot({ path: testInfo.outputPath(`dashboard-inbox-${size}.png`) });

    // Hold the Team page's chunk to see what shows while it is on its way.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/app/assets/page-team-*.js', async (route) => {
      await held;
      await route.continue();
    });
    // A fresh load of the page's URL: the app starts, then asks for the page's chunk.
    await page.goto('/app/team');
    const main = page.locator('main');
    await expect(main.getByRole('heading', { level: 1, name: 'Team' })).toBeVisible();
    await expect(main.getByRole('status')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath(`dashboard-lazy-loading-${size}.png`) });
    release();
    // The page itself: its own content under the same title.
    await expect(main.getByRole('button', { name: /Invite/ })).toBeVisible();
    expect(scripts.some((path) => /\/assets\/page-team-[\w-]+\.js$/.test(path))).toBe(true);
    await page.screenshot({ path: testInfo.outputPath(`dashboard-lazy-loaded-${size}.png`) });
    await context.close();
  });
}

test('the chat falls back to long-polling where WebSockets cannot open, fetching that transport then', async ({
  browser,
  request,
}) => {
  const config = await demoConfig(request);
  // The shop below is on `localhost`, Beckon on `127.0.0.1`: Chromium asks before a page reaches another
  // loopback address, as a real shop on the internet would not need to.
  const context = await browser.newContext({ ...desktop, baseURL, permissions: ['local-network-access'] });
  // A proxy that refuses WebSockets: each one fails as a refused upgrade does, with an error, then a close.
  await context.addInitScript(() => {
    window.WebSocket = class {
      readyState = 0;
      binaryType = 'blob';
      onerror: ((event: Event) => void) | null = null;
      onclose: ((event: CloseEvent) => void) | null = null;
      constructor() {
        setTimeout(() => {
          this.readyState = 3;
          this.onerror?.(new Event('error'));
          this.onclose?.(new CloseEvent('close', { code: 1006 }));
        }, 10);
      }
      send() {}
      close() {}
    } as unknown as typeof WebSocket;
  });
  const page = await context.newPage();
  const scripts = scriptsOf(page);
  const polls: string[] = [];
  page.on('request', (sent) => sent.url().includes('transport=polling') && polls.push(sent.url()));
  // A shop on another origin than Beckon's (`localhost` and `127.0.0.1` are both allowed for the demo site):
  // long-polling requests then carry the Origin header the server checks, as on a real customer's site. (On
  // Beckon's own origin a same-origin GET has none, and the server refuses the polling handshake.)
  const shop = new URL('/fallback-shop/', baseURL).href;
  await page.route(shop, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><title>Shop</title><h1>Shop</h1><script async src="${shopOrigin}/beckon.js" data-site="${demoSiteKey}"></script>`,
    }),
  );
  try {
    await page.goto(shop);
    const visitor = visitorChat(page, config);
    await visitor.launcher.click();
    await visitor.home.getByRole('button', { name: config.widget.texts.chat }).click();
    await expect(visitor.log).toHaveAttribute('aria-busy', 'false');
    await expect(visitor.composer.or(visitor.chat.getByRole('form', { name: 'Leave us a message' }))).toBeVisible();
    expect(scripts.some((path) => path.startsWith('/widget/polling-'))).toBe(true);
    expect(polls.length).toBeGreaterThan(0);
  } finally {
    await context.close();
  }
});

test('a page whose chunk cannot be fetched offers a retry that loads it', async ({ browser }) => {
  const context = await browser.newContext({ ...desktop, baseURL });
  await login(context.request);
  const page = await context.newPage();
  await page.goto(`/app/sites/${demoSiteKey}/inbox`);
  await expect(page.getByRole('region', { name: 'Conversations' })).toBeVisible();
  let failing = true;
  await page.route('**/app/assets/page-audiences-*.js', (route) => (failing ? route.abort() : route.continue()));
  await page.goto(`/app/sites/${demoSiteKey}/audiences`);
  const main = page.locator('main');
  await expect(main.getByRole('heading', { name: 'This page could not be loaded' })).toBeVisible();
  failing = false;
  await main.getByRole('button', { name: 'Try again' }).click();
  await expect(main.getByRole('heading', { level: 1, name: 'Audiences' })).toBeVisible();
  await expect(main.getByRole('heading', { name: 'This page could not be loaded' })).toHaveCount(0);
  await context.close();
});
