import type { Context } from 'hono';
import type { z } from 'zod';
import { AppError, zodDetails } from './errors.js';

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
