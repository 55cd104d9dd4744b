import { z } from 'zod';
import { text } from './text.js';

/**
 * The closed list of error codes every Beckon endpoint and socket event may answer with.
 * Clients switch on `code`; `message` is for humans and may change.
 */
export const errorCodes = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'csrf_failed',
  'origin_not_allowed',
  'unknown_site',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  /** A visitor's address or the site opened as many new conversations as allowed for now (not retried). */
  'too_many_conversations',
  'unavailable',
  'internal',
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: text(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The HTTP status that goes with each code, so server and clients agree. */
export const errorStatus: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  csrf_failed: 403,
  origin_not_allowed: 403,
  unknown_site: 404,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  too_many_conversations: 429,
  unavailable: 503,
  internal: 500,
};
