import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { errorStatus, type ErrorBody, type ErrorCode } from '@beckon/sdk/protocol';
import { isDatabaseUnavailable } from '../db/availability.js';
import type { Logger } from './logger.js';

/** The one error type features throw; `onError` turns it into the public error body. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. `Retry-After`. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

/** Seconds a client should wait before resending a write the database could not take (the outage probe runs every 250 ms). */
export const unavailableRetryAfterSeconds = 2;

/**
 * The answer for a write the database could not take (unreachable, too slow, disk full): nothing was
 * committed — or the client's resend with the same ids is stored once — so the client sends it again.
 */
export const databaseUnavailable = (message = 'The database is unavailable; send the request again shortly') =>
  new AppError('unavailable', message, undefined, { 'Retry-After': String(unavailableRetryAfterSeconds) });

/** A known error as the wire body; a database outage is `unavailable`; anything else is `undefined` (the caller logs it as internal). */
export function knownErrorBody(error: unknown): ErrorBody['error'] | undefined {
  if (error instanceof AppError) return errorBody(error.code, error.message, error.details).error;
  if (isDatabaseUnavailable(error)) return errorBody('unavailable', databaseUnavailable().message).error;
  return undefined;
}

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

const zodDetails = (error: ZodError) =>
  error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message }));

/** Maps HTTP statuses Hono's own middleware raises to our codes. */
const codeForStatus = (status: number): ErrorCode =>
  status === 413
    ? 'payload_too_large'
    : status === 401
      ? 'unauthorized'
      : status === 403
        ? 'forbidden'
        : status === 404
          ? 'not_found'
          : status === 415
            ? 'unsupported_media_type'
            : status === 429
              ? 'rate_limited'
              : status >= 500
                ? 'internal'
                : 'bad_request';

/** One handler for every thrown error; unknown errors keep their cause in the log, never in the response. */
export function handleError(logger: Logger) {
  return function onError(error: Error, c: Context): Response {
    if (error instanceof AppError) {
      for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
      return c.json(errorBody(error.code, error.message, error.details), error.status as ContentfulStatusCode);
    }
    if (isDatabaseUnavailable(error)) {
      // Expected during an outage, at any rate: the change of availability is logged once by the server.
      logger.debug('request refused: database unavailable', {
        path: c.req.path,
        method: c.req.method,
        reason: error.message,
      });
      return onError(databaseUnavailable(), c);
    }
    if (error instanceof ZodError) {
      return c.json(errorBody('validation_failed', 'The request is not valid', zodDetails(error)), 400);
    }
    if (error instanceof HTTPException) {
      const code = codeForStatus(error.status);
      const message = code === 'internal' ? 'Something went wrong' : error.message || code.replace(/_/g, ' ');
      return c.json(errorBody(code, message), error.status as ContentfulStatusCode);
    }
    logger.error('unhandled error', { path: c.req.path, method: c.req.method, error });
    return c.json(errorBody('internal', 'Something went wrong on our side'), 500);
  };
}

export { zodDetails };
