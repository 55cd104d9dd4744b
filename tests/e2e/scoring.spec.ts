import { devices, expect, test } from '@playwright/test';
import { login } from './support/api.js';
import { desktop } from './support/chat.js';
import { siteInMode } from './support/consent.js';
import { admin, demoSiteKey } from './support/env.js';

/**
 * Lead scoring end to end: a visitor browses the demo shop's pricing page, adds a product to the cart
 * and leaves their email and phone; the agent's Visitors page, already open, shows them live turning
 * from cold to hot, and the badge explains why (by mouse and by keyboard).
 */
test('a demo shop visitor appears live on the Visitors page and turns hot, with the reasons', async ({ page, browser }, testInfo) => {
  await page.goto('/app/');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: /^(sign|log) in$/i }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Visitors', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/app/sites/${demoSiteKey}/visitors$`));
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/^\s*live\s*$/i);
  await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'same document'));

  const marker = `lead${Date.now().toString(36)}`;
  const email = `${marker}@example.test`;
  const visitor = await browser.newContext({ userAgent: devices['Desktop Chrome'].userAgent });
  try {
    const shop = await visitor.newPage();
    await shop.goto(`/demo/pricing.html?ref=${marker}`);
    await expect(shop.locator('beckon-widget')).toHaveCount(1);

    // The pageview is sent at once: the visitor shows up with their page and a cold badge.
    const visitorsTable = page.getByRole('table', { name: /visitors on the site now/i });
    const row = visitorsTable.getByRole('row').filter({ hasText: `/demo/pricing.html?ref=${marker}` });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('button', { name: /^cold lead, 15 points: Pricing page \+15/i })).toBeVisible();

    // Interest and identity arrive with the next batch; the same row turns hot without a reload.
    await shop.evaluate(
      ({ email }) => {
        const beckon = (window as unknown as { Beckon: (...args: unknown[]) => void }).Beckon;
        beckon('track', 'add-to-cart', { sku: 'teapot' });
        beckon('identify', { email, phone: '+44 20 7946 0000' });
      },
      { email },
    );
    const hotRow = visitorsTable.getByRole('row').filter({ hasText: email });
    const badge = hotRow.getByRole('button', { name: /^hot lead/i });
    await expect(badge).toBeVisible({ timeout: 15_000 });
    await expect(badge).toHaveAccessibleName(/Added to cart \+20.*Pricing page \+15/);

    // The explanation opens on keyboard focus and closes with Escape.
    await badge.focus();
    const popover = hotRow.getByRole('tooltip');
    await expect(popover).toBeVisible();
    await expect(popover).toContainText('Identified with email');
    await expect(popover).toContainText('Added to cart');
    await page.screenshot({ path: testInfo.outputPath('visitors-hot.png'), fullPage: true });
    await page.keyboard.press('Escape');
    await expect(popover).toBeHidden();
    await expect(page.getByRole('group', { name: 'On the site now' })).toContainText(/Hot leads\s*[1-9]/);
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same document');
  } finally {
    await visitor.close();
  }
});

test('the Scoring page keeps a draft: checks it, saves it (rescoring), discards it', async ({ browser, request }) => {
  const { site } = await siteInMode(request, 'implied', 'Test site: scoring settings');
  const context = await browser.newContext(desktop);
  await login(context.request);
  const page = await context.newPage();
  await page.goto(`/app/sites/${site.key}/scoring`);
  const hot = page.getByRole('spinbutton', { name: 'Hot at' });
  const warm = page.getByRole('spinbutton', { name: 'Warm at' });
  const save = page.getByRole('button', { name: 'Save and rescore' });
  const discard = page.getByRole('button', { name: 'Discard changes' });
  await expect(hot).toHaveValue('70');
  await expect(save).toBeDisabled();

  // Checked before sending, beside the field.
  await warm.fill('90');
  await save.click();
  await expect(page.getByText('Warm must be below hot')).toBeVisible();
  await discard.click();
  await expect(warm).toHaveValue('30');
  await expect(page.getByText('Warm must be below hot')).toBeHidden();
  await expect(save).toBeDisabled();

  await hot.fill('80');
  await save.click();
  await expect(page.getByText('Saved. Every visitor’s score was recomputed with these rules.')).toBeVisible();
  await expect(save).toBeDisabled();
  await page.reload();
  await expect(hot).toHaveValue('80');
  await context.close();
});
