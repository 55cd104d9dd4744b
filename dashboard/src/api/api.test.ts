import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErrorCode, Me } from '@beckon/sdk/protocol';
import { setLocale } from '../lib/i18n';
import { ApiError, createApiClient, errorMessage, fieldErrors, parseErrorResponse, parseRetryAfter } from '.';
import { resetServerClock, serverNow } from '../server-clock';

const me: Me = {
  agent: { id: 'a1', email: 'admin@example.com', name: 'Ada', role: 'admin' },
  sites: [],
  csrfToken: 'csrf-1',
  language: null,
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

/** A fetch double that answers from a queue and records every call. */
function fakeFetch(...responses: Response[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn = vi.fn(async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses.shift();
    if (!next) throw new Error(`unexpected request ${init.method} ${url}`);
    return next;
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

const header = (init: RequestInit, name: string) => (init.headers as Record<string, string>)[name];

describe('parseErrorResponse', () => {
  it('reads our error body', () => {
    const error = parseErrorResponse(409, JSON.stringify({ error: { code: 'conflict', message: 'Key taken' } }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'conflict', message: 'Key taken' });
  });

  it('keeps validation details and exposes them per field', () => {
    const details = [
      { path: ['allowedOrigins', 1], message: 'bad origin' },
      { path: ['name'], message: 'too short' },
      { path: ['name'], message: 'second message is ignored' },
    ];
    const error = parseErrorResponse(
      400,
      JSON.stringify({ error: { code: 'validation_failed', message: 'Invalid', details } }),
    );
    expect(error.details).toEqual(details);
    expect(error.fieldErrors()).toEqual({ 'allowedOrigins.1': 'bad origin', name: 'too short' });
  });

  it('falls back to the status when the body is not ours', () => {
    expect(parseErrorResponse(502, '<html>Bad gateway</html>')).toMatchObject({ code: 'internal', status: 502 });
    expect(parseErrorResponse(404, '')).toMatchObject({ code: 'not_found', message: 'Not found.' });
    expect(parseErrorResponse(401, '{"oops":1}')).toMatchObject({ code: 'unauthorized' });
    expect(parseErrorResponse(418, 'null').code).toBe('bad_request');
  });

  it('reads Retry-After for rate limits', () => {
    const error = parseErrorResponse(
      429,
      JSON.stringify({ error: { code: 'rate_limited', message: 'Slow down' } }),
      '30',
    );
    expect(error.retryAfter).toBe(30);
    expect(errorMessage(error)).toBe('Too many attempts. Try again in 30 seconds.');
  });
});

describe('parseRetryAfter', () => {
  it('accepts seconds and HTTP dates', () => {
    expect(parseRetryAfter('120')).toBe(120);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:01:30 GMT', now)).toBe(90);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('fieldErrors', () => {
  it('ignores anything that is not a list of issues', () => {
    expect(fieldErrors(undefined)).toEqual({});
    expect(fieldErrors({ path: ['x'] })).toEqual({});
    expect(fieldErrors([{ path: 'x', message: 'm' }, 3, { message: 'root' }])).toEqual({ '': 'm' });
  });

  it('only applies to validation errors', () => {
    expect(new ApiError(409, 'conflict', 'x', [{ path: ['key'], message: 'taken' }]).fieldErrors()).toEqual({});
  });
});

describe('createApiClient', () => {
  it('sends JSON with same-origin credentials and remembers the CSRF token from login', async () => {
    const { fetch, calls } = fakeFetch(json(200, me), json(201, { site: { id: 's1' } }));
    const api = createApiClient({ fetch });
    await api.login({ email: 'admin@example.com', password: 'pw' });
    const login = calls[0]!;
    expect(login.url).toBe('/api/auth/login');
    expect(login.init).toMatchObject({ method: 'POST', credentials: 'same-origin' });
    expect(header(login.init, 'content-type')).toBe('application/json');
    expect(header(login.init, 'x-csrf-token')).toBeUndefined();
    expect(JSON.parse(login.init.body as string)).toEqual({ email: 'admin@example.com', password: 'pw' });

    await api.createSite({ name: 'Shop' });
    expect(header(calls[1]!.init, 'x-csrf-token')).toBe('csrf-1');
  });

  it('sends no CSRF header on reads and unwraps the envelope', async () => {
    const { fetch, calls } = fakeFetch(json(200, me), json(200, { sites: [{ id: 's1' }] }));
    const api = createApiClient({ fetch });
    await api.me();
    const sites = await api.listSites();
    expect(sites).toEqual([{ id: 's1' }]);
    expect(header(calls[1]!.init, 'x-csrf-token')).toBeUndefined();
    expect(calls[1]!.init.body).toBeNull();
  });

  it('encodes path segments', async () => {
    const { fetch, calls } = fakeFetch(json(200, { pageviews: [] }), json(200, { agent: { id: 'x' } }));
    const api = createApiClient({ fetch });
    await api.listPageviews('a/b', 20);
    await api.setAgentSites('x y', ['s1']);
    expect(calls[0]!.url).toBe('/api/sites/a%2Fb/pageviews?limit=20');
    expect(calls[1]!.url).toBe('/api/agents/x%20y/sites');
    expect(calls[1]!.init.method).toBe('PUT');
  });

  it("puts each route's query on the URL, repeated keys and all, leaving absent values out", async () => {
    const { fetch, calls } = fakeFetch(
      json(200, { conversations: [] }),
      json(200, { leads: [], total: 0 }),
      json(200, { callbacks: [] }),
    );
    const api = createApiClient({ fetch });
    await api.listConversations({ view: 'mine', status: 'open' });
    await api.listLeads(new URLSearchParams('status=new&status=won&q=ann'));
    await api.listCallbacks('s1');
    expect(calls.map((c) => c.url)).toEqual([
      '/api/conversations?view=mine&status=open&limit=100',
      '/api/leads?status=new&status=won&q=ann',
      '/api/sites/s1/callbacks?status=open&limit=100',
    ]);
  });

  it("accepts an invite without a session: no CSRF header, and its 401 is the form's answer", async () => {
    const onUnauthorized = vi.fn();
    const { fetch, calls } = fakeFetch(
      json(200, me),
      json(401, { error: { code: 'unauthorized', message: 'This invite has expired' } }),
    );
    const api = createApiClient({ fetch, onUnauthorized });
    await api.me();
    await expect(api.acceptInvite({ token: 't'.repeat(40), password: 'long enough pw' })).rejects.toMatchObject({
      status: 401,
    });
    expect(calls[1]!.url).toBe('/api/invites/accept');
    expect(header(calls[1]!.init, 'x-csrf-token')).toBeUndefined();
    expect(onUnauthorized).not.toHaveBeenCalled();
    expect(api.csrfToken).toBe('csrf-1');
  });

  it('returns undefined for 204', async () => {
    const { fetch } = fakeFetch(json(200, me), new Response(null, { status: 204 }));
    const api = createApiClient({ fetch });
    await api.me();
    await expect(api.logout()).resolves.toBeUndefined();
    expect(api.csrfToken).toBeNull();
  });

  it('reports an ended session on 401, but not for a failed login', async () => {
    const onUnauthorized = vi.fn();
    const unauthorized = () => json(401, { error: { code: 'unauthorized', message: 'Wrong email or password' } });
    const { fetch } = fakeFetch(unauthorized(), unauthorized());
    const api = createApiClient({ fetch, onUnauthorized });

    await expect(api.login({ email: 'a@b.co', password: 'x' })).rejects.toMatchObject({
      status: 401,
      code: 'unauthorized',
    });
    expect(onUnauthorized).not.toHaveBeenCalled();

    await expect(api.listSites()).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('refreshes the CSRF token once and retries when the server rejects it', async () => {
    const { fetch, calls } = fakeFetch(
      json(200, me),
      json(403, { error: { code: 'csrf_failed', message: 'Bad token' } }),
      json(200, { ...me, csrfToken: 'csrf-2' }),
      json(200, { site: { id: 's1' } }),
    );
    const api = createApiClient({ fetch });
    await api.me();
    await expect(api.updateSite('s1', { name: 'New' })).resolves.toEqual({ id: 's1' });
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      'GET /api/me',
      'PATCH /api/sites/s1',
      'GET /api/me',
      'PATCH /api/sites/s1',
    ]);
    expect(header(calls[3]!.init, 'x-csrf-token')).toBe('csrf-2');
  });

  it('does not retry other 403s', async () => {
    const { fetch, calls } = fakeFetch(json(403, { error: { code: 'forbidden', message: 'Admins only' } }));
    const api = createApiClient({ fetch });
    await expect(api.createSite({ name: 'x' })).rejects.toMatchObject({ code: 'forbidden', message: 'Admins only' });
    expect(calls).toHaveLength(1);
  });

  it('turns network failures into an unavailable error', async () => {
    const api = createApiClient({
      fetch: (async () => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch,
    });
    await expect(api.me()).rejects.toMatchObject({ status: 0, code: 'unavailable' });
  });

  it('keeps Retry-After on rate-limited logins', async () => {
    const { fetch } = fakeFetch(
      json(429, { error: { code: 'rate_limited', message: 'Too many' } }, { 'retry-after': '42' }),
    );
    const api = createApiClient({ fetch });
    await expect(api.login({ email: 'a@b.co', password: 'x' })).rejects.toMatchObject({
      code: 'rate_limited',
      retryAfter: 42,
    });
  });
});

describe("the API client and the server's clock", () => {
  it("learns the server's time from each answer, so relative times hold on a computer whose clock is off", async () => {
    const fiveMinutesAhead = new Date(Date.now() + 5 * 60_000).toUTCString();
    const { fetch } = fakeFetch(json(200, me, { date: fiveMinutesAhead }));
    try {
      await createApiClient({ fetch }).me();
      expect(serverNow() - Date.now()).toBeGreaterThan(4 * 60_000);
      expect(serverNow() - Date.now()).toBeLessThan(6 * 60_000);
    } finally {
      resetServerClock();
    }
  });
});

describe('errorMessage in another language', () => {
  afterEach(async () => {
    await setLocale('en');
  });

  it('says each known code in the dashboard language, the wait too, and falls back to the server for unknown codes', async () => {
    const conflict = new ApiError(409, 'conflict', 'Someone with this email is already on the team');
    expect(errorMessage(conflict)).toBe('Someone with this email is already on the team');
    await setLocale('ru');
    expect(errorMessage(conflict)).toBe(
      'Это противоречит изменению, сделанному в другом месте. Обновите страницу и попробуйте снова.',
    );
    expect(errorMessage(new ApiError(429, 'rate_limited', 'Too many', undefined, 120))).toBe(
      'Слишком много попыток. Повторите через 2 минуты.',
    );
    expect(errorMessage(new ApiError(429, 'rate_limited', 'Too many', undefined, 5))).toBe(
      'Слишком много попыток. Повторите через 5 секунд.',
    );
    expect(errorMessage(new ApiError(418, 'teapot' as ErrorCode, 'A newer server speaks'))).toBe(
      'A newer server speaks',
    );
    expect(errorMessage(new Error('boom'))).toBe('Что-то пошло не так. Попробуйте снова.');
    await setLocale('si');
    expect(errorMessage(new ApiError(503, 'unavailable', 'down'))).toBe(
      'Beckon සේවාදායකයට ළඟා විය නොහැක. ඔබේ සම්බන්ධතාවය පරීක්ෂා කර නැවත උත්සාහ කරන්න.',
    );
  });
});
