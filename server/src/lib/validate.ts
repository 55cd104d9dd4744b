import type { Context } from 'hono';
import type { z } from 'zod';
import { clientIdSchema } from '@beckon/sdk/protocol';
import { AppError, notFound, zodDetails } from './errors.js';

/** Parses the JSON body (any of `application/json` or `text/plain`) and validates it. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type && type !== 'application/json' && type !== 'text/plain') {
    throw new AppError('unsupported_media_type', 'Send JSON (application/json or text/plain)');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON');
  }
  return parse(schema, raw);
}

export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('validation_failed', 'The request is not valid', zodDetails(result.error));
  return result.data;
}

/**
 * The one spelling of the ids Beckon hands out (PostgreSQL's `uuid` input also takes braces, no dashes
 * and upper case; anything else it rejects with an error, which must never reach a response as a 500).
 */
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && uuidPattern.test(value);

/**
 * The id rule for path parameters: a path names a resource, and a malformed id names nothing, so it answers
 * 404 `not_found` exactly like an id that does not exist or that the agent may not see (a probe learns
 * nothing from the format). Ids inside query strings and bodies are input and answer 400 through their schema.
 *
 * @example const id = idParam(c, 'id', 'Conversation');
 * @example const visitorId = idParam(c, 'visitorId', 'Visitor', isClientId);
 */
export function idParam(
  c: Context,
  name: string,
  what: string,
  wellFormed: (value: string) => boolean = isUuid,
): string {
  const value = c.req.param(name);
  if (value === undefined || !wellFormed(value)) throw notFound(what);
  return value;
}

/** Visitor ids are client ids (the anonymous daily hash `anon_…` is one too), not uuids. */
export const isClientId = (value: string) => clientIdSchema.safeParse(value).success;
