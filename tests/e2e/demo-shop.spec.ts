import { expect, test } from '@playwright/test';
import type { PublicSiteConfig } from '@beckon/sdk/protocol';
import { demoConfig, hasFocus, widget } from './support/widget.js';

let config: PublicSiteConfig;

test.beforeAll(async ({ request }) => {
  config = await demoConfig(request);
});

test.describe('demo shop widget, desktop', () => {
  test('the launcher opens the panel with the greeting, Escape closes it', async ({ page }, testInfo) => {
    await page.goto('/demo/');
    const { host, launcher, panel } = widget(page, config);

    await expect(launcher).toBeVisible();
    await expect(host).toHaveCount(1);
    await expect(launcher).toHaveAttribute('aria-expanded', 'false');
    // Bottom-right corner by default.
    const box = (await launcher.boundingBox())!;
    const viewport = page.viewportSize()!;
    expect(box.x + box.width).toBeGreaterThan(viewport.width * 0.75);
    expect(box.y + box.height).toBeGreaterThan(viewport.height * 0.75);

    await launcher.click();
    await expect(panel).toBeVisible();
    await expect(panel).toContainText(config.widget.texts.greeting);
    for (const channel of ['chat', 'callback', 'feedback'] as const) {
      await expect(panel.getByRole('button', { name: config.widget.texts[channel] })).toBeVisible();
    }
    await expect(launcher).toHaveAttribute('aria-expanded', 'true');
    await page.screenshot({ path: testInfo.outputPath('demo-shop-panel-open.png') });

    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(launcher).toHaveAttribute('aria-expanded', 'false');
    await expect(launcher).toBeVisible();
  });

  test('keyboard only: Tab reaches the launcher, Enter opens the panel, Escape returns focus', async ({ page }) => {
    await page.goto('/demo/');
    const { launcher, panel } = widget(page, config);
    await expect(launcher).toBeVisible();

    // Tab until focus enters the widget (document.activeElement is then its host), as a keyboard user would.
    let presses = 0;
    while (presses++ < 100 && (await page.evaluate(() => document.activeElement?.localName)) !== 'beckon-widget') {
      await page.keyboard.press('Tab');
    }
    expect(await hasFocus(launcher), 'Tab never reached the launcher').toBe(true);

    await page.keyboard.press('Enter');
    await expect(panel).toBeVisible();
    // Focus moves into the dialog, onto the first choice, so the next key press acts there.
    const firstChoice = panel.getByRole('button', { name: config.widget.texts.chat });
    await expect.poll(() => hasFocus(firstChoice)).toBe(true);

    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect.poll(() => hasFocus(launcher)).toBe(true);
  });
});

test.describe('demo shop widget, phone', () => {
  test.use({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });

  test('the launcher is visible and the panel fits the screen width', async ({ page }, testInfo) => {
    await page.goto('/demo/');
    const { launcher, panel } = widget(page, config);

    await expect(launcher).toBeVisible();
    await expect(launcher).toBeInViewport({ ratio: 1 });
    const button = (await launcher.boundingBox())!;
    expect(button.height, 'launcher is a comfortable touch target').toBeGreaterThanOrEqual(44);

    await launcher.tap();
    await expect(panel).toBeVisible();
    // The panel rises 8 px as it opens: measure it at rest, not mid-animation.
    await panel.evaluate((element) => Promise.all(element.getAnimations().map((animation) => animation.finished)));
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(740);
    // Nothing sideways: the page itself did not grow wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: testInfo.outputPath('demo-shop-phone-panel-open.png') });

    // The panel covers the launcher on a phone, so it must close on its own.
    await panel.getByRole('button', { name: /close/i }).tap();
    await expect(panel).toBeHidden();
    await expect(launcher).toBeVisible();
  });
});

test.describe('demo shop pages', () => {
  test('every page loads without a failed request, its favicon included', async ({ page, request }) => {
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    page.on('requestfailed', (failure) => {
      // The tracker's batches go out as keepalive fetches or beacons, which the browser delivers after the page
      // is gone; DevTools still reports one in flight at navigation as aborted on the old page.
      const beacon = failure.method() === 'POST' && /\/v1\/(collect|ping)$/.test(new URL(failure.url()).pathname);
      if (beacon && failure.failure()?.errorText === 'net::ERR_ABORTED') return;
      failed.push(`${failure.failure()?.errorText} ${failure.url()}`);
    });
    for (const path of [
      '/demo/',
      '/demo/catalogue.html',
      '/demo/product.html?id=mug',
      '/demo/pricing.html',
      '/demo/contact.html',
    ]) {
      await page.goto(path);
      await expect(widget(page, config).launcher).toBeVisible();
      // Browsers ask for /favicon.ico unless the page names an icon; headless Chromium may not ask at all, so fetch it.
      const icon = await page.locator('link[rel=icon]').getAttribute('href');
      expect(icon, `${path} names a favicon`).toBeTruthy();
      const response = await request.get(new URL(icon!, page.url()).href);
      expect(response.status(), `favicon of ${path}`).toBe(200);
      expect(response.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    }
    expect(failed).toEqual([]);
  });
});
