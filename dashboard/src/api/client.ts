import type { AppType } from '@beckon/server';
import type {
  acceptInviteSchema,
  applyWeightsSchema,
  audienceInputSchema,
  callbackListQuerySchema,
  callbackOutcomeSchema,
  cannedResponseBodySchema,
  createApiKeySchema,
  createInvitationSchema,
  createSiteSchema,
  createWebhookEndpointSchema,
  digestSettingsSchema,
  feedbackReportQuerySchema,
  inviteAgentSchema,
  loginSchema,
  personOutcomeSchema,
  pixelsUpdateSchema,
  privacyRequestSchema,
  reportQuerySchema,
  routingSettingsSchema,
  scoringSettingsSchema,
  setOutcomeSchema,
  spendEntryInputSchema,
  spendImportSchema,
  teamInputSchema,
  transferBodySchema,
  triggerInputSchema,
  updateLeadSchema,
  updateMeSchema,
  updateSiteSchema,
  updateWebhookEndpointSchema,
  VisitorErasure,
  VisitorExport,
  webhookDeliveriesQuerySchema,
} from '@beckon/sdk/protocol';
import { type ClientRequestOptions, type ClientResponse, hc } from 'hono/client';
import type { z } from 'zod';
import { createTransport } from './transport';

/**
 * What a route takes: the input type of the protocol schema the route parses its body (or query) with. The
 * routes parse in the handler (`readJson(c, schema)`), which hc cannot see, so each call below names the
 * schema of its route; responses need no naming at all — hc reads them off the route handlers.
 */
type In<Schema extends z.ZodType> = z.input<Schema>;

/**
 * A success's body as the route's handler returns it (`c.json(...)`), for each status it may answer with;
 * `undefined` for empty answers (`c.body(null, 204)`). Failures never get here: the transport throws them.
 */
export type Answer<R> =
  R extends ClientResponse<infer Body, number, infer Format> ? (Format extends 'json' ? Body : undefined) : never;

async function answer<R extends ClientResponse<unknown, number, 'json' | 'text' | 'body' | 'redirect'>>(
  pending: Promise<R>,
): Promise<Answer<R>> {
  const response = await pending;
  if (response.status === 204) return undefined as Answer<R>;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as Answer<R>;
}

/** A JSON body for a route that parses it in its handler (hc sets `json` only for routes with a validator). */
const json = (body: unknown): ClientRequestOptions => ({ init: { body: JSON.stringify(body) } });

type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/**
 * A query string for a route that parses it in its handler: hc types `query` only for routes with a validator,
 * but puts any `query` it is given on the URL. Absent and null values are left out.
 */
function withQuery<Args extends object>(args: Args, query: Record<string, QueryValue>): Args {
  const search: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    search[key] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return { ...args, query: search };
}

/** A report's query string: site (absent = every visible site), local dates, time zone, granularity. */
type ReportParams = { [Key in keyof In<typeof reportQuerySchema>]?: string } & { from: string; to: string };

/** Path segments are ids, but never trusted to be URL-safe. */
const id = encodeURIComponent;

export interface ApiClientOptions {
  fetch?: typeof fetch;
  /** Prefix for every path; same origin by default. */
  baseUrl?: string;
  /** Called when a session call answers 401 (expired or revoked session). */
  onUnauthorized?: () => void;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/**
 * The dashboard's API: every call is a route of the server's `AppType` through Hono's `hc`, so its answer's type
 * is the route's — a field renamed on the server breaks the dashboard's build (`tsc -b`). See dashboard/README.md,
 * "Calling the API", for how to add a call.
 */
export function createApiClient(options: ApiClientOptions = {}) {
  const transport = createTransport({
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.onUnauthorized ? { onUnauthorized: options.onUnauthorized } : {}),
    refreshSession: () => me(),
  });
  const baseUrl = options.baseUrl ?? '';
  const rpc = hc<AppType>(baseUrl, { fetch: transport.session }).api;
  /** Login and accepting an invite: no session yet, so no CSRF token, and a 401 is the form's answer. */
  const anonymous = hc<AppType>(baseUrl, { fetch: transport.anonymous }).api;

  const me = () => answer(rpc.me.$get()).then(transport.remember);

