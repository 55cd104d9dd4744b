import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { CollectResponse, Site, VisitorExport } from '@beckon/sdk/protocol';
import { login } from './support/api.js';
import { expectNoSeriousViolations } from './support/axe.js';
import { admin, baseURL } from './support/env.js';

/**
 * The server and dashboard side of issue 6, in a real browser against the real server: an admin puts a
 * new site in "Ask first" mode from the Privacy page, gets the identity secret once, builds an audience
 * with an image pixel on the Audiences page that a marketing-consented visitor then enters (and a GPC
 * visitor never does), and exports then erases a visitor from the dashboard.
 */

/** Named to sort after "Demo shop": the dashboard opens the first site by name, other specs expect the demo. */
async function newSite(
  request: APIRequestContext,
  name: `Test site: ${string}`,
): Promise<{ site: Site; headers: Record<string, string> }> {
  const { csrfToken } = await login(request);
  const headers = { 'x-csrf-token': csrfToken };
  const created = await request.post('/api/sites', { headers, data: { name, allowedOrigins: [baseURL] } });
  expect(created.status(), await created.text()).toBe(201);
  return { site: ((await created.json()) as { site: Site }).site, headers };
}

async function signIn(page: Page, path: string) {
  await page.goto('/app/');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: /^(sign|log) in$/i }).click();
  await expect(page.getByRole('navigation')).toBeVisible();
  await page.goto(`/app${path}`);
}

