import type { z } from 'zod';
import type {
  ApiCallback,
  ApiConversation,
  ApiFeedback,
  ApiLead,
  ApiPerson,
  ApiScore,
  BulkOutcomeResult,
  BulkOutcomes,
  callbackCloseSchema,
  LeadUpsert,
  offlineSignalSchema,
  RecordSignalsResponse,
  ReportByName,
  ReportName,
  ReportQuery,
  SyncPage,
} from '../protocol/index.js';
import { BeckonApiError, toApiError } from './errors.js';

/** What each sync list (`GET /api/sites/:siteId/sync/<list>`) holds. */
export interface SyncItems {
  leads: ApiLead;
  persons: ApiPerson;
  conversations: ApiConversation;
  callbacks: ApiCallback;
  feedback: ApiFeedback;
  scores: ApiScore;
}
export type SyncList = keyof SyncItems;

export type CallbackClose = z.input<typeof callbackCloseSchema>;
export type OfflineSignalInput = z.input<typeof offlineSignalSchema>;
export type OutcomeInput = BulkOutcomes['outcomes'][number];

export interface SyncOptions {
  /** Where the last run stopped (`SyncIterator.cursor`); null or absent: from `updatedSince`, or the beginning. */
  cursor?: string | null;
  /** Only rows changed after this (ISO 8601 or a Date), when there is no cursor. */
  updatedSince?: string | Date;
  /** Rows per request, 1–200 (default 100). */
  pageSize?: number;
}

export interface WriteOptions {
  /**
   * Names this write, so sending it again (after a lost answer, a crash, a retry) applies it once. Generated per
   * call when absent; pass your own (e.g. derived from the CRM's record) to be safe across restarts too.
   */
  idempotencyKey?: string;
}

export interface BeckonClientOptions {
  /** Where Beckon runs, e.g. `https://beckon.example.com`. */
  baseUrl: string;
  /** A key from Settings → API keys (`bk_live_…`), with the scopes the calls need. */
  apiKey: string;
  fetch?: typeof fetch;
  /** Retries of an answer that says "later" (429, 502, 503, 504) or of a network failure. Default 3. */
  maxRetries?: number;
  /** The longest wait the client accepts for one retry (`Retry-After`, the rate-limit window); longer → the error. Default 60 s. */
  maxWaitMs?: number;
  /** Per request. Default 30 s. */
  timeoutMs?: number;
  /** How to wait; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
}

/** The key's budget as the last answer told it (`RateLimit-*` headers). */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** When the window resets (ms since the epoch). */
  resetAt: number;
}

interface CallOptions {
  body?: unknown;
  query?: Record<string, string | undefined>;
  idempotencyKey?: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Without `Retry-After`: 0.5 s, 1 s, 2 s… with jitter, so many scripts do not retry in step. */
const backoffMs = (attempt: number) => Math.round(500 * 2 ** attempt * (0.75 + Math.random() * 0.5));
const retryableStatuses = new Set([429, 502, 503, 504]);

/**
 * Iterates a sync list across pages (`for await (const lead of site.sync('leads', { cursor }))`); afterwards
 * `cursor` is where the next run resumes — keep it. A row that changes while you page comes again later, so
 * nothing is missed (see the protocol's `syncQuerySchema`).
 */
export class SyncIterator<Item> implements AsyncIterable<Item> {
  /** Where to resume later: after the last row read. */
  cursor: string | null;

  constructor(
    private readonly fetchPage: (query: Record<string, string | undefined>) => Promise<SyncPage<Item>>,
    private readonly options: SyncOptions,
  ) {
    this.cursor = options.cursor ?? null;
  }

