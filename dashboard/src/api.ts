import { currentLocale } from './lib/i18n';
import { t } from './i18n';
import type {
  AcceptInvite,
  ApiKey,
  ApiKeyList,
  CreateApiKey,
  CreatedApiKey,
  UpdateMe,
  InstallHealth,
  ReplyDelivery,
  AgentPresence,
  Callback,
  CallbackOutcomeInput,
  ChatMessage,
  ConversationStatus,
  ConversationSummary,
  CreateSite,
  ErrorCode,
  FeedbackKind,
  FeedbackReport,
  InviteAgent,
  InviteCreated,
  LearnResult,
  ScoringJob,
  LivePageview,
  LiveVisitor,
  Login,
  Outcome,
  ScoringSettings,
  RoutingChoice,
  RoutingSettings,
  RoutingSettingsInput,
  Team,
  TeamInput,
  Audience,
  AudienceInput,
  IdentitySecretResponse,
  IdentitySecretStatus,
  PixelConfig,
  PrivacyAuditEntry,
  VisitorErasure,
  VisitorExport,
  VisitorDetail,
  Me,
  Site,
  TeamMember,
  UpdateSite,
  CreateWebhookEndpoint,
  LeadDetail,
  LeadList,
  LeadSummary,
  UpdateLead,
  UpdateWebhookEndpoint,
  WebhookDelivery,
  WebhookEndpoint,
  Trigger,
  TriggerInput,
  Invitation,
  PersonDetail,
  ComputedThresholds,
  ScoringRule,
} from '@beckon/sdk/protocol';
import { observeServerDate } from './server-clock';

/** A canned response: `/shortcut` in the composer inserts `text`. */
export interface CannedResponse {
  id: string;
  shortcut: string;
  text: string;
}

export type InboxView = 'unassigned' | 'mine' | 'all';

/** One line of a conversation's assignment history. Names are resolved by the server. */
export interface ConversationEvent {
  kind: 'assigned' | 'taken' | 'transferred' | 'reassigned' | 'unassigned' | 'closed' | (string & {});
  from: string | null;
  to: string | null;
  by: string;
  reason: string | null;
  /** The routing decision behind an automatic assignment. */
  routing?: RoutingChoice | null;
  at: string;
}

/** Who the visitor is and where they have been, for the sidebar next to a conversation. */
export interface VisitorContext {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  currentUrl: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  referrer: string | null;
  utm: Record<string, string>;
  pages: Array<{ url: string; title: string | null; at: string }>;
  earlierConversations: ConversationSummary[];
}

export interface ConversationDetail {
  conversation: ConversationSummary;
  /** All of them, internal notes included, oldest first. */
  messages: ChatMessage[];
  events: ConversationEvent[];
  visitor: VisitorContext;
}

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

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  /**
   * Calls made without a session (login, accept-invite): a 401 there is an answer for the form,
   * not a sign that the session ended, and they need no CSRF token.
   */
  anonymous?: boolean;
}

export interface ApiClientOptions {
  fetch?: typeof fetch;
  /** Prefix for every path; same origin by default. */
  baseUrl?: string;
  /** Called when a session call answers 401 (expired or revoked session). */
  onUnauthorized?: () => void;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(options: ApiClientOptions = {}) {
  const baseUrl = options.baseUrl ?? '';
  let csrfToken: string | null = null;
  let onUnauthorized = options.onUnauthorized;
  const doFetch = (input: string, init: RequestInit) => (options.fetch ?? globalThis.fetch)(input, init);

  const remember = (me: Me): Me => {
    csrfToken = me.csrfToken;
    return me;
  };

  async function send(method: Method, path: string, opts: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && !opts.anonymous && csrfToken) headers['x-csrf-token'] = csrfToken;
    try {
      const sentAt = Date.now();
      const response = await doFetch(baseUrl + path, {
        method,
        headers,
        credentials: 'same-origin',
        body: opts.body === undefined ? null : JSON.stringify(opts.body),
      });
      observeServerDate(response.headers.get('date'), sentAt, Date.now());
      return response;
    } catch {
      throw new ApiError(0, 'unavailable', 'Cannot reach the Beckon server. Check your connection and try again.');
    }
  }

