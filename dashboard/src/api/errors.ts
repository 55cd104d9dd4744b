import type { ErrorCode } from '@beckon/sdk/protocol';
import { t } from '../i18n';
import { currentLocale } from '../lib/i18n';

/** One zod issue as the server sends it in `details` of a `validation_failed` error. */
export interface FieldIssue {
  path: Array<string | number>;
  message: string;
}

/** Every failed call throws this: the parsed `{ error: { code, message, details } }` body plus the status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Seconds to wait before trying again, from `Retry-After` (rate limiting). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /** Field messages keyed by dotted path (`allowedOrigins.2`, `widget.texts.title`); empty unless validation failed. */
  fieldErrors(): Record<string, string> {
    return this.code === 'validation_failed' ? fieldErrors(this.details) : {};
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

/** A fallback message for bodies that are not ours (a proxy's HTML 502 page, an empty 500). */
const fallbackMessage = (status: number): string => {
  if (status === 401) return 'Your session has ended. Please sign in again.';
  if (status === 403) return 'You do not have permission to do that.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  if (status >= 500) return 'The server had a problem. Please try again in a moment.';
  return `Request failed (${status}).`;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Turns any error response into an ApiError, trusting the body only when it has our shape. */
export function parseErrorResponse(status: number, bodyText: string, retryAfterHeader: string | null = null): ApiError {
  const retryAfter = parseRetryAfter(retryAfterHeader);
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
    error && typeof error.message === 'string' && error.message.trim() ? error.message : fallbackMessage(status);
  return new ApiError(status, code, message, error?.details, retryAfter);
}

/** Zod issues → `{ 'a.b.0': 'message' }`; the first message for a path wins. */
export function fieldErrors(details: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(details)) return out;
  for (const issue of details) {
    if (!isRecord(issue) || typeof issue.message !== 'string') continue;
    const path = Array.isArray(issue.path) ? issue.path.map(String).join('.') : '';
    if (!(path in out)) out[path] = issue.message;
  }
  return out;
}

/** Each error code's sentence in the dashboard's language (the closed list of `errorCodes`). */
const errorText = {
  bad_request: 'errorBadRequest',
  validation_failed: 'errorValidationFailed',
  unauthorized: 'errorUnauthorized',
  forbidden: 'errorForbidden',
  csrf_failed: 'errorCsrfFailed',
  origin_not_allowed: 'errorOriginNotAllowed',
  unknown_site: 'errorUnknownSite',
  not_found: 'errorNotFound',
  conflict: 'errorConflict',
  payload_too_large: 'errorPayloadTooLarge',
  unsupported_media_type: 'errorUnsupportedMediaType',
  rate_limited: 'errorRateLimited',
  too_many_conversations: 'errorTooManyConversations',
  unavailable: 'errorUnavailable',
  internal: 'errorInternal',
} as const satisfies Record<ErrorCode, string>;

/**
 * A human sentence for any thrown value, for banners and toasts, in the dashboard's language. The server's
 * messages are English and often more precise than the code ("Someone with this email is already on the
 * team"), so English shows them; other languages show the dashboard's own sentence for the code, and the
 * server's message only for a code this dashboard does not know (a newer server).
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'rate_limited' && error.retryAfter !== undefined) {
      return t('errorRateLimitedWait', { wait: formatWait(error.retryAfter) });
    }
    const key = (errorText as Record<string, (typeof errorText)[ErrorCode]>)[error.code];
    if (currentLocale() === 'en' || !key) return error.message;
    return t(key);
  }
  return t('errorUnknown');
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return t('waitSeconds', { count: Math.max(1, seconds) });
  return t('waitMinutes', { count: Math.ceil(seconds / 60) });
}
