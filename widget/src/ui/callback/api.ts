import type { CallbackCreated, CallbackOptions, ErrorBody, VisitorCallback } from '@beckon/sdk/protocol';

export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; error: ErrorBody['error'] | null; retryAfter: number | null };

/** JSON over fetch without cookies; an unreachable server becomes status 0. Never throws. */
export async function call<T>(url: string, init?: RequestInit): Promise<ApiResult<T>> {
  try {
    const response = await fetch(url, { credentials: 'omit', ...init });
    const body = (await response.json().catch(() => null)) as (T & ErrorBody) | null;
    if (response.ok && body) return { ok: true, value: body };
    const retry = Number(response.headers.get('retry-after'));
    return {
      ok: false,
      status: response.status,
      error: body?.error ?? null,
      retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null,
    };
  } catch {
    return { ok: false, status: 0, error: null, retryAfter: null };
  }
}

/** JSON sent as text/plain: a "simple" request, so no CORS preflight precedes it (like /v1/collect). */
export const postJson = <T>(url: string, body: unknown) =>
  call<T>(url, { method: 'POST', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: JSON.stringify(body) });

export const loadOptions = (endpoint: string, siteKey: string) =>
  call<CallbackOptions>(`${endpoint}/v1/sites/${encodeURIComponent(siteKey)}/callback-options`);

export const requestCallback = (endpoint: string, body: Record<string, unknown>) =>
  postJson<CallbackCreated>(`${endpoint}/v1/callbacks`, body);

export const callbackStatus = (endpoint: string, id: string, token: string) =>
  call<{ callback: VisitorCallback }>(
    `${endpoint}/v1/callbacks/${encodeURIComponent(id)}?token=${encodeURIComponent(token)}`,
  );
