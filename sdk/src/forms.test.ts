import { afterEach, describe, expect, it, vi } from 'vitest';
import { BeckonRequestError, createBeckon } from './index.js';

const beckon = () =>
  createBeckon({
    site: 'demo',
    endpoint: 'https://beckon.test/',
    autoPageviews: false,
    transport: { send: async () => 'ok' },
  });

afterEach(() => vi.unstubAllGlobals());

describe('requestCallback and sendFeedback', () => {
  it('posts a callback request with the visitor id and the time since the SDK started', async () => {
    const fetchMock = vi.fn(
      async () =>
        new Response(JSON.stringify({ token: 't', callback: { id: 'cb', status: 'pending' } }), { status: 201 }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const client = beckon();
    const at = new Date('2026-11-24T09:00:00Z');
    const created = await client.requestCallback({
      phone: '+4930901820',
      name: 'Vera',
      at,
      startedAt: Date.now() - 5000,
    });
    expect(created.callback.id).toBe('cb');
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://beckon.test/v1/callbacks');
    expect(init.headers).toEqual({ 'content-type': 'text/plain;charset=UTF-8' });
    const body = JSON.parse(init.body as string);
    expect(body).toMatchObject({
      site: 'demo',
      phone: '+4930901820',
      name: 'Vera',
      at: at.toISOString(),
      visitorId: client.visitorId,
    });
    expect(body.formMs).toBeGreaterThanOrEqual(5000);
  });

  it('rejects with the server error, including Retry-After, and throws on misuse', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({
              error: { code: 'rate_limited', message: 'Enough for today', details: { reason: 'phone_daily_limit' } },
            }),
            {
              status: 429,
              headers: { 'retry-after': '3600' },
            },
          ),
      ),
    );
    const client = beckon();
    const refused = await client.requestCallback({ phone: '+4930901820' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BeckonRequestError);
    expect(refused).toMatchObject({
      status: 429,
      code: 'rate_limited',
      retryAfter: 3600,
      details: { reason: 'phone_daily_limit' },
    });
    expect(() => client.requestCallback({ phone: '030 901820' })).toThrow(/E\.164/);
    // @ts-expect-error: an unknown kind is a type error and a runtime error
    expect(() => client.sendFeedback({ kind: 'poll' })).toThrow(/kind/);
  });

  it('sends feedback', async () => {
    const fetchMock = vi.fn(
      async () => new Response(JSON.stringify({ feedback: { id: 'f', kind: 'nps', createdAt: '' } }), { status: 201 }),
    );
    vi.stubGlobal('fetch', fetchMock);
    await beckon().sendFeedback({ kind: 'nps', score: 10, text: 'Great' });
    const body = JSON.parse((fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1].body as string);
    expect(body).toMatchObject({ site: 'demo', kind: 'nps', score: 10, text: 'Great' });
  });
});
