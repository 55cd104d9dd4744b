import { expect, test, type APIResponse } from '@playwright/test';
import { errorBodySchema, type ErrorCode } from '@beckon/sdk/protocol';
import { baseURL, demoSiteKey } from './support/env.js';

const allowedOrigin = baseURL;

const batch = (site: string) => ({
  site,
  visitorId: 'e2e-visitor-0001',
  sessionId: 'e2e-session-0001',
  events: [
    {
      id: `e2e-${Date.now().toString(36)}-0001`,
      type: 'pageview',
      ts: Date.now(),
      url: `${allowedOrigin}/e2e/bad-input`,
    },
  ],
});

/** Every refusal is the public JSON error body with the code that goes with its status. */
async function expectError(response: APIResponse, status: number, code: ErrorCode) {
  expect(response.status(), await response.text()).toBe(status);
  expect(response.headers()['content-type']).toMatch(/^application\/json/);
  const body = errorBodySchema.parse(await response.json());
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
}

test('an oversized collect body is refused with 413 JSON', async ({ request }) => {
  const response = await request.post('/v1/collect', {
    headers: { origin: allowedOrigin, 'content-type': 'text/plain' },
    data: JSON.stringify({ ...batch(demoSiteKey), padding: 'x'.repeat(300 * 1024) }),
  });
  await expectError(response, 413, 'payload_too_large');
});

test('an oversized body anywhere else is refused with 413 JSON', async ({ request }) => {
  const response = await request.post('/api/auth/login', {
    headers: { 'content-type': 'application/json' },
    data: JSON.stringify({ email: 'someone@example.test', password: 'x'.repeat(1024 * 1024) }),
  });
  await expectError(response, 413, 'payload_too_large');
});

test('collect from an origin the site does not allow is refused with 403 JSON', async ({ request }) => {
  const response = await request.post('/v1/collect', {
    headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
    data: JSON.stringify(batch(demoSiteKey)),
  });
  await expectError(response, 403, 'origin_not_allowed');

  const noOrigin = await request.post('/v1/collect', {
    headers: { 'content-type': 'text/plain' },
    data: JSON.stringify(batch(demoSiteKey)),
  });
  await expectError(noOrigin, 403, 'origin_not_allowed');
});

test('an unknown site is 404 JSON, for config and for collect', async ({ request }) => {
  await expectError(await request.get('/v1/sites/no-such-site-e2e/config'), 404, 'unknown_site');
  const response = await request.post('/v1/collect', {
    headers: { origin: allowedOrigin, 'content-type': 'text/plain' },
    data: JSON.stringify(batch('no-such-site-e2e')),
  });
  await expectError(response, 404, 'unknown_site');
});

test('malformed JSON and invalid batches are 400 JSON', async ({ request }) => {
  const headers = { origin: allowedOrigin, 'content-type': 'text/plain' };
  await expectError(await request.post('/v1/collect', { headers, data: '{"site": "demo", ' }), 400, 'bad_request');
  await expectError(
    await request.post('/v1/collect', { headers, data: JSON.stringify({ ...batch(demoSiteKey), events: [] }) }),
    400,
    'validation_failed',
  );
});

test('after all of that the server is still healthy and still takes a good batch', async ({ request }) => {
  const health = await request.get('/healthz');
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok' });

  const good = await request.post('/v1/collect', {
    headers: { origin: allowedOrigin, 'content-type': 'text/plain' },
    data: JSON.stringify(batch(demoSiteKey)),
  });
  expect(good.status(), await good.text()).toBe(200);
  expect(await good.json()).toMatchObject({ stored: 1, duplicates: 0 });
});