let counter = 0;
const id = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${(counter++).toString().padStart(4, '0')}`;
const batch = (
  siteKey: string,
  visitorId: string,
  paths: string[],
  consent: { analytics: boolean; marketing: boolean },
) => ({
  site: siteKey,
  visitorId,
  sessionId: id('session'),
  consent,
  events: paths.map((path) => ({
    id: id('evt'),
    type: 'pageview',
    ts: Date.now(),
    url: `${baseURL}/demo${path}`,
    title: path,
  })),
});
const send = (request: APIRequestContext, body: unknown, headers: Record<string, string> = {}) =>
  request.post('/v1/collect', {
    headers: { origin: baseURL, 'content-type': 'text/plain', ...headers },
    data: JSON.stringify(body),
  });

test('a new site defaults to "Ask first"; the Privacy page changes the mode and prompt, and the public config follows', async ({
  page,
  request,
}) => {
  const { site } = await newSite(request, `Test site: privacy e2e ${Date.now()}`);
  expect(site.consent.mode).toBe('required');
  await signIn(page, `/sites/${site.key}/privacy`);
  await expect(page.getByRole('heading', { name: 'Privacy & consent' })).toBeVisible();
  await expect(page.getByRole('radio', { name: /Ask first/ })).toBeChecked();

  await page.getByRole('radio', { name: /Your consent manager/ }).check();
  await page.getByLabel('Title', { exact: true }).fill('Cookies?');
  await page.getByLabel('Policy version').fill('2026-11');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  const config = await (await request.get(`/v1/sites/${site.key}/config`)).json();
  expect(config.consent).toMatchObject({
    mode: 'external',
    policyVersion: '2026-11',
    prompt: { texts: { title: 'Cookies?' } },
  });
  expect(JSON.stringify(config)).not.toMatch(/identitySecret|bks_|retention|pixels/);
});

test('the identity secret is shown once, verifies a userHash, and never reaches the page again', async ({
  page,
  request,
}) => {
  const { site } = await newSite(request, `Test site: identity e2e ${Date.now()}`);
  await signIn(page, `/sites/${site.key}/privacy`);
  await page.getByRole('button', { name: 'Generate secret' }).click();
  const secret = (await page.locator('.secret-value').textContent())!.trim();
  expect(secret).toMatch(/^bks_/);

  // A correctly signed identify is accepted; a forged one is refused.
  const { createHmac } = await import('node:crypto');
  const identify = (userHash: string) => ({
    site: site.key,
    visitorId: 'identity_visitor_1',
    sessionId: 'identity_session_1',
    events: [
      {
        id: id('idf'),
        type: 'identify',
        ts: Date.now(),
        url: `${baseURL}/demo/`,
        traits: { userId: 'customer-7', userHash },
      },
    ],
  });
  expect(
    (await send(request, identify(createHmac('sha256', secret).update('customer-7').digest('hex')))).status(),
  ).toBe(200);
  expect(
    (await send(request, identify(createHmac('sha256', 'guess').update('customer-7').digest('hex')))).status(),
  ).toBe(401);

  await page.reload();
  await expect(page.getByRole('button', { name: 'Rotate secret' })).toBeVisible();
  expect(await page.content()).not.toContain(secret);
});

test('an audience built on the Audiences page fires its image pixel for a consenting visitor, once, and never under GPC', async ({
  page,
  request,
}) => {
  const { site } = await newSite(request, `Test site: audiences e2e ${Date.now()}`);
  await signIn(page, `/sites/${site.key}/audiences`);
  await expect(page.getByRole('heading', { name: 'Audiences', exact: true })).toBeVisible();
  await expect(page.getByText('No audiences yet')).toBeVisible();

  await page.getByLabel('Add a pixel').selectOption('image');
  await page.getByLabel('Pixel id or URL').fill('https://px.example/hit?seg={segment}&v={visitor}');
  await page.getByRole('button', { name: 'Add pixel' }).click();
  await expect(page.locator('.pixel-list')).toContainText('px.example');

  await page.getByLabel('Name', { exact: true }).fill('Pricing lookers');
  await expect(page.getByLabel('Segment', { exact: true })).toHaveValue('pricing-lookers');
  await page.getByLabel('Visitors who…').selectOption('viewed_without_lead');
  await page.getByLabel('Page path', { exact: true }).fill('*pricing*');
  await page.getByRole('button', { name: 'Add audience' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Pricing lookers' });
  await expect(row).toContainText('Viewed *pricing* and sent no lead');

  const marketing = { analytics: true, marketing: true };
  const first = (await (
    await send(request, batch(site.key, 'aud_e2e_visitor', ['/pricing.html'], marketing))
  ).json()) as CollectResponse;
  expect(first.segments).toContain('pricing-lookers');
  expect(first.audiences).toEqual([
    {
      segment: 'pricing-lookers',
      name: 'Pricing lookers',
      pixels: [{ kind: 'image', url: 'https://px.example/hit?seg=pricing-lookers&v=aud_e2e_visitor' }],
    },
  ]);
  const again = (await (
    await send(request, batch(site.key, 'aud_e2e_visitor', ['/pricing.html'], marketing))
  ).json()) as CollectResponse;
  expect(again.audiences).toEqual([]);

  const gpc = (await (
    await send(request, batch(site.key, 'aud_e2e_gpc', ['/pricing.html'], marketing), { 'sec-gpc': '1' })
  ).json()) as CollectResponse;
  expect(gpc.audiences).toBeUndefined();
  expect(gpc.segments).toBeUndefined();

  await page.reload();
  await expect(page.getByRole('row').filter({ hasText: 'Pricing lookers' }).getByRole('cell').nth(2)).toHaveText('1');
});

test('an admin exports a visitor as JSON and erases them from the Privacy page; the audit shows both', async ({
  page,
  request,
}) => {
  const { site } = await newSite(request, `Test site: erasure e2e ${Date.now()}`);
  const visitorId = id('erase_me');
  expect(
    (
      await send(request, batch(site.key, visitorId, ['/', '/pricing.html'], { analytics: true, marketing: false }))
    ).status(),
  ).toBe(200);
  await request.post('/v1/consent', {
    headers: { origin: baseURL, 'content-type': 'text/plain' },
    data: JSON.stringify({
      site: site.key,
      visitorId,
      purposes: { analytics: true },
      policyVersion: '1',
      source: 'prompt',
    }),
  });

  await signIn(page, `/sites/${site.key}/privacy`);
  await page.getByLabel('Email, phone or visitor id').fill(visitorId);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const download = await downloading;
  const exported = JSON.parse(
    await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8'),
  ) as VisitorExport;
  expect(exported.tables.events).toHaveLength(2);
  expect(exported.tables.consent_records).toHaveLength(1);
  expect(exported.tables.visitors![0]).toMatchObject({ visitorId });

  await expect(page.getByRole('button', { name: 'Erase person' })).toBeDisabled();
  await page.getByLabel('Type it again to erase').fill(visitorId);
  await page.getByRole('button', { name: 'Erase person' }).click();
  await expect(page.getByText(/Erased \d+ records/)).toBeVisible();
  await expect(page.locator('.privacy-audit')).toContainText('Erased');
  await expect(page.locator('.privacy-audit')).toContainText('Exported');

  const after = (await (
    await request.get(`/api/sites/${site.id}/privacy/visitors/${visitorId}/export`)
  ).json()) as VisitorExport;
  expect(Object.values(after.tables).every((rows) => rows.length === 0)).toBe(true);
});

test('the Audiences and Privacy pages pass the WCAG 2 A/AA checks', async ({ page, request }, testInfo) => {
  test.setTimeout(60_000);
  const { site } = await newSite(request, `Test site: a11y privacy ${Date.now()}`);
  await signIn(page, `/sites/${site.key}/privacy`);
  await expect(page.getByRole('heading', { name: 'Privacy & consent' })).toBeVisible();
  await expectNoSeriousViolations(page, testInfo, 'privacy page', { include: 'main' });
  await page.goto(`/app/sites/${site.key}/audiences`);
  await expect(page.getByRole('heading', { name: 'Audiences', exact: true })).toBeVisible();
  await expectNoSeriousViolations(page, testInfo, 'audiences page', { include: 'main' });
});
