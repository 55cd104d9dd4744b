import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { errorBodySchema, errorStatus } from '@beckon/sdk/protocol';
import { callbacksTable, chatVisitorsTable, conversationsTable, leadsTable } from '../db/schema.js';
import { rowsOf } from '../db/client.js';
import { sha256 } from '../lib/crypto.js';
import type { Logger } from '../lib/logger.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../testing/harness.js';
import {
  hostileJson,
  hostilePathSegments,
  hostileRawBodies,
  hostileString,
  pollutingKeys,
  queryKeys,
  unstorableText,
} from './corpus.js';

/**
 * Every route of the app (enumerated from Hono, so a new route is fuzzed without being listed here), called
 * as a logged-in admin with CSRF and from an allowed origin, with hostile path ids, query strings and
 * bodies. Each answer must be a 2xx or a JSON 4xx whose code is in the protocol's list with its status;
 * never a 500. A refused request stores nothing: the main tables' row counts are the same after it.
 */

/**
 * Seeded and bounded: the same requests on every run, well under a minute on either database.
 * `FUZZ_RUNS=100` looks further when hunting.
 */
const seed = 14;
const runsPerRoute = Number(process.env.FUZZ_RUNS ?? 10);

/** The tables a request could write to (sessions excepted: logging in is a write that answers 200). */
const countedTables = [
  'sites',
  'agents',
  'site_members',
  'agent_invites',
  'events',
  'visitors',
  'visitor_sessions',
  'chat_visitors',
  'conversations',
  'messages',
  'conversation_events',
  'canned_responses',
  'callbacks',
  'callback_events',
  'callback_phone_counts',
  'feedback',
  'leads',
  'lead_touches',
  'lead_audit',
  'lead_visitors',
  'webhook_endpoints',
  'webhook_deliveries',
  'consent_records',
  'audiences',
  'audience_members',
  'privacy_audit',
  'teams',
  'team_members',
  'trigger_rules',
  'chat_invitations',
  'visitor_hot_marks',
  'visitor_presence',
];

interface Route {
  method: string;
  path: string;
  params: string[];
}