  return {
    setOnUnauthorized: transport.setOnUnauthorized,
    get csrfToken() {
      return transport.csrfToken;
    },

    login: (body: In<typeof loginSchema>) =>
      answer(anonymous.auth.login.$post({}, json(body))).then(transport.remember),
    acceptInvite: (body: In<typeof acceptInviteSchema>) =>
      answer(anonymous.invites.accept.$post({}, json(body))).then(transport.remember),
    async logout(): Promise<void> {
      try {
        await answer(rpc.auth.logout.$post());
      } finally {
        transport.forget();
      }
    },
    me,
    updateMe: (body: In<typeof updateMeSchema>) => answer(rpc.me.$patch({}, json(body))).then(transport.remember),

    listSites: () => answer(rpc.sites.$get()).then((r) => r.sites),
    getSite: (siteId: string) => answer(rpc.sites[':id'].$get({ param: { id: id(siteId) } })).then((r) => r.site),
    createSite: (body: In<typeof createSiteSchema>) => answer(rpc.sites.$post({}, json(body))).then((r) => r.site),
    installHealth: (siteId: string) =>
      answer(rpc.sites[':id']['install-health'].$get({ param: { id: id(siteId) } })).then((r) => r.health),
    updateSite: (siteId: string, patch: In<typeof updateSiteSchema>) =>
      answer(rpc.sites[':id'].$patch({ param: { id: id(siteId) } }, json(patch))).then((r) => r.site),
    listPageviews: (siteId: string, limit = 50) =>
      answer(rpc.sites[':id'].pageviews.$get(withQuery({ param: { id: id(siteId) } }, { limit }))).then(
        (r) => r.pageviews,
      ),

    listVisitors: (siteId: string) => answer(rpc.sites[':id'].visitors.$get({ param: { id: id(siteId) } })),
    getVisitor: (siteId: string, visitorId: string) =>
      answer(
        rpc.sites[':id'].visitors[':visitorId'].$get({ param: { id: id(siteId), visitorId: id(visitorId) } }),
      ).then((r) => r.visitor),
    setOutcome: (siteId: string, visitorId: string, outcome: In<typeof setOutcomeSchema>['outcome']) =>
      answer(
        rpc.sites[':id'].visitors[':visitorId'].outcome.$put(
          { param: { id: id(siteId), visitorId: id(visitorId) } },
          json({ outcome }),
        ),
      ),
    getRouting: (siteId: string) => answer(rpc.sites[':id'].routing.$get({ param: { id: id(siteId) } })),
    saveRouting: (siteId: string, settings: In<typeof routingSettingsSchema>) =>
      answer(rpc.sites[':id'].routing.$put({ param: { id: id(siteId) } }, json(settings))).then((r) => r.settings),
    createTeam: (siteId: string, team: In<typeof teamInputSchema>) =>
      answer(rpc.sites[':id'].teams.$post({ param: { id: id(siteId) } }, json(team))).then((r) => r.team),
    updateTeam: (siteId: string, teamId: string, team: In<typeof teamInputSchema>) =>
      answer(
        rpc.sites[':id'].teams[':teamId'].$put({ param: { id: id(siteId), teamId: id(teamId) } }, json(team)),
      ).then((r) => r.team),
    deleteTeam: (siteId: string, teamId: string) =>
      answer(rpc.sites[':id'].teams[':teamId'].$delete({ param: { id: id(siteId), teamId: id(teamId) } })),
    getScoring: (siteId: string) => answer(rpc.sites[':id'].scoring.$get({ param: { id: id(siteId) } })),
    /** Saved at once; the rescore runs as `job` (progress on `scoring:job`). */
    saveScoring: (siteId: string, settings: In<typeof scoringSettingsSchema>) =>
      answer(rpc.sites[':id'].scoring.$put({ param: { id: id(siteId) } }, json(settings))),
    getScoringJob: (siteId: string) =>
      answer(rpc.sites[':id'].scoring.job.$get({ param: { id: id(siteId) } })).then((r) => r.job),
    learnScoring: (siteId: string) => answer(rpc.sites[':id'].scoring.learn.$post({ param: { id: id(siteId) } })),
    /** Learnt points, plus the proposed new rules the admin accepted (added after the site's rules). */
    applyScoring: (
      siteId: string,
      points: In<typeof applyWeightsSchema>['points'],
      newRules: NonNullable<In<typeof applyWeightsSchema>['newRules']> = [],
    ) =>
      answer(
        rpc.sites[':id'].scoring.apply.$post(
          { param: { id: id(siteId) } },
          json({ points, newRules } satisfies In<typeof applyWeightsSchema>),
        ),
      ),

    listTriggers: (siteId: string) =>
      answer(rpc.sites[':id'].triggers.$get({ param: { id: id(siteId) } })).then((r) => r.triggers),
    createTrigger: (siteId: string, body: In<typeof triggerInputSchema>) =>
      answer(rpc.sites[':id'].triggers.$post({ param: { id: id(siteId) } }, json(body))).then((r) => r.trigger),
    updateTrigger: (siteId: string, triggerId: string, body: In<typeof triggerInputSchema>) =>
      answer(
        rpc.sites[':id'].triggers[':triggerId'].$put(
          { param: { id: id(siteId), triggerId: id(triggerId) } },
          json(body),
        ),
      ).then((r) => r.trigger),
    deleteTrigger: (siteId: string, triggerId: string) =>
      answer(rpc.sites[':id'].triggers[':triggerId'].$delete({ param: { id: id(siteId), triggerId: id(triggerId) } })),
    listInvitations: (siteId: string) =>
      answer(rpc.sites[':id'].invitations.$get({ param: { id: id(siteId) } })).then((r) => r.invitations),
    inviteVisitor: (siteId: string, visitorId: string, message: string) =>
      answer(
        rpc.sites[':id'].invitations.$post(
          { param: { id: id(siteId) } },
          json({ visitorId, message } satisfies In<typeof createInvitationSchema>),
        ),
      ).then((r) => r.invitation),

    listAudiences: (siteId: string) => answer(rpc.sites[':id'].audiences.$get({ param: { id: id(siteId) } })),
    createAudience: (siteId: string, body: In<typeof audienceInputSchema>) =>
      answer(rpc.sites[':id'].audiences.$post({ param: { id: id(siteId) } }, json(body))).then((r) => r.audience),
    updateAudience: (siteId: string, audienceId: string, body: In<typeof audienceInputSchema>) =>
      answer(
        rpc.sites[':id'].audiences[':audienceId'].$put(
          { param: { id: id(siteId), audienceId: id(audienceId) } },
          json(body),
        ),
      ).then((r) => r.audience),
    deleteAudience: (siteId: string, audienceId: string) =>
      answer(
        rpc.sites[':id'].audiences[':audienceId'].$delete({ param: { id: id(siteId), audienceId: id(audienceId) } }),
      ),
    savePixels: (siteId: string, pixels: In<typeof pixelsUpdateSchema>['pixels']) =>
      answer(rpc.sites[':id'].pixels.$put({ param: { id: id(siteId) } }, json({ pixels }))).then((r) => r.pixels),
    identitySecretStatus: (siteId: string) =>
      answer(rpc.sites[':id']['identity-secret'].$get({ param: { id: id(siteId) } })),
    rotateIdentitySecret: (siteId: string) =>
      answer(rpc.sites[':id']['identity-secret'].$post({ param: { id: id(siteId) } })),
    exportVisitor: (siteId: string, visitorId: string) =>
      answer(
        rpc.sites[':id'].privacy.visitors[':visitorId'].export.$get({
          param: { id: id(siteId), visitorId: id(visitorId) },
        }),
      ),
    eraseVisitor: (siteId: string, visitorId: string) =>
      answer(
        rpc.sites[':id'].privacy.visitors[':visitorId'].$delete({
          param: { id: id(siteId), visitorId: id(visitorId) },
        }),
      ),
    /** Export or erase a person by the email or phone they gave (no visitor id needed). */
    privacyRequest: <Action extends 'export' | 'erase'>(
      siteId: string,
      body: In<typeof privacyRequestSchema> & { action: Action },
    ) =>
      answer(rpc.sites[':id'].privacy.requests.$post({ param: { id: id(siteId) } }, json(body))) as Promise<
        Action extends 'export' ? VisitorExport : VisitorErasure
      >,
    getPerson: (personId: string) => answer(rpc.persons[':id'].$get({ param: { id: id(personId) } })),
    setPersonOutcome: (personId: string, outcome: In<typeof personOutcomeSchema>['outcome']) =>
      answer(rpc.persons[':id'].outcome.$post({ param: { id: id(personId) } }, json({ outcome }))),
    exportPerson: (personId: string) => answer(rpc.persons[':id'].export.$get({ param: { id: id(personId) } })),
    erasePerson: (personId: string) => answer(rpc.persons[':id'].$delete({ param: { id: id(personId) } })),
    privacyAudit: (siteId: string) =>
      answer(rpc.sites[':id'].privacy.audit.$get({ param: { id: id(siteId) } })).then((r) => r.entries),

    listConversations: (query: { siteId?: string; view: InboxView; status: 'open' | 'closed'; limit?: number }) =>
      answer(
        rpc.conversations.$get(
          withQuery({}, { view: query.view, status: query.status, limit: query.limit ?? 100, siteId: query.siteId }),
        ),
      ).then((r) => r.conversations),
    getConversation: (conversationId: string) =>
      answer(rpc.conversations[':id'].$get({ param: { id: id(conversationId) } })),
    replyDelivery: (conversationId: string) =>
      answer(rpc.conversations[':id']['reply-delivery'].$get({ param: { id: id(conversationId) } })).then(
        (r) => r.delivery,
      ),
    takeConversation: (conversationId: string) =>
      answer(rpc.conversations[':id'].take.$post({ param: { id: id(conversationId) } })),
    transferConversation: (conversationId: string, body: In<typeof transferBodySchema>) =>
      answer(rpc.conversations[':id'].transfer.$post({ param: { id: id(conversationId) } }, json(body))),
    closeConversation: (conversationId: string) =>
      answer(rpc.conversations[':id'].close.$post({ param: { id: id(conversationId) } })),
    sitePresence: (siteId: string) =>
      answer(rpc.sites[':id'].presence.$get({ param: { id: id(siteId) } })).then((r) => r.agents),
    listCannedResponses: (siteId: string) =>
      answer(rpc.sites[':id']['canned-responses'].$get({ param: { id: id(siteId) } })).then((r) => r.cannedResponses),
    createCannedResponse: (siteId: string, body: In<typeof cannedResponseBodySchema>) =>
      answer(rpc.sites[':id']['canned-responses'].$post({ param: { id: id(siteId) } }, json(body))).then(
        (r) => r.cannedResponse,
      ),
    deleteCannedResponse: (siteId: string, cannedId: string) =>
      answer(
        rpc.sites[':id']['canned-responses'][':cannedId'].$delete({
          param: { id: id(siteId), cannedId: id(cannedId) },
        }),
      ),

    /** `query` is built by features/leads/filters.ts; the same string drives the CSV export link. */
    listLeads: (query: URLSearchParams) => {
      const filters: Record<string, string[]> = {};
      for (const key of new Set(query.keys())) filters[key] = query.getAll(key);
      return answer(rpc.leads.$get(withQuery({}, filters)));
    },
    getLead: (leadId: string) => answer(rpc.leads[':id'].$get({ param: { id: id(leadId) } })),
    updateLead: (leadId: string, body: In<typeof updateLeadSchema>) =>
      answer(rpc.leads[':id'].$patch({ param: { id: id(leadId) } }, json(body))).then((r) => r.lead),

    listWebhooks: (siteId: string) =>
      answer(rpc.sites[':siteId'].webhooks.$get({ param: { siteId: id(siteId) } })).then((r) => r.endpoints),
    createWebhook: (siteId: string, body: In<typeof createWebhookEndpointSchema>) =>
      answer(rpc.sites[':siteId'].webhooks.$post({ param: { siteId: id(siteId) } }, json(body))),
    updateWebhook: (siteId: string, endpointId: string, body: In<typeof updateWebhookEndpointSchema>) =>
      answer(
        rpc.sites[':siteId'].webhooks[':endpointId'].$patch(
          { param: { siteId: id(siteId), endpointId: id(endpointId) } },
          json(body),
        ),
      ),
    deleteWebhook: (siteId: string, endpointId: string) =>
      answer(
        rpc.sites[':siteId'].webhooks[':endpointId'].$delete({
          param: { siteId: id(siteId), endpointId: id(endpointId) },
        }),
      ),
    sendTestWebhook: (siteId: string, endpointId: string) =>
      answer(
        rpc.sites[':siteId'].webhooks[':endpointId'].test.$post({
          param: { siteId: id(siteId), endpointId: id(endpointId) },
        }),
      ),
    listWebhookDeliveries: (siteId: string, endpointId: string, limit = 50) =>
      answer(
        rpc.sites[':siteId'].webhooks[':endpointId'].deliveries.$get(
          withQuery({ param: { siteId: id(siteId), endpointId: id(endpointId) } }, {
            limit,
          } satisfies In<typeof webhookDeliveriesQuerySchema>),
        ),
      ).then((r) => r.deliveries),
    redeliverWebhook: (siteId: string, endpointId: string, deliveryId: string) =>
      answer(
        rpc.sites[':siteId'].webhooks[':endpointId'].deliveries[':deliveryId'].redeliver.$post({
          param: { siteId: id(siteId), endpointId: id(endpointId), deliveryId: id(deliveryId) },
        }),
      ),

    listCallbacks: (siteId: string, status: 'open' | 'done' = 'open', limit = 100) =>
      answer(
        rpc.sites[':siteId'].callbacks.$get(
          withQuery({ param: { siteId: id(siteId) } }, { status, limit } satisfies In<typeof callbackListQuerySchema>),
        ),
      ).then((r) => r.callbacks),
    takeCallback: (siteId: string, callbackId: string) =>
      answer(
        rpc.sites[':siteId'].callbacks[':id'].take.$post({ param: { siteId: id(siteId), id: id(callbackId) } }),
      ).then((r) => r.callback),
    recordCallbackOutcome: (siteId: string, callbackId: string, body: In<typeof callbackOutcomeSchema>) =>
      answer(
        rpc.sites[':siteId'].callbacks[':id'].outcome.$post(
          { param: { siteId: id(siteId), id: id(callbackId) } },
          json(body),
        ),
      ).then((r) => r.callback),
    feedbackReport: (siteId: string, days: number, kind?: In<typeof feedbackReportQuerySchema>['kind']) =>
      answer(
        rpc.sites[':siteId'].feedback.$get(
          withQuery({ param: { siteId: id(siteId) } }, { days, kind } satisfies In<typeof feedbackReportQuerySchema>),
        ),
      ),

    /** The seven reports (`/api/reports/<name>`), each with its own answer type. */
    reports: {
      overview: (query: ReportParams) => answer(rpc.reports.overview.$get(withQuery({}, query))),
      speed: (query: ReportParams) => answer(rpc.reports.speed.$get(withQuery({}, query))),
      agents: (query: ReportParams) => answer(rpc.reports.agents.$get(withQuery({}, query))),
      funnel: (query: ReportParams) => answer(rpc.reports.funnel.$get(withQuery({}, query))),
      cost: (query: ReportParams) => answer(rpc.reports.cost.$get(withQuery({}, query))),
      feedback: (query: ReportParams) => answer(rpc.reports.feedback.$get(withQuery({}, query))),
      triggers: (query: ReportParams) => answer(rpc.reports.triggers.$get(withQuery({}, query))),
    },
    listSpend: (siteId: string) => answer(rpc.reports.spend.$get(withQuery({}, { siteId }))),
    saveSpend: (body: In<typeof spendEntryInputSchema>) => answer(rpc.reports.spend.$put({}, json(body))),
    deleteSpend: (entryId: string) => answer(rpc.reports.spend[':id'].$delete({ param: { id: id(entryId) } })),
    importSpend: (body: In<typeof spendImportSchema>) => answer(rpc.reports.spend.import.$post({}, json(body))),
    getDigest: () => answer(rpc.reports.digest.$get()),
    saveDigest: (body: In<typeof digestSettingsSchema>) => answer(rpc.reports.digest.$put({}, json(body))),

    listApiKeys: () => answer(rpc['api-keys'].$get()),
    createApiKey: (body: In<typeof createApiKeySchema>) => answer(rpc['api-keys'].$post({}, json(body))),
    revokeApiKey: (keyId: string) =>
      answer(rpc['api-keys'][':id'].revoke.$post({ param: { id: id(keyId) } })).then((r) => r.apiKey),

    listAgents: () => answer(rpc.agents.$get()).then((r) => r.agents),
    inviteAgent: (body: In<typeof inviteAgentSchema>) => answer(rpc.agents.invites.$post({}, json(body))),
    setAgentSites: (agentId: string, siteIds: string[]) =>
      answer(rpc.agents[':id'].sites.$put({ param: { id: id(agentId) } }, json({ siteIds }))).then((r) => r.agent),
  };
}

export type InboxView = 'unassigned' | 'mine' | 'all';

/** The dashboard's one client; the app shell installs the 401 handler. */
export const api = createApiClient();

/** What a call of the client resolves to: `Result<'getConversation'>` is a conversation with its story. */
export type Result<Call extends keyof ApiClient> = ApiClient[Call] extends (...args: never[]) => Promise<infer Value>
  ? Value
  : never;

/** A conversation with all its messages (internal notes included, oldest first), events and visitor context. */
export type ConversationDetail = Result<'getConversation'>;
/** Who the visitor is and where they have been, for the sidebar next to a conversation. */
export type VisitorContext = ConversationDetail['visitor'];
/** One line of a conversation's assignment history. Names are resolved by the server. */
export type ConversationEvent = ConversationDetail['events'][number];
/** A canned response: `/shortcut` in the composer inserts `text`. */
export type CannedResponse = Result<'listCannedResponses'>[number];
