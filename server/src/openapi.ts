import { Hono } from 'hono';
import { z } from 'zod';
import { webhookEvents } from '@beckon/sdk/protocol';
import type { AppEnv } from './app-env.js';
import { describe, openApiDocument } from './lib/openapi.js';

export const apiDescription = [
  'The API of one Beckon installation: the dashboard uses it with its login cookie (writes add the `x-csrf-token` header),',
  'CRMs and scripts with an API key (`Authorization: Bearer bk_live_…`, created by an admin on the API keys page) on the',
  'routes that name a scope. The `/v1` routes are the widget’s, public and keyed by the site key.',
  '',
  'Errors always have one body, `{ "error": { "code", "message", "details"? } }`; clients switch on `code`.',
  'Sync lists are cursor-paged (`cursor`, `updated_since`); POSTs made with a key take an `Idempotency-Key`.',
].join('\n');

/** The document of everything `app` has registered so far, built on the first request and kept. */
export function openApiRoutes(app: Hono<AppEnv>) {
  let built: Promise<unknown> | undefined;
  const document = () => {
    built ??= openApiDocument(app, { version: '0.1.0', description: apiDescription }, webhookEvents).catch((error) => {
      built = undefined;
      throw error;
    });
    return built;
  };
  return new Hono<AppEnv>().get(
    '/openapi.json',
    describe({
      tag: 'Meta',
      summary: 'This OpenAPI 3.1 document',
      description: 'Public and cacheable: it holds no data of the installation, only the shape of its API.',
      access: 'public',
      responses: { 200: z.looseObject({ openapi: z.literal('3.1.0') }) },
    }),
    async (c) => {
      c.header('Cache-Control', 'public, max-age=300');
      c.header('Access-Control-Allow-Origin', '*');
      return c.json((await document()) as { openapi: '3.1.0' });
    },
  );
}