/** The app's routes, one per method and path, without middleware-only entries and static-file wildcards. */
function routesOf(app: TestApp['app']): Route[] {
  const seen = new Map<string, Route>();
  for (const { method, path } of app.routes) {
    if (method === 'ALL' || path.includes('*')) continue;
    const params = [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
    seen.set(`${method} ${path}`, { method, path, params });
  }
  return [...seen.values()];
}

interface Case {
  kind: string;
  method: string;
  url: string;
  body?: string;
  contentType?: string;
}

type Failure = {
  route: string;
  case: string;
  url: string;
  status: number;
  problem: string;
  body?: string;
  error?: string;
};

describe.each(databaseKinds)('fuzzing every route on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  const errors: string[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn() {},
    error(message, fields) {
      const error = fields?.error;
      errors.push(`${message}: ${error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(fields)}`);
    },
  };
  /** A valid value for each path parameter, so a hostile value in one place meets real rows everywhere else. */
  const valid: Record<string, string> = {};
  const callbackToken = 'fuzz-callback-token-0123456789';
  let requestNumber = 0;

  beforeAll(async () => {
    t = await createTestApp(kind, { logger });
    admin = await t.login();
    const siteId = admin.me.sites[0]!.id;
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await t.request(method, path, { headers: admin.headers, body });
      if (response.status >= 300)
        throw new Error(`fixture ${method} ${path}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? null : response.json();
    };
    const visitorId = 'fuzz_visitor_0001';
    const collected = await t.request('POST', '/v1/collect', {
      headers: { origin: testOrigin, 'content-type': 'text/plain' },
      body: {
        site: 'demo',
        visitorId,
        sessionId: 'fuzz_session_001',
        events: [
          { id: 'fuzz_event_0001', type: 'pageview', ts: Date.now(), url: `${testOrigin}/demo/`, title: 'Home' },
        ],
      },
    });
    expect(collected.status).toBe(200);
    const [chatVisitor] = await t.db
      .insert(chatVisitorsTable)
      .values({ siteId, tokenHash: 'fuzz-chat-visitor', trackerVisitorIds: [visitorId] })
      .returning();
    const [conversation] = await t.db
      .insert(conversationsTable)
      .values({ siteId, chatVisitorId: chatVisitor!.id })
      .returning();
    const now = new Date();
    const [callback] = await t.db
      .insert(callbacksTable)
      .values({
        siteId,
        phone: '+493012345678',
        mode: 'now',
        requestedAt: now,
        dueAt: now,
        visitorTokenHash: sha256(callbackToken),
      })
      .returning();
    const [lead] = await t.db
      .insert(leadsTable)
      .values({ siteId, name: 'Fuzz Lead', email: 'fuzz-lead@example.test' })
      .returning();
    const invited = await api('POST', '/api/agents/invites', {
      email: 'fuzz-agent@example.test',
      name: 'Fuzz Agent',
      siteIds: [siteId],
    });
    const team = await api('POST', `/api/sites/${siteId}/teams`, { name: 'Fuzz team', agentIds: [] });
    const trigger = await api('POST', `/api/sites/${siteId}/triggers`, {
      name: 'Fuzz',
      conditions: { timeOnPage: 5 },
      action: { kind: 'chat', message: 'Hi' },
    });
    const audience = await api('POST', `/api/sites/${siteId}/audiences`, {
      segment: 'fuzz',
      name: 'Fuzz audience',
      rule: { kind: 'viewed_without_lead', pattern: '/demo/*' },
      eventName: 'fuzz',
      pixels: false,
      enabled: true,
    });
    const canned = await api('POST', `/api/sites/${siteId}/canned-responses`, { shortcut: 'fuzz', text: 'Hello' });
    const webhook = await api('POST', `/api/sites/${siteId}/webhooks`, {
      url: 'https://crm.example.com/hook',
      events: ['lead.created'],
    });
    const delivery = await api('POST', `/api/sites/${siteId}/webhooks/${webhook.endpoint.id}/test`);
    Object.assign(valid, {
      siteId,
      siteKey: 'demo',
      conversation: conversation!.id,
      callback: callback!.id,
      lead: lead!.id,
      agent: invited.agent.id,
      teamId: team.team.id,
      triggerId: trigger.trigger.id,
      audienceId: audience.audience.id,
      cannedId: canned.cannedResponse.id,
      endpointId: webhook.endpoint.id,
      deliveryId: delivery.deliveryId,
      visitorId,
      invitationId: '00000000-0000-4000-8000-000000000002',
      externalId: 'crm-lead-42',
      report: 'overview',
    });
  });
  afterAll(() => t?.dispose());

  /** What `:id` names depends on where it is. */
  const validParam = (path: string, name: string) => {
    if (name !== 'id') return valid[name]!;
    if (path.startsWith('/api/conversations/')) return valid.conversation!;
    if (path.startsWith('/api/leads/')) return valid.lead!;
    if (path.startsWith('/api/agents/')) return valid.agent!;
    if (path.includes('/callbacks/')) return valid.callback!;
    return valid.siteId!;
  };

  /** A body each write accepts, so mutating one field of it reaches past validation of the others. */
  const validBody = (route: Route): unknown => {
    const key = `${route.method} ${route.path}`;
    const unique = `fuzz_${requestNumber.toString().padStart(6, '0')}`;
    const bodies: Record<string, unknown> = {
      'POST /v1/collect': {
        site: 'demo',
        visitorId: valid.visitorId,
        sessionId: 'fuzz_session_001',
        events: [
          {
            id: `${unique}_evt`,
            type: 'pageview',
            ts: Date.now(),
            url: `${testOrigin}/demo/`,
            title: 'Home',
            referrer: '',
          },
        ],
      },
      'POST /v1/callbacks': {
        site: 'demo',
        phone: '+493012345679',
        name: 'Fuzz',
        visitorId: valid.visitorId,
        url: `${testOrigin}/demo/`,
        formMs: 5000,
      },
      'POST /v1/feedback': {
        site: 'demo',
        kind: 'nps',
        score: 9,
        text: 'Fine',
        email: 'fuzz@example.test',
        visitorId: valid.visitorId,
        url: `${testOrigin}/demo/`,
        formMs: 5000,
      },
      'POST /v1/consent': {
        site: 'demo',
        visitorId: valid.visitorId,
        purposes: { analytics: true, marketing: false },
        policyVersion: 'v1',
        source: 'prompt',
      },
      'POST /v1/ping': { site: 'demo', visitorId: valid.visitorId },
      'POST /v1/invitations/:invitationId': { site: 'demo', visitorId: valid.visitorId, state: 'seen' },
      'POST /api/auth/login': { email: 'nobody@example.test', password: 'wrong password' },
      'POST /api/invites/accept': { token: 'x'.repeat(40), password: 'a long enough password' },
      'POST /api/sites': { name: `Fuzz ${unique}` },
      'PATCH /api/sites/:id': { name: 'Demo shop' },
      'POST /api/agents/invites': { email: `${unique}@example.test`, name: 'Invited', siteIds: [valid.siteId] },
      'PUT /api/agents/:id/sites': { siteIds: [valid.siteId] },
      'POST /api/sites/:id/canned-responses': { shortcut: unique, text: 'Hello there' },
      'POST /api/sites/:id/teams': { name: `Team ${unique}`, agentIds: [] },
      'PUT /api/sites/:id/teams/:teamId': { name: 'Fuzz team', agentIds: [admin.me.agent.id] },
      'POST /api/sites/:id/triggers': {
        name: 'Fuzz',
        conditions: { timeOnPage: 5 },
        action: { kind: 'chat', message: 'Hi' },
      },
      'PUT /api/sites/:id/triggers/:triggerId': {
        name: 'Fuzz',
        conditions: { url: '/demo/*' },
        action: { kind: 'callback', message: 'Call?' },
      },
      'POST /api/sites/:siteId/webhooks': { url: 'https://crm.example.com/hook', events: ['lead.created'] },
      'PATCH /api/sites/:siteId/webhooks/:endpointId': { description: 'Fuzz', enabled: true },
      'PATCH /api/leads/:id': { status: 'open', outcomeNote: 'Note' },
      'POST /api/sites/:id/invitations': { visitorId: valid.visitorId, message: 'Hello!' },
      'POST /api/conversations/:id/transfer': { agentId: admin.me.agent.id, reason: 'Fuzz' },
      'POST /api/sites/:siteId/callbacks/:id/outcome': {
        outcome: 'no_answer',
        note: 'Fuzz',
        retryAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
      'PUT /api/sites/:id/visitors/:visitorId/outcome': { outcome: 'won' },
      'PUT /api/reports/spend': {
        siteId: valid.siteId,
        month: '2026-01',
        source: 'google',
        campaign: 'spring',
        amount: 10.5,
        currency: 'EUR',
      },
      'POST /api/reports/spend/import': {
        siteId: valid.siteId,
        csv: 'month,source,campaign,amount,currency\n2026-01,google,,12.5,EUR',
      },
      'PUT /api/reports/digest': { frequency: 'daily', tz: 'Europe/Riga' },
    };
    return bodies[key] ?? {};
  };

  /** Every path to a value inside a JSON value (`[]` is the value itself). */
  const leafPaths = (value: unknown, at: (string | number)[] = []): (string | number)[][] => {
    if (Array.isArray(value)) return [at, ...value.flatMap((item, index) => leafPaths(item, [...at, index]))];
    if (value && typeof value === 'object')
      return [at, ...Object.entries(value).flatMap(([key, item]) => leafPaths(item, [...at, key]))];
    return [at];
  };
  const replaceAt = (value: unknown, path: (string | number)[], replacement: unknown): unknown => {
    if (path.length === 0) return replacement;
    const [head, ...rest] = path;
    const copy: Record<string | number, unknown> = Array.isArray(value) ? [...value] : { ...(value as object) };
    copy[head!] = replaceAt(copy[head!], rest, replacement);
    return copy;
  };
  /** An own `__proto__` key, as JSON.parse would make it (an object literal would set the prototype). */
  const withOwnKey = (value: unknown, key: string, inner: unknown) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    return JSON.parse(
      JSON.stringify(value)
        .replace(/^\{/, `{${JSON.stringify(key)}:${JSON.stringify(inner)},`)
        .replace(/,\}$/, '}'),
    );
  };

  const fill = (route: Route, hostile?: { param: string; segment: string }) =>
    route.path.replace(/:(\w+)/g, (_match, name: string) =>
      hostile?.param === name ? hostile.segment : encodeURIComponent(validParam(route.path, name)),
    );

  /** The query a route needs to reach its handler's later checks (the status poll's token). */
  const baseQuery = (route: Route) =>
    route.path === '/v1/callbacks/:id'
      ? `token=${callbackToken}`
      : route.path.startsWith('/api/reports/spend')
        ? `siteId=${valid.siteId}`
        : route.path.startsWith('/api/reports/') && route.path !== '/api/reports/digest'
          ? `from=2026-01-01&to=2026-01-31&tz=Europe%2FRiga&table=${route.path.endsWith('.csv') ? 'rows' : ''}`
          : '';

  const hasBody = (method: string) => method !== 'GET' && method !== 'HEAD';

  function caseFor(route: Route): fc.Arbitrary<Case> {
    const json = (value: unknown) => JSON.stringify(value);
    const url = (path: string, query = baseQuery(route)) => (query ? `${path}?${query}` : path);
    const body = validBody(route);
    const withBody = (kind: string, arbitrary: fc.Arbitrary<string>) =>
      arbitrary.map((raw): Case => ({ kind, method: route.method, url: url(fill(route)), body: raw }));
    const options: fc.Arbitrary<Case>[] = [
      // A hostile query string on top of the valid request.
      fc
        .array(fc.tuple(fc.constantFrom(...queryKeys), fc.constantFrom(...hostilePathSegments)), {
          minLength: 1,
          maxLength: 3,
        })
        .map(
          (pairs): Case => ({
            kind: 'query',
            method: route.method,
            url: url(
              fill(route),
              [baseQuery(route), ...pairs.map(([key, value]) => `${encodeURIComponent(key)}=${value}`)]
                .filter(Boolean)
                .join('&'),
            ),
            ...(hasBody(route.method) ? { body: json(body) } : {}),
          }),
        ),
    ];
    if (hasBody(route.method)) {
      const paths = leafPaths(body);
      options.push(
        withBody('raw body', fc.constantFrom(...hostileRawBodies)),
        withBody('json body', hostileJson().map(json)),
        withBody(
          'one field',
          fc
            .record({ path: fc.constantFrom(...paths), value: fc.oneof(hostileString(), hostileJson()) })
            .map(({ path, value }) => json(replaceAt(body, path, value))),
        ),
        withBody(
          'polluting key',
          fc
            .record({ key: fc.constantFrom(...pollutingKeys), inner: hostileJson() })
            .map(({ key, inner }) => JSON.stringify(withOwnKey(body, key, { polluted: inner }))),
        ),
        // Infinity where a number goes: JSON has no way to say it but 1e309.
        withBody('infinity', fc.constant(json(body).replace(/:(-?\d+(\.\d+)?)([,}])/, ':1e309$3'))),
        fc
          .constantFrom(
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=utf-16',
            'text/html',
          )
          .map(
            (contentType): Case => ({
              kind: 'content type',
              method: route.method,
              url: url(fill(route)),
              body: json(body),
              contentType,
            }),
          ),
      );
    }
    return fc.oneof(...options);
  }

  const counts = async () => {
    const query = sql.raw(
      `select ${countedTables.map((table) => `(select count(*) from ${table})::int as ${table}`).join(', ')}`,
    );
    return rowsOf<Record<string, number>>(await t.db.execute(query))[0]!;
  };

  async function send(request: Case) {
    requestNumber++;
    const headers: Record<string, string> = { ...admin.headers, origin: testOrigin };
    if (request.body !== undefined) headers['content-type'] = request.contentType ?? 'application/json';
    // A new address each time: rate limits answer 429 correctly, but must not hide the routes behind them.
    const ip = `198.18.${(requestNumber >> 8) & 255}.${requestNumber & 255}`;
    return t.app.request(request.url, {
      method: request.method,
      headers: { ...headers, 'x-forwarded-for': ip },
      body: request.body,
    });
  }

  const failures: Failure[] = [];
  /** One line per failure: vitest cuts long diffs, and the lead needs every route and its cause. */
  const report = (found: Failure[]) =>
    `${found.length} failures:\n${found.map((failure) => `${failure.route} | ${failure.case} | ${failure.status} ${failure.problem} | ${failure.error ?? failure.body}`).join('\n')}`;
  let lastCounts: Record<string, number> | null = null;

  /** Sends one request and records what is wrong with its answer, if anything. */
  async function check(route: Route, request: Case) {
    errors.length = 0;
    // The counts after the last refused request still hold unless a request since was let through.
    const before = lastCounts ?? (await counts());
    lastCounts = null;
    const response = await send(request);
    const text = await response.text();
    const fail = (problem: string) =>
      failures.push({
        route: `${route.method} ${route.path}`,
        case: request.kind,
        url: request.url.slice(0, 200),
        status: response.status,
        problem,
        body: text.slice(0, 200),
        ...(errors.length ? { error: errors.join(' | ').slice(0, 400) } : {}),
      });
    if (route.path === '/api/auth/logout' && response.status < 300) admin = await t.login();
    if (response.status >= 500) return fail('server error');
    if (response.status < 400) return;
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // checked below
    }
    const parsed = errorBodySchema.safeParse(json);
    if (!parsed.success) return fail('not a JSON error body');
    if (errorStatus[parsed.data.error.code] !== response.status)
      return fail(`code ${parsed.data.error.code} with status ${response.status}`);
    const after = (lastCounts = await counts());
    const changed = countedTables.filter((table) => before[table] !== after[table]);
    if (changed.length > 0)
      fail(`refused but stored: ${changed.map((table) => `${table} ${before[table]} → ${after[table]}`).join(', ')}`);
  }

  it('enumerates the routes, with a valid value for every path parameter', () => {
    const routes = routesOf(t.app);
    expect(routes.length).toBeGreaterThan(70);
    for (const route of routes)
      for (const param of route.params) expect(validParam(route.path, param), `${route.path} :${param}`).toBeTruthy();
  });

  it('answers every hostile id in every path parameter of every route with a JSON 4xx, storing nothing', async () => {
    failures.length = 0;
    for (const route of routesOf(t.app)) {
      for (const param of route.params) {
        for (const segment of hostilePathSegments) {
          const url = fill(route, { param, segment });
          const query = baseQuery(route);
          await check(route, {
            kind: `path :${param}`,
            method: route.method,
            url: query ? `${url}?${query}` : url,
            ...(hasBody(route.method) ? { body: JSON.stringify(validBody(route)) } : {}),
          });
        }
      }
    }
    expect(failures, report(failures)).toEqual([]);
  }, 240_000);

  it(`answers hostile text in every string field of every write's valid body (NUL and lone surrogates included)`, async () => {
    failures.length = 0;
    const texts = [...unstorableText, '', '%00', 'x'.repeat(5_000)];
    const valueAt = (value: unknown, path: (string | number)[]) =>
      path.reduce<unknown>((inner, key) => (inner as Record<string | number, unknown>)[key], value);
    for (const route of routesOf(t.app).filter((candidate) => hasBody(candidate.method))) {
      const template = validBody(route);
      for (const path of leafPaths(template).filter((leaf) => typeof valueAt(template, leaf) === 'string')) {
        for (const text of texts) {
          const url = fill(route);
          const query = baseQuery(route);
          await check(route, {
            kind: `text in ${path.join('.')}: ${JSON.stringify(text.slice(0, 12))}`,
            method: route.method,
            url: query ? `${url}?${query}` : url,
            body: JSON.stringify(replaceAt(validBody(route), path, text)),
          });
        }
      }
    }
    expect(failures, report(failures)).toEqual([]);
  }, 240_000);

  it('answers hostile query strings and bodies on every route with a 2xx or a JSON 4xx, and a refused request stores nothing', async () => {
    failures.length = 0;
    for (const [index, route] of routesOf(t.app).entries()) {
      await fc.assert(
        fc.asyncProperty(caseFor(route), async (request) => {
          await check(route, request);
        }),
        // Reads only have a query string to fuzz; writes have bodies in seven ways.
        { seed: seed + index, numRuns: hasBody(route.method) ? runsPerRoute * 2 : Math.ceil(runsPerRoute / 2) },
      );
    }
    expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').toBeUndefined();
    expect(failures, report(failures)).toEqual([]);
  }, 240_000);
});
