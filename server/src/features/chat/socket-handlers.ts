import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { ErrorBody } from '@beckon/sdk/protocol';
import { AppError, zodDetails } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { RateLimiter, RateLimitRule } from '../../lib/rate-limit.js';

type AckFn = (reply: unknown) => void;

/** Events a socket may send per window; typing counts too, so the limit is generous for people. */
export const socketEventLimit: RateLimitRule = { limit: 60, windowMs: 10_000 };

const toWireError = (error: unknown, logger: Logger): ErrorBody['error'] => {
  if (error instanceof AppError) return { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) };
  logger.error('socket handler failed', { error });
  return { code: 'internal', message: 'Something went wrong on our side' };
};

export interface Handler {
  schema: z.ZodType;
  handle: (payload: never) => Promise<unknown>;
}

/** One row of a handler table: the payload is typed by its schema. */
export const handler = <S extends z.ZodType>(schema: S, handle: (payload: z.output<S>) => Promise<unknown>): Handler => ({
  schema,
  handle: handle as (payload: never) => Promise<unknown>,
});

/**
 * Registers socket handlers from a table keyed by event name. Every payload is validated with its
 * schema, every socket is rate-limited, and every failure becomes an ack or `error` event — a bad
 * client never crashes the server.
 */
export function registerHandlers(
  socket: Socket,
  handlers: Record<string, Handler>,
  { limiter, logger }: { limiter: RateLimiter; logger: Logger },
) {
  for (const [event, { schema, handle }] of Object.entries(handlers)) {
    socket.on(event, async (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as AckFn) : undefined;
      const fail = (error: ErrorBody['error']) => (reply ? reply({ ok: false, error }) : socket.emit('error', error));
      try {
        const retryAfter = limiter.hit(`socket:${socket.id}`, socketEventLimit);
        if (retryAfter > 0) return fail({ code: 'rate_limited', message: 'Too many events; slow down', details: { retryAfterSeconds: retryAfter } });
        const parsed = schema.safeParse(payload);
        if (!parsed.success) return fail({ code: 'validation_failed', message: `Invalid ${event} payload`, details: zodDetails(parsed.error) });
        logger.debug('socket event', { event, socket: socket.id });
        const result = await handle(parsed.data as never);
        logger.debug('socket event done', { event, socket: socket.id });
        reply?.({ ok: true, ...(result ?? {}) });
      } catch (error) {
        fail(toWireError(error, logger));
      }
    });
  }
}
