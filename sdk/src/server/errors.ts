import type { ErrorCode } from '../protocol/index.js';

/**
 * Every refused call throws this: the server's `{ error: { code, message, details } }` with the HTTP status.
 * Switch on `code` (the protocol's closed list); `message` is for people and may change.
 */
export class BeckonApiError extends Error {
  override readonly name = 'BeckonApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Seconds the server asked to wait (`Retry-After`), when it did. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

const codeByStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `Retry-After` is delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Any error answer as a BeckonApiError; the body is trusted only when it has the protocol's shape (not a proxy's page). */
export function toApiError(status: number, bodyText: string, retryAfter: string | null): BeckonApiError {
  let body: unknown;
  try {
    body = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    body = undefined;
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const code =
    error && typeof error.code === 'string'
      ? (error.code as ErrorCode)
      : (codeByStatus[status] ?? (status >= 500 ? 'internal' : 'bad_request'));
  const message =
    error && typeof error.message === 'string' && error.message ? error.message : `Beckon answered ${status}`;
  return new BeckonApiError(status, code, message, error?.details, parseRetryAfter(retryAfter));
}
