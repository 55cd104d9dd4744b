import type { Env, Hono, MiddlewareHandler } from 'hono';
import { generateSpecs, resolver, uniqueSymbol } from 'hono-openapi';
import { findTargetHandler } from 'hono/utils/handler';
import { z } from 'zod';
import { type ApiScope, type ErrorCode, errorBodySchema, errorStatus } from '@beckon/sdk/protocol';

/**
 * The OpenAPI description of one route, written beside it in its feature's route chain:
 *
 * @example
 * .get('/:id', describe({ tag: 'Leads', summary: 'One lead', access: 'agent', params: { id: 'Lead id' },
 *   responses: { 200: leadDetailSchema } }), async (c) => …)
 *
 * `describe()` is a pass-through middleware (hono-openapi reads it from `app.routes` to build the document,
 * `GET /api/openapi.json`); the route's own handler still validates its input with `parse()`/`readJson()`.
 * The error responses come from what the description says (body, params, access, scope, `errors`), all
 * with the one error body (`ErrorBody`). In tests a hook checks every JSON answer against its schema
 * (`server/src/testing/openapi-check.ts`).
 */
export interface RouteDescription {
  /** The feature's tag: one of `apiTags`. */
  tag: ApiTag;
  summary: string;
  description?: string;
  /**
   * Who may call it: `public` (anyone; the widget and the shop's page), `agent` (a dashboard session),
   * `admin` (a dashboard session of an admin), `metrics` (the scraper's Bearer token or an admin).
   */
  access: 'public' | 'agent' | 'admin' | 'metrics';
  /** An API key with this scope may call it too (it must match `features/api-keys/access.ts`; a test checks). */
  scope?: ApiScope;
  /** Path parameters: name → what it is. A malformed or unknown id answers 404 `not_found`. */
  params?: Record<string, string>;
  /** The query string's schema (an object of strings or string lists). */
  query?: z.ZodObject;
  /** The JSON body's schema (as the client sends it). */
  body?: z.ZodType;
  /** Success answers by status: a zod schema for JSON, `null` for no body, or another media type. */
  responses: Partial<Record<SuccessStatus, z.ZodType | null | OtherMedia>>;
  /** Error codes beyond the ones the description implies (see `impliedErrors`). */
  errors?: readonly ErrorCode[];
  /** Takes an `Idempotency-Key` header (API keys; see features/api-keys/middleware.ts). */
  idempotent?: boolean;
  /** Extra headers the route reads, name → what. */
  headers?: Record<string, string>;
}

type SuccessStatus = 200 | 201 | 202 | 204 | 302 | 303 | 304;
interface OtherMedia {
  contentType: string;
  description: string;
}

/** The document's tags, one per feature, in the order the reference shows them. */
export const apiTags = {
  Auth: 'Log in and out, the current agent, password reset.',
  Sites: 'Sites and their settings.',
  Chat: 'Conversations, messages and chat settings.',
  Callbacks: 'Callback requests: the widget form and the dashboard queue.',
  Feedback: 'Feedback, NPS and CSAT.',
  Leads: 'Leads: the one record of a person who wants something.',
  Persons: 'People across visits, leads and channels.',
  Visitors: 'Visitors and their behaviour.',
  Scoring: 'Lead scoring rules, scores and learning.',
  Routing: 'Who gets which work.',
  Triggers: 'Proactive triggers.',
  Invitations: 'Chat invitations agents send to visitors.',
  Reports: 'Reports on inquiries, speed, agents, the funnel, cost, feedback and triggers (read from rollups).',
  Audiences: 'Saved audiences.',
  Privacy: 'Export and erase a visitor’s data.',
  Consent: 'Consent records.',
  Collect: 'The widget’s event stream and site configuration.',
  Webhooks: 'Outbound webhook endpoints and deliveries.',
  Integrations: 'Sync lists, upserts and outcomes for CRMs and scripts (API keys).',
  'API keys': 'Keys for integrations.',
  Team: 'Agents and invites.',
  Metrics: 'Prometheus metrics.',
  Meta: 'This document.',
} as const;
export type ApiTag = keyof typeof apiTags;

