import { afterAll, beforeAll, describe as suite, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createTestApp } from './testing/harness.js';
import { Hono } from 'hono';
import { z } from 'zod';
import { type SeenResponse, checkResponsesWith, describe, describedRoutes, openApiPath } from './lib/openapi.js';
import { checkResponse, mismatchesOf } from './testing/openapi-check.js';
import { routeAccess } from './features/api-keys/index.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Operation = {
  tags?: string[];
  summary?: string;
  security?: Record<string, string[]>[];
  'x-api-key-scope'?: string;
};
type Document = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, unknown>;
};

suite('the OpenAPI document', () => {
  let t: TestApp;
  let document: Document;
  beforeAll(async () => {
    t = await createTestApp('pglite');
    const res = await t.app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    document = (await res.json()) as Document;
  }, 180_000);
  afterAll(() => t?.dispose());

  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every /api and /v1 route, each with a summary and a tag', () => {
    const routes = describedRoutes(t.app).filter((route) => route.method !== 'ALL' && /^\/(api|v1)\//.test(route.path));
    const undescribed = new Set<string>();
    for (const route of routes) {
      const operation = document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
      if (!operation) undescribed.add(`${route.method} ${route.path}`);
      else {
        expect(operation.summary, `${route.method} ${route.path}`).toBeTruthy();
        expect(operation.tags?.length, `${route.method} ${route.path}`).toBe(1);
      }
    }
    expect([...undescribed]).toEqual([]);
    expect(Object.keys(document.paths).length).toBeGreaterThan(0);
  });

  it('names the scope an API key needs exactly where the key access table allows one', () => {
    const uuid = '3f0d6c1e-0b7a-4c55-9a51-4b2f0c1d2e3f';
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const example = path.replace(/\{(\w+)\}/g, (_, name: string) =>
          name === 'externalId' ? 'crm-1' : name === 'report' ? 'overview' : uuid,
        );
        const access = routeAccess(method.toUpperCase(), example);
        expect(operation['x-api-key-scope'] ?? null, `${method} ${path}`).toBe(access?.scope ?? null);
        const keyScopes = operation.security?.find((requirement) => 'apiKey' in requirement)?.apiKey;
        expect(keyScopes ?? null, `${method} ${path}`).toEqual(access ? [access.scope] : null);
      }
    }
  });

  it('has no internal or dashboard-only files, and is public', async () => {
    expect(Object.keys(document.paths).every((path) => /^\/(api|v1)\//.test(path))).toBe(true);
    const res = await t.app.request('/api/openapi.json');
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

suite('the test-only response check', () => {
  it('reports an answer its description does not allow, and an undescribed status', async () => {
    const seen: SeenResponse[] = [];
    const app = new Hono()
      .get(
        '/thing',
        describe({
          tag: 'Meta',
          summary: 'A thing',
          access: 'public',
          responses: { 200: z.object({ id: z.uuid(), name: z.string() }) },
        }),
        (c) => c.json({ id: 'not-a-uuid', name: 'x', secret: 'leaked' }),
      )
      .get(
        '/other',
        describe({ tag: 'Meta', summary: 'Another', access: 'public', responses: { 200: z.object({}) } }),
        (c) => c.json({}, 201),
      );
    checkResponsesWith((response) => seen.push(response));
    try {
      await app.request('/thing');
      await app.request('/other');
    } finally {
      checkResponsesWith(checkResponse);
    }
    const [thing, other] = await mismatchesOf(seen);
    expect(thing).toMatch(/^GET \/thing → 200: /);
    expect(thing).toContain('/id must match format "uuid"');
    expect(thing).toContain('must NOT have additional properties {"additionalProperty":"secret"}');
    expect(other).toBe('GET /other → 201: this status is not described');
  });
});