  async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
    let response = await send(method, path, opts);
    if (response.status === 403 && method !== 'GET' && !opts.anonymous) {
      // The CSRF token rotates with the session; fetch the current one once and retry.
      const error = parseErrorResponse(response.status, await response.text());
      if (error.code !== 'csrf_failed') throw error;
      await request<Me>('GET', '/api/me').then(remember);
      response = await send(method, path, opts);
    }
    if (response.ok) {
      if (response.status === 204) return undefined as T;
      const text = await response.text();
      return (text ? JSON.parse(text) : undefined) as T;
    }
    const error = parseErrorResponse(response.status, await response.text(), response.headers.get('retry-after'));
    if (error.status === 401 && !opts.anonymous) {
      csrfToken = null;
      onUnauthorized?.();
    }
    throw error;
  }

  const id = encodeURIComponent;

  return {
    request,
    setOnUnauthorized(handler: (() => void) | undefined) {
      onUnauthorized = handler;
    },
    get csrfToken() {
      return csrfToken;
    },

    login: (body: Login) => request<Me>('POST', '/api/auth/login', { body, anonymous: true }).then(remember),
    acceptInvite: (body: AcceptInvite) =>
      request<Me>('POST', '/api/invites/accept', { body, anonymous: true }).then(remember),
    async logout(): Promise<void> {
      try {
        await request<void>('POST', '/api/auth/logout');
      } finally {
        csrfToken = null;
      }
    },
    me: () => request<Me>('GET', '/api/me').then(remember),
    updateMe: (body: UpdateMe) => request<Me>('PATCH', '/api/me', { body }).then(remember),

    listSites: () => request<{ sites: Site[] }>('GET', '/api/sites').then((r) => r.sites),
    getSite: (siteId: string) => request<{ site: Site }>('GET', `/api/sites/${id(siteId)}`).then((r) => r.site),
    createSite: (body: CreateSite) => request<{ site: Site }>('POST', '/api/sites', { body }).then((r) => r.site),
    installHealth: (siteId: string) =>
      request<{ health: InstallHealth }>('GET', `/api/sites/${id(siteId)}/install-health`).then((r) => r.health),
    updateSite: (siteId: string, patch: UpdateSite) =>
      request<{ site: Site }>('PATCH', `/api/sites/${id(siteId)}`, { body: patch }).then((r) => r.site),
    listPageviews: (siteId: string, limit = 50) =>
      request<{ pageviews: LivePageview[] }>('GET', `/api/sites/${id(siteId)}/pageviews?limit=${limit}`).then(
        (r) => r.pageviews,
      ),

    listVisitors: (siteId: string) =>
      request<{ visitors: LiveVisitor[]; windowMs: number }>('GET', `/api/sites/${id(siteId)}/visitors`),
    getVisitor: (siteId: string, visitorId: string) =>
      request<{ visitor: VisitorDetail }>('GET', `/api/sites/${id(siteId)}/visitors/${id(visitorId)}`).then(
        (r) => r.visitor,
      ),
    setOutcome: (siteId: string, visitorId: string, outcome: Outcome | null) =>
      request<{ outcome: Outcome | null }>('PUT', `/api/sites/${id(siteId)}/visitors/${id(visitorId)}/outcome`, {
        body: { outcome },
      }),
    getRouting: (siteId: string) =>
      request<{ settings: RoutingSettings; teams: Team[]; agents: { id: string; name: string; email: string }[] }>(
        'GET',
        `/api/sites/${id(siteId)}/routing`,
      ),
    saveRouting: (siteId: string, settings: RoutingSettingsInput) =>
      request<{ settings: RoutingSettings }>('PUT', `/api/sites/${id(siteId)}/routing`, { body: settings }).then(
        (r) => r.settings,
      ),
    createTeam: (siteId: string, team: TeamInput) =>
      request<{ team: Team }>('POST', `/api/sites/${id(siteId)}/teams`, { body: team }).then((r) => r.team),
    updateTeam: (siteId: string, teamId: string, team: TeamInput) =>
      request<{ team: Team }>('PUT', `/api/sites/${id(siteId)}/teams/${id(teamId)}`, { body: team }).then(
        (r) => r.team,
      ),
    deleteTeam: (siteId: string, teamId: string) =>
      request<null>('DELETE', `/api/sites/${id(siteId)}/teams/${id(teamId)}`),
    getScoring: (siteId: string) =>
      request<{
        settings: ScoringSettings;
        defaults: ScoringSettings;
        job: ScoringJob | null;
        /** Percent mode: the points last computed from the last 30 days' visitors (null: not yet). */
        thresholds: ComputedThresholds | null;
      }>('GET', `/api/sites/${id(siteId)}/scoring`),
    /** Saved at once; the rescore runs as `job` (progress on `scoring:job`). */
    saveScoring: (siteId: string, settings: ScoringSettings) =>
      request<{ settings: ScoringSettings; job: ScoringJob }>('PUT', `/api/sites/${id(siteId)}/scoring`, {
        body: settings,
      }),
    getScoringJob: (siteId: string) =>
      request<{ job: ScoringJob | null }>('GET', `/api/sites/${id(siteId)}/scoring/job`).then((r) => r.job),
    learnScoring: (siteId: string) => request<LearnResult>('POST', `/api/sites/${id(siteId)}/scoring/learn`),
    /** Learnt points, plus the proposed new rules the admin accepted (added after the site's rules). */
    applyScoring: (siteId: string, points: Record<string, number>, newRules: ScoringRule[] = []) =>
      request<{ settings: ScoringSettings; job: ScoringJob }>('POST', `/api/sites/${id(siteId)}/scoring/apply`, {
        body: { points, newRules },
      }),

    listTriggers: (siteId: string) =>
      request<{ triggers: Trigger[] }>('GET', `/api/sites/${id(siteId)}/triggers`).then((r) => r.triggers),
    createTrigger: (siteId: string, body: TriggerInput) =>
      request<{ trigger: Trigger }>('POST', `/api/sites/${id(siteId)}/triggers`, { body }).then((r) => r.trigger),
    updateTrigger: (siteId: string, triggerId: string, body: TriggerInput) =>
      request<{ trigger: Trigger }>('PUT', `/api/sites/${id(siteId)}/triggers/${id(triggerId)}`, { body }).then(
        (r) => r.trigger,
      ),
    deleteTrigger: (siteId: string, triggerId: string) =>
      request<void>('DELETE', `/api/sites/${id(siteId)}/triggers/${id(triggerId)}`),
    listInvitations: (siteId: string) =>
      request<{ invitations: Invitation[] }>('GET', `/api/sites/${id(siteId)}/invitations`).then((r) => r.invitations),
    inviteVisitor: (siteId: string, visitorId: string, message: string) =>
      request<{ invitation: Invitation }>('POST', `/api/sites/${id(siteId)}/invitations`, {
        body: { visitorId, message },
      }).then((r) => r.invitation),

    listAudiences: (siteId: string) =>
      request<{ audiences: Array<Audience & { members: number }>; pixels: PixelConfig[] }>(
        'GET',
        `/api/sites/${id(siteId)}/audiences`,
      ),
    createAudience: (siteId: string, body: AudienceInput) =>
      request<{ audience: Audience }>('POST', `/api/sites/${id(siteId)}/audiences`, { body }).then((r) => r.audience),
    updateAudience: (siteId: string, audienceId: string, body: AudienceInput) =>
      request<{ audience: Audience }>('PUT', `/api/sites/${id(siteId)}/audiences/${id(audienceId)}`, { body }).then(
        (r) => r.audience,
      ),
    deleteAudience: (siteId: string, audienceId: string) =>
      request<void>('DELETE', `/api/sites/${id(siteId)}/audiences/${id(audienceId)}`),
    savePixels: (siteId: string, pixels: PixelConfig[]) =>
      request<{ pixels: PixelConfig[] }>('PUT', `/api/sites/${id(siteId)}/pixels`, { body: { pixels } }).then(
        (r) => r.pixels,
      ),
    identitySecretStatus: (siteId: string) =>
      request<IdentitySecretStatus>('GET', `/api/sites/${id(siteId)}/identity-secret`),
    rotateIdentitySecret: (siteId: string) =>
      request<IdentitySecretResponse>('POST', `/api/sites/${id(siteId)}/identity-secret`),
    exportVisitor: (siteId: string, visitorId: string) =>
      request<VisitorExport>('GET', `/api/sites/${id(siteId)}/privacy/visitors/${id(visitorId)}/export`),
    eraseVisitor: (siteId: string, visitorId: string) =>
      request<VisitorErasure>('DELETE', `/api/sites/${id(siteId)}/privacy/visitors/${id(visitorId)}`),
    /** Export or erase a person by the email or phone they gave (no visitor id needed). */
    privacyRequest: <A extends 'export' | 'erase'>(
      siteId: string,
      body: { action: A; email?: string; phone?: string },
    ) =>
      request<A extends 'export' ? VisitorExport : VisitorErasure>(
        'POST',
        `/api/sites/${id(siteId)}/privacy/requests`,
        { body },
      ),
    getPerson: (personId: string) => request<PersonDetail>('GET', `/api/persons/${id(personId)}`),
    setPersonOutcome: (personId: string, outcome: 'won' | 'lost' | null) =>
      request<PersonDetail>('POST', `/api/persons/${id(personId)}/outcome`, { body: { outcome } }),
    exportPerson: (personId: string) => request<VisitorExport>('GET', `/api/persons/${id(personId)}/export`),
    erasePerson: (personId: string) => request<VisitorErasure>('DELETE', `/api/persons/${id(personId)}`),
    privacyAudit: (siteId: string) =>
      request<{ entries: PrivacyAuditEntry[] }>('GET', `/api/sites/${id(siteId)}/privacy/audit`).then((r) => r.entries),

    listConversations: (query: { siteId?: string; view: InboxView; status: ConversationStatus; limit?: number }) => {
      const params = new URLSearchParams({ view: query.view, status: query.status, limit: String(query.limit ?? 100) });
      if (query.siteId) params.set('siteId', query.siteId);
      return request<{ conversations: ConversationSummary[] }>('GET', `/api/conversations?${params}`).then(
        (r) => r.conversations,
      );
    },
    getConversation: (conversationId: string) =>
      request<ConversationDetail>('GET', `/api/conversations/${id(conversationId)}`),
    replyDelivery: (conversationId: string) =>
      request<{ delivery: ReplyDelivery }>('GET', `/api/conversations/${id(conversationId)}/reply-delivery`).then(
        (r) => r.delivery,
      ),
    takeConversation: (conversationId: string) =>
      request<void>('POST', `/api/conversations/${id(conversationId)}/take`),
    transferConversation: (conversationId: string, body: { agentId: string; reason?: string }) =>
      request<void>('POST', `/api/conversations/${id(conversationId)}/transfer`, { body }),
    closeConversation: (conversationId: string) =>
      request<void>('POST', `/api/conversations/${id(conversationId)}/close`),
    sitePresence: (siteId: string) =>
      request<{ agents: AgentPresence[] }>('GET', `/api/sites/${id(siteId)}/presence`).then((r) => r.agents),
    listCannedResponses: (siteId: string) =>
      request<{ cannedResponses: CannedResponse[] }>('GET', `/api/sites/${id(siteId)}/canned-responses`).then(
        (r) => r.cannedResponses,
      ),
    createCannedResponse: (siteId: string, body: { shortcut: string; text: string }) =>
      request<{ cannedResponse: CannedResponse }>('POST', `/api/sites/${id(siteId)}/canned-responses`, { body }).then(
        (r) => r.cannedResponse,
      ),
    deleteCannedResponse: (siteId: string, cannedId: string) =>
      request<void>('DELETE', `/api/sites/${id(siteId)}/canned-responses/${id(cannedId)}`),

    /** `query` is built by features/leads/filters.ts; the same string drives the CSV export link. */
    listLeads: (query: URLSearchParams) => request<LeadList>('GET', `/api/leads?${query}`),
    getLead: (leadId: string) => request<LeadDetail>('GET', `/api/leads/${id(leadId)}`),
    updateLead: (leadId: string, body: UpdateLead) =>
      request<{ lead: LeadSummary }>('PATCH', `/api/leads/${id(leadId)}`, { body }).then((r) => r.lead),

    listWebhooks: (siteId: string) =>
      request<{ endpoints: WebhookEndpoint[] }>('GET', `/api/sites/${id(siteId)}/webhooks`).then((r) => r.endpoints),
    createWebhook: (siteId: string, body: CreateWebhookEndpoint) =>
      request<{ endpoint: WebhookEndpoint; secret: string }>('POST', `/api/sites/${id(siteId)}/webhooks`, { body }),
    updateWebhook: (siteId: string, endpointId: string, body: UpdateWebhookEndpoint) =>
      request<{ endpoint: WebhookEndpoint; secret?: string }>(
        'PATCH',
        `/api/sites/${id(siteId)}/webhooks/${id(endpointId)}`,
        { body },
      ),
    deleteWebhook: (siteId: string, endpointId: string) =>
      request<void>('DELETE', `/api/sites/${id(siteId)}/webhooks/${id(endpointId)}`),
    sendTestWebhook: (siteId: string, endpointId: string) =>
      request<{ deliveryId: string }>('POST', `/api/sites/${id(siteId)}/webhooks/${id(endpointId)}/test`),
    listWebhookDeliveries: (siteId: string, endpointId: string, limit = 50) =>
      request<{ deliveries: WebhookDelivery[] }>(
        'GET',
        `/api/sites/${id(siteId)}/webhooks/${id(endpointId)}/deliveries?limit=${limit}`,
      ).then((r) => r.deliveries),
    redeliverWebhook: (siteId: string, endpointId: string, deliveryId: string) =>
      request<void>(
        'POST',
        `/api/sites/${id(siteId)}/webhooks/${id(endpointId)}/deliveries/${id(deliveryId)}/redeliver`,
      ),

    listCallbacks: (siteId: string, status: 'open' | 'done' = 'open', limit = 100) =>
      request<{ callbacks: Callback[] }>(
        'GET',
        `/api/sites/${id(siteId)}/callbacks?status=${status}&limit=${limit}`,
      ).then((r) => r.callbacks),
    takeCallback: (siteId: string, callbackId: string) =>
      request<{ callback: Callback }>('POST', `/api/sites/${id(siteId)}/callbacks/${id(callbackId)}/take`).then(
        (r) => r.callback,
      ),
    recordCallbackOutcome: (siteId: string, callbackId: string, body: CallbackOutcomeInput) =>
      request<{ callback: Callback }>('POST', `/api/sites/${id(siteId)}/callbacks/${id(callbackId)}/outcome`, {
        body,
      }).then((r) => r.callback),
    feedbackReport: (siteId: string, days: number, kind?: FeedbackKind) =>
      request<FeedbackReport>('GET', `/api/sites/${id(siteId)}/feedback?days=${days}${kind ? `&kind=${kind}` : ''}`),

    listApiKeys: () => request<ApiKeyList>('GET', '/api/api-keys'),
    createApiKey: (body: CreateApiKey) => request<CreatedApiKey>('POST', '/api/api-keys', { body }),
    revokeApiKey: (keyId: string) =>
      request<{ apiKey: ApiKey }>('POST', `/api/api-keys/${id(keyId)}/revoke`).then((r) => r.apiKey),

    listAgents: () => request<{ agents: TeamMember[] }>('GET', '/api/agents').then((r) => r.agents),
    inviteAgent: (body: InviteAgent) => request<InviteCreated>('POST', '/api/agents/invites', { body }),
    setAgentSites: (agentId: string, siteIds: string[]) =>
      request<{ agent: TeamMember }>('PUT', `/api/agents/${id(agentId)}/sites`, { body: { siteIds } }).then(
        (r) => r.agent,
      ),
  };
}

/** The dashboard's one client; the app shell installs the 401 handler. */
export const api = createApiClient();

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
