import { expect, test } from '@playwright/test';
import { admin, baseURL, demoSiteKey } from './support/env.js';

test.describe.configure({ timeout: 90_000 });

test('an admin creates an API key, copies it once, a script uses it, and it stops working when revoked', async ({
  page,
  context,
}, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  await page.goto('/app/');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: /^(sign|log) in$/i }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'API keys', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/app/sites/${demoSiteKey}/api-keys$`));

  const name = `CRM sync ${testInfo.workerIndex}-${Date.now()}`;
  await page.getByRole('button', { name: 'Create key' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create API key' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel(/leads:write/).check();
  await page.screenshot({ path: testInfo.outputPath('api-key-create-dialog.png') });
  await dialog.getByRole('button', { name: 'Create key' }).click();

  const shown = page.getByRole('dialog', { name: 'Copy your new API key' });
  const secret = (await shown.getByTestId('api-key-secret').textContent())!.trim();
  expect(secret).toMatch(/^bk_live_[0-9a-f]{8}_/);
  await shown.getByRole('button', { name: 'Copy key' }).click();
  await expect(shown.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await page.screenshot({ path: testInfo.outputPath('api-key-created.png') });
  await shown.getByRole('button', { name: 'Done' }).click();

  // The page never shows it again; the list names it by prefix.
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);
  const row = page.getByTestId('api-key-row').filter({ hasText: name });
  await expect(row).toContainText(secret.slice(0, 16));
  await expect(row).toContainText('leads:write');
  // The audit line words the key's scopes and sites in the agent's language, from the key itself.
  await expect(
    page
      .locator('.api-key-audit-list li')
      .filter({ hasText: `"${name}"` })
      .first(),
  ).toContainText(`"${name}": leads:read, leads:write · Demo shop`);

  // A script, as curl would: no cookie, no CSRF token, just the key.
  const siteId = await page.evaluate(
    async () =>
      ((await (await fetch('/api/me')).json()) as { sites: { id: string; key: string }[] }).sites.find(
        (s) => s.key === 'demo',
      )!.id,
  );
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${baseURL}${path}`, {
      method,
      headers: { authorization: `Bearer ${secret}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const upsert = await call('PUT', `/api/sites/${siteId}/leads/by-external-id/e2e-${Date.now()}`, {
    name: 'From the CRM',
    email: 'crm-e2e@example.test',
  });
  expect(upsert.status).toBe(201);
  expect(upsert.headers.get('ratelimit-remaining')).not.toBeNull();
  const list = await call('GET', `/api/sites/${siteId}/sync/leads?limit=5`);
  expect(list.status).toBe(200);
  expect((await call('GET', '/api/agents')).status).toBe(403);

  await page.reload();
  // Last used just now, from the script's network (truncated like every address Beckon keeps).
  await expect(row).toContainText('127.0.0.0');
  await page.screenshot({ path: testInfo.outputPath('api-keys-page.png'), fullPage: true });
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('dialog', { name: 'Revoke this key?' }).getByRole('button', { name: 'Revoke key' }).click();
  await expect(row).toContainText('Revoked');
  await expect(page.getByText(new RegExp(`revoked ${secret.slice(0, 16)}`))).toBeVisible();

  const refused = await call('GET', `/api/sites/${siteId}/sync/leads`);
  expect(refused.status).toBe(401);
  expect((await refused.json()).error.code).toBe('unauthorized');
});