/** What the route answers besides its successes, from what its description says. */
export function impliedErrors(doc: RouteDescription, method: string): ErrorCode[] {
  const codes = new Set<ErrorCode>(doc.errors ?? []);
  if (doc.body) {
    for (const code of ['bad_request', 'validation_failed', 'payload_too_large', 'unsupported_media_type'] as const)
      codes.add(code);
  }
  if (doc.query) codes.add('validation_failed');
  if (doc.params && Object.keys(doc.params).length > 0) codes.add('not_found');
  const writes = method !== 'GET' && method !== 'HEAD';
  if (doc.access === 'agent' || doc.access === 'admin') {
    codes.add('unauthorized');
    if (writes) codes.add('csrf_failed');
  }
  if (doc.access === 'admin' || doc.scope) codes.add('forbidden');
  if (doc.access === 'metrics') codes.add('unauthorized');
  if (doc.scope) codes.add('rate_limited');
  if (doc.idempotent) codes.add('conflict');
  if (writes && doc.access !== 'public' && doc.access !== 'metrics') codes.add('origin_not_allowed');
  return [...codes];
}

const rateLimitHeaders = {
  'RateLimit-Limit': { $ref: '#/components/headers/RateLimit-Limit' },
  'RateLimit-Remaining': { $ref: '#/components/headers/RateLimit-Remaining' },
  'RateLimit-Reset': { $ref: '#/components/headers/RateLimit-Reset' },
};

/** An operation's parameters from a zod object (path or query), with each field's description. */
function parametersOf(where: 'query', schema: z.ZodObject) {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      in: where,
      name,
      required: json.required?.includes(name) ?? false,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
      // `status=new&status=open`: lists repeat their key.
      ...(rest.type === 'array' || Array.isArray(rest.anyOf) ? { explode: true, style: 'form' } : {}),
    };
  });
}

const jsonContent = (schema: z.ZodType, io: 'input' | 'output') => ({
  'application/json': { schema: resolver(schema, { options: { io } }) },
});

