import { expect, type APIRequestContext, type Page, type Request } from '@playwright/test';
import { defaultConsentSettings, type CollectBatch, type ConsentMode, type Site } from '@beckon/sdk/protocol';
import { login } from './api.js';
import { baseURL } from './env.js';

/**
 * A fresh site (the e2e server's origin allowed) in the given consent mode; returns it and the admin's
 * write headers. Name it so it sorts after "Demo shop": the dashboard opens the first site by name, and
 * other specs expect that to be the demo site.
 */
export async function siteInMode(
  request: APIRequestContext,
  mode: ConsentMode,
  name: `Test site: ${string}`,
): Promise<{ site: Site; headers: Record<string, string> }> {
  const { csrfToken } = await login(request);
  const headers = { 'x-csrf-token': csrfToken };
  const created = await request.post('/api/sites', { headers, data: { name, allowedOrigins: [baseURL] } });
  expect(created.status(), await created.text()).toBe(201);
  const { site } = (await created.json()) as { site: Site };
  const patched = await request.patch(`/api/sites/${site.id}`, {
    headers,
    data: { consent: { ...defaultConsentSettings, mode } },
  });
  expect(patched.status(), await patched.text()).toBe(200);
  return { site: ((await patched.json()) as { site: Site }).site, headers };
}

/** Serves the demo shop's pages with `data-site` pointing at `siteKey` (the server serves them for `demo`). */
export async function shopFor(page: Page, siteKey: string) {
  await page.route(`${baseURL}/demo/**`, async (route) => {
    const response = await route.fetch();
    const type = response.headers()['content-type'] ?? '';
    if (!type.includes('text/html')) return route.fulfill({ response });
    const body = (await response.text()).replace('data-site="demo"', `data-site="${siteKey}"`);
    await route.fulfill({ response, body });
  });
}

/** Every behaviour batch the page's context sends (fetch, and sendBeacon from a page being left), parsed. */
export function collected(page: Page) {
  const batches: CollectBatch[] = [];
  page.context().on('request', (request: Request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/v1/collect') {
      // A beacon's Blob body is not always readable here; those batches are checked on the server.
      const body = request.postData();
      if (body) batches.push(JSON.parse(body) as CollectBatch);
    }
  });
  return batches;
}

/** Every storage entry the page's origin holds. */
export const storageEntries = (page: Page) =>
  page.evaluate(() => [
    ...Object.keys(localStorage).map((key) => `local:${key}`),
    ...Object.keys(sessionStorage).map((key) => `session:${key}`),
  ]);

/** The consent prompt in the widget's shadow root. */
export const consentPrompt = (page: Page) =>
  page.locator('beckon-widget').getByRole('region', { name: defaultConsentSettings.prompt.texts.title });
