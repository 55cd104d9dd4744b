import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../app-env.js';
import type { SiteRow } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { isOriginAllowed } from '../../lib/origin.js';

/**
 * CORS for the widget's endpoints. Which origin may call depends on the site named in the request, so
 * preflights are answered for any origin and the real request is checked by `requireAllowedOrigin`.
 * No credentials: the widget never sends cookies to Beckon.
 */
export const publicCors = () =>
  createMiddleware<AppEnv>(async function publicCors(c, next) {
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS') {
      if (origin) {
        c.header('Access-Control-Allow-Origin', origin);
        c.header('Access-Control-Allow-Methods', 'GET, POST');
        c.header('Access-Control-Allow-Headers', 'content-type');
        c.header('Access-Control-Max-Age', '600');
      }
      c.header('Vary', 'Origin');
      return c.body(null, 204);
    }
    // Set before the handler runs, so every answer (errors too, so the widget can read why it was
    // refused) is built with them: setting headers on a finished answer makes Hono copy the response,
    // a web Response with a body stream, which was the collect path's costliest allocation.
    if (origin) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
    }
    await next();
  });

export function requireAllowedOrigin(_c: Context, site: SiteRow, origin: string | undefined): void {
  if (isOriginAllowed(origin, site.allowedOrigins)) return;
  throw new AppError(
    'origin_not_allowed',
    origin
      ? `The origin ${origin} is not allowed for this site; add it under Install → Allowed origins`
      : 'Requests must come from a browser page on an allowed origin',
  );
}
