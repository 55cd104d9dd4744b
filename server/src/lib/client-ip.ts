import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createHash, randomBytes } from 'node:crypto';

/**
 * The client's address for rate limiting. Behind a trusted proxy the left-most `X-Forwarded-For`
 * entry is the client; otherwise the socket peer.
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // `app.request()` in tests has no socket.
    return 'unknown';
  }
}

// A per-process salt: log lines can be correlated within a run, but no raw address is ever written.
const ipSalt = randomBytes(16);
export const hashIp = (ip: string) => createHash('sha256').update(ipSalt).update(ip).digest('base64url').slice(0, 12);
