import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { expectNoSeriousViolations } from './support/axe.js';
import { admin, demoSiteKey } from './support/env.js';
// The example receiver from this repository, as a CRM would run it.
import { createReceiver } from '../../examples/crm-webhook-receiver/receiver.mjs';

type Receive = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

test.describe.configure({ timeout: 60_000 });

test('an admin adds an endpoint, copies the secret shown once, and a signed test event reaches the CRM receiver', async ({
  page,
}, testInfo) => {
  const processed: string[] = [];
  let receive: Receive | undefined;
  let failNext = 1;
  // Until the secret is known the receiver cannot verify; the first delivery also answers 500 to show a retry in the log.
  const server: Server = createServer((request, response) => {
    if (failNext-- > 0) return void response.writeHead(500).end();
    if (!receive) return void response.writeHead(503).end();
    void receive(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/beckon`;
  try {
    await page.goto('/app/');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: /^(sign|log) in$/i }).click();
    await page.getByRole('navigation').getByRole('link', { name: 'Webhooks', exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/app/sites/${demoSiteKey}/webhooks$`));

    await page.getByRole('button', { name: 'Add endpoint' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add endpoint' });
    await dialog.getByLabel('Endpoint URL').fill(url);
    // Only events other specs running in parallel do not cause, so the log holds just this test's event.
    await dialog.getByLabel(/lead\.created/).uncheck();
    await dialog.getByLabel(/lead\.updated/).uncheck();
    await dialog.getByLabel(/lead\.temperature_changed/).check();
    await dialog.getByRole('button', { name: 'Add endpoint' }).click();

    const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    receive = createReceiver({
      secret,
      onEvent: (event, id) => void (event.type === 'webhook.test' && processed.push(`${event.type} ${id}`)),
    });
    await page.getByRole('button', { name: 'Done' }).click();
    await page.reload();
    // Shown once: after a reload only its first characters are on the page.
    await expect(page.getByText(secret)).toHaveCount(0);
    await expect(page.getByRole('button', { name: new RegExp(url.replace(/[.:/]/g, '\\$&')) })).toBeVisible();

    await page.getByRole('button', { name: 'Send test event' }).click();
    // First attempt: HTTP 500, and a retry is scheduled with backoff.
    const row = page.getByRole('row').filter({ hasText: 'webhook.test' });
    await expect(row).toContainText(/Retrying in .*HTTP 500/, { timeout: 10_000 });
    expect(processed).toEqual([]);
    // The CRM team fixed their receiver: "Retry now" instead of waiting for the backoff.
    await row.getByRole('button', { name: 'Retry now' }).click();
    await expect(row).toContainText('Delivered', { timeout: 10_000 });
    expect(processed).toHaveLength(1);
    expect(processed[0]).toMatch(/^webhook\.test msg_/);

    // Redeliver a delivered event: same webhook-id, so the receiver sees the duplicate and processes it once.
    await row.getByRole('button', { name: 'Redeliver' }).click();
    await expect(row.getByRole('cell').nth(2)).toHaveText('3', { timeout: 10_000 });
    await expect(row).toContainText('Delivered');
    await page.getByRole('button', { name: 'webhook.test' }).click();
    const detail = page.locator('.webhook-detail');
    await expect(detail.getByText(/HTTP 500/)).toBeVisible();
    await expect(detail.getByText(/HTTP 200/)).toHaveCount(2);
    expect(processed).toHaveLength(1);
    await page.screenshot({ path: testInfo.outputPath('webhooks.png'), fullPage: true });
    await expectNoSeriousViolations(page, testInfo, 'dashboard Webhooks');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