/** The OpenAPI operation object (hono-openapi resolves the zod schemas in it when it builds the document). */
export function operationOf(doc: RouteDescription, method: string) {
  const write = method !== 'GET' && method !== 'HEAD';
  const security =
    doc.access === 'public'
      ? []
      : doc.access === 'metrics'
        ? [{ metricsToken: [] }, write ? { session: [], csrf: [] } : { session: [] }]
        : [write ? { session: [], csrf: [] } : { session: [] }, ...(doc.scope ? [{ apiKey: [doc.scope] }] : [])];
  const parameters: unknown[] = [
    ...Object.entries(doc.params ?? {}).map(([name, description]) => ({
      in: 'path',
      name,
      required: true,
      description,
      schema: { type: 'string' },
    })),
    ...(doc.query ? parametersOf('query', doc.query) : []),
    ...Object.entries(doc.headers ?? {}).map(([name, description]) => ({
      in: 'header',
      name,
      required: false,
      description,
      schema: { type: 'string' },
    })),
    ...(doc.idempotent ? [{ $ref: '#/components/parameters/Idempotency-Key' }] : []),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(doc.responses)) {
    const headers = doc.scope ? { headers: rateLimitHeaders } : {};
    if (answer === null || answer === undefined) responses[status] = { description: successText(status), ...headers };
    else if (answer instanceof z.ZodType)
      responses[status] = { description: successText(status), ...headers, content: jsonContent(answer, 'output') };
    else
      responses[status] = {
        description: answer.description,
        ...headers,
        content: { [answer.contentType]: { schema: { type: 'string' } } },
      };
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of impliedErrors(doc, method)) {
    const status = errorStatus[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `Error: ${codes.map((code) => `\`${code}\``).join(', ')}`,
      ...(status === 429 ? { headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } } } : {}),
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    };
  }
  // Any route, when the database is out of reach (or on a bug): nothing was changed; `unavailable` says when to retry.
  responses['5XX'] = {
    description: 'Error: `unavailable` (503, with `Retry-After`: send it again), `internal` (500)',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
  };
  return {
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.scope ? { 'x-api-key-scope': doc.scope } : {}),
    security,
    ...(parameters.length ? { parameters } : {}),
    ...(doc.body ? { requestBody: { required: true, content: jsonContent(doc.body, 'input') } } : {}),
    responses,
  };
}

const successText = (status: string) =>
  status === '201' ? 'Created' : status === '204' ? 'No content' : status.startsWith('3') ? 'Redirect' : 'OK';

/** One JSON answer of a described route, for the test-only response check. */
export interface CheckedResponse {
  method: string;
  path: string;
  status: number;
  body: unknown;
  /** The schema the description gives this status; `undefined`: the status is not described. */
  schema: z.ZodType | null | undefined;
}
/** What the hook gets: the body still to be read, so checking costs the answer nothing but a clone. */
export type SeenResponse = Omit<CheckedResponse, 'body'> & { body: Promise<unknown> };
let responseCheck: ((response: SeenResponse) => void) | undefined;

/**
 * Turns the response check on (the server's vitest setup does; production never does): every JSON answer
 * of a described route is handed to `check` with the schema its status is described with.
 */
export function checkResponsesWith(check: ((response: SeenResponse) => void) | undefined): void {
  responseCheck = check;
}

/** Hands a webhook body to the test-only check too (the document's `webhooks` describe it). */
export function checkWebhookPayload(event: string, body: unknown, schema: z.ZodType): void {
  responseCheck?.({
    method: 'WEBHOOK',
    path: event,
    status: 200,
    body: Promise.resolve(JSON.parse(JSON.stringify(body))),
    schema,
  });
}

const describedSymbol = Symbol('beckon.routeDescription');

/** The description a route's middleware carries (the coverage test reads it). */
export const descriptionOf = (handler: unknown): RouteDescription | undefined =>
  (handler as { [describedSymbol]?: RouteDescription } | undefined)?.[describedSymbol];

/** Describes a route for the OpenAPI document; see `RouteDescription`. Place it first in the route's handlers. */
export function describe(doc: RouteDescription): MiddlewareHandler {
  const middleware: MiddlewareHandler = async function describedRoute(c, next) {
    await next();
    const check = responseCheck;
    if (!check || !c.res.headers.get('content-type')?.startsWith('application/json')) return;
    const status = c.res.status;
    const answer = doc.responses[status as SuccessStatus];
    const schema =
      status >= 400 ? errorBodySchema : answer instanceof z.ZodType ? answer : answer === undefined ? undefined : null;
    // Read later, after the test: an unreadable body becomes a mismatch there.
    const body = c.res
      .clone()
      .json()
      .catch((error: unknown) => ({ unreadableJson: String(error) }));
    check({ method: c.req.method, path: c.req.routePath, status, body, schema });
  };
  return Object.assign(middleware, { [describedSymbol]: doc });
}

/** A route of the app and the description its handlers carry, if any. */
export function describedRoutes<E extends Env>(app: Hono<E>) {
  return app.routes.map((route) => ({
    method: route.method,
    path: route.path,
    handler: findTargetHandler(route.handler),
    doc: descriptionOf(findTargetHandler(route.handler)),
  }));
}

/** `/v1/sites/:siteId` → `/v1/sites/{siteId}`. */
export const openApiPath = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?\??/g, '{$1}');

/** The JSON Schema of a zod schema with its named parts (`.meta({ id })`) as `#/components/schemas/…`. */
export function componentSchema(
  schema: z.ZodType,
  schemas: Record<string, unknown>,
  io: 'input' | 'output' = 'output',
) {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  const { $defs, $schema: _, ...rest } = json as { $defs?: Record<string, unknown>; $schema?: string };
  const relinked = (value: unknown) =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
  for (const [name, def] of Object.entries($defs ?? {})) schemas[name] = relinked(def);
  const id = (rest as { id?: unknown }).id;
  if (typeof id === 'string') {
    delete (rest as { id?: unknown }).id;
    schemas[id] = relinked(rest);
    return { $ref: `#/components/schemas/${id}` };
  }
  return relinked(rest);
}

/**
 * The OpenAPI 3.1 document of `app`: every described route (hono-openapi walks `app.routes` and resolves
 * the zod schemas), the shared error body, the auth schemes and `webhooks`.
 */
export async function openApiDocument<E extends Env>(
  app: Hono<E>,
  info: { version: string; description: string },
  webhooks: Record<string, { summary: string; description?: string; payload: z.ZodType }>,
) {
  for (const route of describedRoutes(app)) {
    if (!route.doc || route.method === 'ALL') continue;
    // hono-openapi reads the operation from its own symbol; the method is known only here.
    Object.assign(route.handler, { [uniqueSymbol]: { spec: operationOf(route.doc, route.method) } });
  }
  const generated = await generateSpecs(app, {
    documentation: {
      info: { title: 'Beckon API', ...info },
      tags: Object.entries(apiTags).map(([name, description]) => ({ name, description })),
    },
    excludeStaticFile: false,
    excludeMethods: ['OPTIONS', 'HEAD'],
    defaultValidationErrorResponse: false,
  });
  const schemas: Record<string, unknown> = { ...(generated.components?.schemas ?? {}) };
  const errorBody = componentSchema(errorBodySchema, schemas);
  schemas.ErrorBody = errorBody.$ref ? schemas[String(errorBody.$ref).split('/').pop()!] : errorBody;
  const webhookItems = Object.fromEntries(
    Object.entries(webhooks).map(([event, hook]) => [
      event,
      {
        post: {
          summary: hook.summary,
          ...(hook.description ? { description: hook.description } : {}),
          tags: ['Webhooks'],
          parameters: ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({
            $ref: `#/components/parameters/${name}`,
          })),
          requestBody: {
            required: true,
            content: { 'application/json': { schema: componentSchema(hook.payload, schemas) } },
          },
          responses: { '2XX': { description: 'Received; any other answer is retried with backoff for 24 hours.' } },
        },
      },
    ]),
  );
  return withoutFormatPatterns({
    openapi: '3.1.0',
    info: generated.info,
    servers: [{ url: '/', description: 'This Beckon server' }],
    tags: generated.tags,
    paths: generated.paths,
    webhooks: webhookItems,
    components: {
      ...generated.components,
      schemas,
      securitySchemes,
      headers: responseHeaders,
      parameters: sharedParameters,
    },
  });
}

