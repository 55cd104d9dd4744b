import type { CallbackCreated, ErrorBody, ErrorCode, FeedbackKind } from './protocol/index.js';
import { truncate } from './core/text.js';

/** A refused `requestCallback` / `sendFeedback`: the server's error code, and when to retry after a 429. */
export class BeckonRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly details?: unknown,
    /** Seconds from `Retry-After` (429). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'BeckonRequestError';
  }
}

export interface CallbackInput {
  /** E.164, e.g. `+4930901820` (parse user input with libphonenumber-js first). */
  phone: string;
  name?: string;
  /** One of the offered slots (`GET /v1/sites/:key/callback-options`); omit for "call me now". */
  at?: Date | string;
  /** When your form was shown, for the server's minimum-time-on-form check; defaults to when the SDK started. */
  startedAt?: Date | number;
}

export interface FeedbackInput {
  kind: FeedbackKind;
  /** NPS 0–10, CSAT 1–5; none for a message. */
  score?: number;
  text?: string;
  email?: string;
  startedAt?: Date | number;
}

interface Context {
  site: string;
  endpoint: string;
  visitorId: string;
  startedAt: number;
}

async function post<T>(context: Context, path: string, body: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    // text/plain: a CORS "simple" request, so no preflight round trip.
    response = await fetch(`${context.endpoint.replace(/\/+$/, '')}${path}`, {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new BeckonRequestError(0, 'network', `Beckon: ${(error as Error).message || 'network error'}`);
  }
  const parsed = (await response.json().catch(() => null)) as (T & Partial<ErrorBody>) | null;
  if (response.ok && parsed) return parsed;
  const retry = Number(response.headers.get('retry-after'));
  throw new BeckonRequestError(
    response.status,
    parsed?.error?.code ?? 'internal',
    parsed?.error?.message ?? `Beckon: the server answered ${response.status}`,
    parsed?.error?.details,
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}

const since = (startedAt: Date | number | undefined, fallback: number) =>
  Math.max(0, Date.now() - (startedAt === undefined ? fallback : +startedAt));
const pageUrl = () => (typeof location === 'undefined' ? undefined : truncate(location.href, 2000));

export function createForms(context: Context) {
  return {
    requestCallback(input: CallbackInput): Promise<CallbackCreated> {
      if (!input || typeof input.phone !== 'string' || !/^\+[1-9]\d{6,14}$/.test(input.phone)) {
        throw new TypeError('Beckon: requestCallback needs { phone } in E.164, like +4930901820');
      }
      const at = input.at === undefined ? undefined : new Date(input.at);
      if (at && Number.isNaN(at.getTime())) throw new TypeError('Beckon: requestCallback { at } must be a date');
      return post<CallbackCreated>(context, '/v1/callbacks', {
        site: context.site,
        phone: input.phone,
        ...(input.name ? { name: input.name } : {}),
        ...(at ? { at: at.toISOString() } : {}),
        visitorId: context.visitorId,
        url: pageUrl(),
        formMs: since(input.startedAt, context.startedAt),
      });
    },
    sendFeedback(input: FeedbackInput): Promise<{ feedback: { id: string; kind: FeedbackKind; createdAt: string } }> {
      if (!input || !['nps', 'csat', 'message'].includes(input.kind))
        throw new TypeError("Beckon: sendFeedback needs { kind: 'nps' | 'csat' | 'message' }");
      return post(context, '/v1/feedback', {
        site: context.site,
        kind: input.kind,
        ...(input.score === undefined ? {} : { score: input.score }),
        ...(input.text ? { text: input.text } : {}),
        ...(input.email ? { email: input.email } : {}),
        visitorId: context.visitorId,
        url: pageUrl(),
        formMs: since(input.startedAt, context.startedAt),
      });
    },
  };
}
