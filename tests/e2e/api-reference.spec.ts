import { expect, test, type Page } from '@playwright/test';
import { admin, demoSiteKey } from './support/env.js';

test.describe.configure({ timeout: 90_000 });

async function logIn(page: Page) {
  await page.goto('/app/');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: /^(sign|log) in$/i }).click();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'API keys', exact: true })).toBeVisible();
}

for (const viewport of [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
]) {
  test(`an admin reads the API reference, loaded only when opened (${viewport.name})`, async ({ page }, testInfo) => {
    await page.setViewportSize(viewport);
    const scripts: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    await logIn(page);
    // From here on (the session check before logging in answers 401, as it should).
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    // The renderer is not part of the dashboard's first load.
    expect(scripts.filter((url) => url.includes('ApiReferencePage'))).toEqual([]);

    // From the API keys page, as an admin finds it.
    await page.goto(`/app/sites/${demoSiteKey}/api-keys`);
    await page.getByRole('main').getByRole('link', { name: 'API reference' }).click();
    await expect(page).toHaveURL(new RegExp(`/app/sites/${demoSiteKey}/api-reference$`));
    // The page module and RapiDoc (~850 KB) load now, on first visit.
    await expect(page.getByRole('heading', { name: 'API reference' })).toBeVisible({ timeout: 60_000 });
    expect(scripts.filter((url) => url.includes('ApiReferencePage')).length).toBe(1);

    // RapiDoc renders the server's own document: its title, an operation with its scope, a webhook event.
    const reference = page.locator('rapi-doc');
    // RapiDoc parses the whole document (~250 KB) first: on a loaded CI machine that takes a while.
    // (RapiDoc also keeps hidden copies of the title: the visible one is the check.)
    await expect(reference.getByText('Beckon API').filter({ visible: true }).first()).toBeVisible({ timeout: 60_000 });
    await expect(reference.getByText('Sync leads').first()).toBeAttached();
    await expect(reference.getByText('A lead was created').first()).toBeAttached();
    await page.waitForTimeout(500);
    await page.screenshot({ path: testInfo.outputPath(`api-reference-${viewport.name}.png`) });

    // Desktop: the side navigation opens an operation; a phone shows one scrolling list of them instead.
    if (viewport.name === 'desktop') {
      await reference.locator('[data-content-id="get-/api/sites/-siteId-/sync/leads"]').click();
      await expect(reference.getByText('updated_since').first()).toBeVisible();
    } else await expect(reference.getByText('Integrations').first()).toBeAttached();
    await page.screenshot({ path: testInfo.outputPath(`api-reference-operation-${viewport.name}.png`) });
    // Nothing the CSP refused, no script error.
    expect(problems).toEqual([]);
  });
}

test('the document is public and cacheable', async ({ request }) => {
  const response = await request.get('/api/openapi.json');
  expect(response.status()).toBe(200);
  expect(response.headers()['cache-control']).toBe('public, max-age=300');
  const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
  expect(document.openapi).toBe('3.1.0');
  expect(Object.keys(document.paths)).toContain('/api/sites/{siteId}/sync/leads');
});