  /** Page by page, for batch writes into the CRM. */
  async *pages(): AsyncGenerator<SyncPage<Item>, void, undefined> {
    const { updatedSince, pageSize = 100 } = this.options;
    let cursor = this.cursor;
    const since = updatedSince instanceof Date ? updatedSince.toISOString() : updatedSince;
    for (;;) {
      const page = await this.fetchPage({
        limit: String(pageSize),
        ...(cursor ? { cursor } : { updated_since: since }),
      });
      this.cursor = page.resumeCursor ?? this.cursor;
      yield page;
      if (!page.hasMore || !page.nextCursor) return;
      cursor = page.nextCursor;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }
}

/** The calls about one site; the key must be allowed that site (or every site). */
export interface SiteClient {
  /** Rows created or changed since the cursor (or `updatedSince`), across pages. Scope: `<list>:read`. */
  sync<List extends SyncList>(list: List, options?: SyncOptions): SyncIterator<SyncItems[List]>;
  /** The lead the CRM calls `externalId`. Scope `leads:read`; `not_found` when there is none. */
  getLead(externalId: string): Promise<ApiLead>;
  /**
   * Creates or changes the lead the CRM calls `externalId` (claiming Beckon's lead with the same email, if any);
   * only the fields sent change. Scope `leads:write`.
   */
  upsertLead(externalId: string, fields: LeadUpsert): Promise<{ lead: ApiLead; created: boolean }>;
  /** Closes a callback request with what came of the call. Scope `callbacks:write`. */
  closeCallback(callbackId: string, input: CallbackClose, options?: WriteOptions): Promise<ApiCallback>;
  /** Won / lost (null clears) for up to 100 leads or persons, matched by lead id, person id, email or external id. Scope `outcomes:write`. */
  recordOutcomes(outcomes: OutcomeInput[], options?: WriteOptions): Promise<BulkOutcomeResult[]>;
  /** Offline signals (a purchase in the shop, a signed contract) for lead scoring, up to 1,000. Scope `outcomes:write`. */
  recordSignals(signals: OfflineSignalInput[], options?: WriteOptions): Promise<RecordSignalsResponse>;
}

export interface BeckonClient {
  site(siteId: string): SiteClient;
  /**
   * One report (`overview`, `speed`, `agents`, `funnel`, `cost`, `feedback`, `triggers`) over the local days
   * `from`–`to` in `tz`: of every site the key may see, or of `siteId`. Scope `reports:read`.
   */
  report<Name extends ReportName>(name: Name, query: ReportQuery): Promise<ReportByName[Name]>;
  /** The key's budget after the last answer, or null before the first. */
  readonly rateLimit: RateLimitState | null;
}

/**
 * A typed client of Beckon's API for CRMs and scripts (server side: the key must never reach a browser).
 * Authenticates with an API key, retries what the server asks to retry (honouring `Retry-After` and the
 * key's `RateLimit-*` window) with the same `Idempotency-Key` on every POST, and throws `BeckonApiError`.
 * @example
 * const beckon = createBeckonClient({ baseUrl: 'https://beckon.example.com', apiKey: process.env.BECKON_API_KEY! });
 * const leads = beckon.site(siteId).sync('leads', { cursor: saved });
 * for await (const lead of leads) await crm.save(lead);
 * saved = leads.cursor;
 */
export function createBeckonClient(options: BeckonClientOptions): BeckonClient {
  const {
    apiKey,
    maxRetries = 3,
    maxWaitMs = 60_000,
    timeoutMs = 30_000,
    sleep = defaultSleep,
    fetch: fetchImpl = globalThis.fetch,
  } = options;
  if (!/^bk_/.test(apiKey)) throw new TypeError('apiKey must be a Beckon API key (bk_live_…)');
  const root = `${options.baseUrl.replace(/\/+$/, '')}/api`;
  let rateLimit: RateLimitState | null = null;

  function noteRateLimit(headers: Headers) {
    const limit = Number(headers.get('ratelimit-limit'));
    const remaining = Number(headers.get('ratelimit-remaining'));
    const reset = Number(headers.get('ratelimit-reset'));
    if (headers.has('ratelimit-remaining') && [limit, remaining, reset].every(Number.isFinite))
      rateLimit = { limit, remaining, resetAt: Date.now() + reset * 1000 };
  }

  async function call<T>(method: string, path: string, { body, query, idempotencyKey }: CallOptions = {}): Promise<T> {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(name, value);
    const url = `${root}${path}${search.size ? `?${search}` : ''}`;
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    // One key for every attempt: a retry of a POST whose answer was lost is applied once.
    if (method === 'POST') headers['idempotency-key'] = idempotencyKey ?? globalThis.crypto.randomUUID();
    const payload = body === undefined ? undefined : JSON.stringify(body);

    for (let attempt = 0; ; attempt++) {
      // The key's window is spent: wait for it rather than spend a request on a certain 429.
      if (rateLimit && rateLimit.remaining <= 0) {
        const wait = rateLimit.resetAt - Date.now();
        if (wait > 0 && wait <= maxWaitMs) await sleep(wait);
        rateLimit = null;
      }
      let response: Response;
      try {
        response = await fetchImpl(url, {
          method,
          headers,
          ...(payload === undefined ? {} : { body: payload }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        if (attempt < maxRetries) {
          await sleep(backoffMs(attempt));
          continue;
        }
        const reason = error instanceof Error ? error.message : String(error);
        throw new BeckonApiError(0, 'unavailable', `Cannot reach Beckon at ${root}: ${reason}`);
      }
      noteRateLimit(response.headers);
      const text = await response.text();
      if (response.ok) return (text ? JSON.parse(text) : undefined) as T;
      const error = toApiError(response.status, text, response.headers.get('retry-after'));
      // `too_many_conversations` is a 429 about visitors, not this key: waiting does not help.
      if (retryableStatuses.has(response.status) && error.code !== 'too_many_conversations' && attempt < maxRetries) {
        const wait = error.retryAfter !== undefined ? error.retryAfter * 1000 : backoffMs(attempt);
        if (wait <= maxWaitMs) {
          await sleep(wait);
          continue;
        }
      }
      throw error;
    }
  }

  return {
    get rateLimit() {
      return rateLimit;
    },
    report: (name, query) => call('GET', `/reports/${encodeURIComponent(name)}`, { query }),
    site(siteId: string): SiteClient {
      const site = `/sites/${encodeURIComponent(siteId)}`;
      const id = encodeURIComponent;
      return {
        sync: (list, syncOptions = {}) =>
          new SyncIterator((query) => call('GET', `${site}/sync/${list}`, { query }), syncOptions),
        getLead: (externalId) =>
          call<{ lead: ApiLead }>('GET', `${site}/leads/by-external-id/${id(externalId)}`).then((r) => r.lead),
        upsertLead: (externalId, fields) =>
          call('PUT', `${site}/leads/by-external-id/${id(externalId)}`, { body: fields }),
        closeCallback: (callbackId, input, writeOptions = {}) =>
          call<{ callback: ApiCallback }>('POST', `${site}/callbacks/${id(callbackId)}/close`, {
            body: input,
            ...writeOptions,
          }).then((r) => r.callback),
        recordOutcomes: (outcomes, writeOptions = {}) =>
          call<{ results: BulkOutcomeResult[] }>('POST', `${site}/outcomes`, {
            body: { outcomes },
            ...writeOptions,
          }).then((r) => r.results),
        recordSignals: (signals, writeOptions = {}) =>
          call('POST', `${site}/signals`, { body: { signals }, ...writeOptions }),
      };
    },
  };
}
