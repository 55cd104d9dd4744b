import { describe, expect, it, vi } from 'vitest';
import { BeckonApiError, createBeckonClient } from './index.js';

const apiKey = `bk_live_0123abcd_${'k'.repeat(43)}`;
const siteId = '11111111-1111-4111-8111-111111111111';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
const refusal = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message } }, headers);

/** A fetch that answers from a queue (a function answers from the request) and records every request. */
function fakeFetch(...answers: Array<Response | Error | ((url: string, init: RequestInit) => Response)>) {
  const calls: Array<{ url: string; init: RequestInit; headers: Record<string, string> }> = [];
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init, headers: init.headers as Record<string, string> });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected ${init.method} ${url}`);
    if (next instanceof Error) throw next;
    return typeof next === 'function' ? next(url, init) : next;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

function client(fetch: typeof globalThis.fetch, sleeps: number[] = []) {
  return createBeckonClient({
    baseUrl: 'https://beckon.example.com/',
    apiKey,
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

const lead = (id: string, updatedAt = '2026-12-01T10:00:00.000Z') => ({ id, email: `${id}@example.test`, updatedAt });

describe('createBeckonClient', () => {
  it('refuses anything but an API key, before any request', () => {
    expect(() => createBeckonClient({ baseUrl: 'https://b.example', apiKey: 'secret' })).toThrow(TypeError);
  });

  it('iterates a sync list across pages with for await, and keeps the cursor to resume from', async () => {
    const { fetch, calls } = fakeFetch(
      json(200, { items: [lead('a'), lead('b')], nextCursor: 'c2', resumeCursor: 'c2', hasMore: true }),
      json(200, { items: [lead('c')], nextCursor: null, resumeCursor: 'c3', hasMore: false }),
    );
    const leads = client(fetch)
      .site(siteId)
      .sync('leads', { updatedSince: new Date('2026-11-30T00:00:00Z'), pageSize: 2 });
    const seen: string[] = [];
    for await (const item of leads) seen.push(item.id);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(leads.cursor).toBe('c3');
    expect(calls.map((call) => call.url)).toEqual([
      `https://beckon.example.com/api/sites/${siteId}/sync/leads?limit=2&updated_since=2026-11-30T00%3A00%3A00.000Z`,
      `https://beckon.example.com/api/sites/${siteId}/sync/leads?limit=2&cursor=c2`,
    ]);
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(calls[0]!.init.method).toBe('GET');
    expect(calls[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('resumes from a saved cursor, and an empty page keeps it', async () => {
    const { fetch, calls } = fakeFetch(json(200, { items: [], nextCursor: null, resumeCursor: null, hasMore: false }));
    const scores = client(fetch).site(siteId).sync('scores', { cursor: 'saved' });
    const pages = [];
    for await (const page of scores.pages()) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(scores.cursor).toBe('saved');
    expect(calls[0]!.url).toContain('/sync/scores?limit=100&cursor=saved');
  });

  it('retries a POST after 503 and a network failure with the same Idempotency-Key, waiting as told', async () => {
    const sleeps: number[] = [];
    const { fetch, calls } = fakeFetch(
      refusal(503, 'unavailable', 'Database restarting', { 'retry-after': '2' }),
      new TypeError('fetch failed'),
      json(200, { results: [{ index: 0, status: 'updated', personId: null, leadId: 'l1' }] }),
    );
    const results = await client(fetch, sleeps)
      .site(siteId)
      .recordOutcomes([{ match: { externalId: 'crm-1' }, outcome: 'won' }]);
    expect(results).toEqual([{ index: 0, status: 'updated', personId: null, leadId: 'l1' }]);
    const keys = calls.map((call) => call.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys)).toEqual(new Set([keys[0]]));
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({
      outcomes: [{ match: { externalId: 'crm-1' }, outcome: 'won' }],
    });
    expect(sleeps[0]).toBe(2000);
    expect(sleeps).toHaveLength(2);
  });

  it('uses the Idempotency-Key it is given, and a new one per call otherwise', async () => {
    const closed = { callback: { id: 'cb1', outcome: 'reached' } };
    const { fetch, calls } = fakeFetch(json(200, closed), json(200, closed), json(200, closed));
    const site = client(fetch).site(siteId);
    await site.closeCallback('cb1', { outcome: 'reached' }, { idempotencyKey: 'crm-call-991' });
    await site.closeCallback('cb1', { outcome: 'reached' });
    await site.closeCallback('cb1', { outcome: 'reached' });
    expect(calls[0]!.headers['idempotency-key']).toBe('crm-call-991');
    expect(calls[1]!.headers['idempotency-key']).not.toBe(calls[2]!.headers['idempotency-key']);
    expect(calls[0]!.url).toBe(`https://beckon.example.com/api/sites/${siteId}/callbacks/cb1/close`);
  });

  it('throws the server’s error as BeckonApiError, without retrying what will not change', async () => {
    const { fetch, calls } = fakeFetch(refusal(403, 'forbidden', 'This API key lacks the leads:write scope'));
    const error = await client(fetch)
      .site(siteId)
      .upsertLead('crm/1', { name: 'Ann' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BeckonApiError);
    expect(error).toMatchObject({
      status: 403,
      code: 'forbidden',
      message: 'This API key lacks the leads:write scope',
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`https://beckon.example.com/api/sites/${siteId}/leads/by-external-id/crm%2F1`);
    expect(calls[0]!.init.method).toBe('PUT');
  });

  it('gives up on 429 when Retry-After is longer than it may wait, and after maxRetries', async () => {
    const { fetch: tooLong } = fakeFetch(refusal(429, 'rate_limited', 'Slow down', { 'retry-after': '3600' }));
    await expect(client(tooLong).site(siteId).getLead('x')).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfter: 3600,
    });
    const sleeps: number[] = [];
    const busy = () => refusal(429, 'rate_limited', 'Slow down', { 'retry-after': '1' });
    const { fetch, calls } = fakeFetch(busy(), busy(), busy(), busy());
    await expect(client(fetch, sleeps).site(siteId).getLead('x')).rejects.toMatchObject({ status: 429 });
    expect(calls).toHaveLength(4);
    expect(sleeps).toEqual([1000, 1000, 1000]);
  });

  it('waits for the rate-limit window when the last answer said the budget is spent', async () => {
    const sleeps: number[] = [];
    const { fetch } = fakeFetch(
      json(200, { lead: lead('a') }, { 'ratelimit-limit': '120', 'ratelimit-remaining': '0', 'ratelimit-reset': '30' }),
      json(
        200,
        { lead: lead('b') },
        { 'ratelimit-limit': '120', 'ratelimit-remaining': '119', 'ratelimit-reset': '60' },
      ),
    );
    const beckon = client(fetch, sleeps);
    await beckon.site(siteId).getLead('a');
    expect(beckon.rateLimit).toMatchObject({ limit: 120, remaining: 0 });
    expect((await beckon.site(siteId).getLead('b')).id).toBe('b');
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(28_000);
    expect(sleeps[0]).toBeLessThanOrEqual(30_000);
    expect(beckon.rateLimit).toMatchObject({ remaining: 119 });
  });

  it('reports a server it cannot reach as unavailable once the retries are spent', async () => {
    const down = new TypeError('fetch failed');
    const { fetch, calls } = fakeFetch(down, down, down, down);
    await expect(
      client(fetch)
        .site(siteId)
        .recordSignals([{ id: 's1', name: 'purchase', email: 'a@b.co' }]),
    ).rejects.toMatchObject({
      status: 0,
      code: 'unavailable',
    });
    expect(calls).toHaveLength(4);
  });
});