/**
 * Zod spells `uuid`, `date-time`, `email`… as a `format` and also as a long `pattern`; readers of the
 * reference get the format alone (the pattern says the same thing, unreadably).
 */
function withoutFormatPatterns<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutFormatPatterns) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).map(([key, child]) => [key, withoutFormatPatterns(child)] as const);
  const object = Object.fromEntries(entries) as Record<string, unknown>;
  if (typeof object.format === 'string' && typeof object.pattern === 'string') delete object.pattern;
  return object as T;
}

const securitySchemes = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'beckon_session',
    description: 'The dashboard’s login (`POST /api/auth/login`). Writes also need the `csrf` header.',
  },
  csrf: {
    type: 'apiKey',
    in: 'header',
    name: 'x-csrf-token',
    description: 'The session’s CSRF token (`csrfToken` of `GET /api/me`), on every write made with a session.',
  },
  apiKey: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'bk_live_…',
    description:
      'An API key (`Authorization: Bearer bk_live_…`), created by an admin on the dashboard’s API keys page. ' +
      'A route lists the scope it needs; a key reaches only the routes its scopes name and the sites it is limited to. ' +
      'Every answer carries `RateLimit-*` headers; past the per-key limit, 429 with `Retry-After`. No CSRF header.',
  },
  metricsToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'The scraper’s token (`BECKON_METRICS_TOKEN`).',
  },
};

const integer = (description: string) => ({ description, schema: { type: 'integer', minimum: 0 } });
const responseHeaders = {
  'RateLimit-Limit': integer('Requests this API key may make per minute.'),
  'RateLimit-Remaining': integer('Requests left in this minute.'),
  'RateLimit-Reset': integer('Seconds until the window starts over.'),
  'Retry-After': integer('Seconds to wait before sending again.'),
};

const header = (name: string, description: string, required = true) => ({
  in: 'header',
  name,
  required,
  description,
  schema: { type: 'string' },
});
const sharedParameters = {
  'Idempotency-Key': header(
    'Idempotency-Key',
    'With an API key: 8–200 printable ASCII characters. The first request with a key runs and its answer is kept for a day; ' +
      'the same key with the same request answers that again (`Idempotent-Replayed: true`), with another request 409.',
    false,
  ),
  'webhook-id': header('webhook-id', 'The event’s id: the same on every retry and redelivery (deduplicate on it).'),
  'webhook-timestamp': header('webhook-timestamp', 'Seconds since the epoch when this attempt was signed.'),
  'webhook-signature': header(
    'webhook-signature',
    '`v1,<base64 HMAC-SHA256>` of `<id>.<timestamp>.<body>` with the endpoint’s secret (Standard Webhooks).',
  ),
};
