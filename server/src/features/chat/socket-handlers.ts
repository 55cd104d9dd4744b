import type { z } from 'zod';
import type { ErrorBody } from '@beckon/sdk/protocol';
import { knownErrorBody, zodDetails } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { RateLimiter, RateLimitRule } from '../../lib/rate-limit.js';
import type { Histogram } from '../metrics/index.js';

type AckFn = (reply: unknown) => void;

/** What the dispatcher needs of a socket, whatever its event maps. */
interface Socket {
  id: string;
  emit(event: 'error', error: ErrorBody['error']): unknown;
}

/** Events a socket may send per window; typing counts too, so the limit is generous for people. */
export const socketEventLimit: RateLimitRule = { limit: 60, windowMs: 10_000 };

const toWireError = (error: unknown, logger: Logger): ErrorBody['error'] => {
  const known = knownErrorBody(error);
  if (known) return known;
  logger.error('socket handler failed', { error });
  return { code: 'internal', message: 'Something went wrong on our side' };
};

/** `receivedAt`: `performance.now()` when the event was read off the socket, before any check. */
type Handle<P, S> = (payload: P, socket: S, receivedAt: number) => Promise<unknown>;

export interface Handler<S extends Socket = Socket> {
  schema: z.ZodType;
  handle: Handle<never, S>;
  /** Times every successful call from receipt to the moment its ack is handed to socket.io. */
  ackLatency?: Histogram | undefined;
}

/** One row of a handler table: the payload is typed by its schema; `socket` is the sender. */
export const handler = <Schema extends z.ZodType, S extends Socket = Socket>(
  schema: Schema,
  handle: Handle<z.output<Schema>, S>,
  options: { ackLatency?: Histogram } = {},
): Handler<S> => ({
  schema,
  handle: handle as Handle<never, S>,
  ackLatency: options.ackLatency,
});

/**
 * Turns a handler table keyed by event name into one listener for `socket.onAny`. Every payload is
 * validated with its schema, every socket is rate-limited, and every failure becomes an ack or `error`
 * event — a bad client never crashes the server. One shared listener (socket.io calls it with the
 * socket as `this`) instead of a closure per event per socket keeps an idle socket small: a node holds
 * thousands of them.
 */
export function handlerTable<S extends Socket>(
  handlers: Record<string, Handler<S>>,
  { limiter, logger }: { limiter: RateLimiter; logger: Logger },
) {
  return async function onEvent(this: S, event: string, ...args: unknown[]) {
    const receivedAt = performance.now();
    const last = args.at(-1);
    const reply = typeof last === 'function' ? (last as AckFn) : undefined;
    const payload = args[0] === last && reply ? undefined : args[0];
    const fail = (error: ErrorBody['error']) => (reply ? reply({ ok: false, error }) : this.emit('error', error));
    try {
      const row = Object.hasOwn(handlers, event) ? handlers[event] : undefined;
      if (!row) return fail({ code: 'validation_failed', message: `Unknown event ${String(event).slice(0, 40)}` });
      // A socket lives on one node, so its counter stays in that node's memory (no Redis hop per message).
      const retryAfter = await limiter.local.hit(`socket:${this.id}`, socketEventLimit);
      if (retryAfter > 0)
        return fail({
          code: 'rate_limited',
          message: 'Too many events; slow down',
          details: { retryAfterSeconds: retryAfter },
        });
      const parsed = row.schema.safeParse(payload);
      if (!parsed.success)
        return fail({
          code: 'validation_failed',
          message: `Invalid ${event} payload`,
          details: zodDetails(parsed.error),
        });
      const result = await row.handle(parsed.data as never, this, receivedAt);
      if (reply) {
        reply({ ok: true, ...(result ?? {}) });
        // After the reply, not when the handler returned: acks of one committed batch leave one after another.
        row.ackLatency?.observeSince(receivedAt);
      }
    } catch (error) {
      fail(toWireError(error, logger));
    }
  };
}
