import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createHash, randomBytes } from 'node:crypto';

/**
 * The client's address for rate limiting. Behind a trusted proxy the left-most `X-Forwarded-For`
 * entry is the client; otherwise the socket peer.
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  const forwarded = trustProxy ? forwardedClient(c.req.header('x-forwarded-for')) : undefined;
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // `app.request()` in tests has no socket.
    return 'unknown';
  }
}

const forwardedClient = (header: string | string[] | undefined) =>
  (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();

/** `clientIp` for a socket.io handshake: the address the socket was opened from. */
export function handshakeIp(
  handshake: { address: string; headers: Record<string, string | string[] | undefined> },
  trustProxy: boolean,
): string {
  return (
    (trustProxy ? forwardedClient(handshake.headers['x-forwarded-for']) : undefined) || handshake.address || 'unknown'
  );
}

// A per-process salt over the truncated address: log lines can be correlated within a run (per /24 or
// /48 network), but no raw address, nor a hash that could be brute-forced back to one, is ever written.
const ipSalt = randomBytes(16);
export const hashIp = (ip: string) =>
  createHash('sha256').update(ipSalt).update(truncateIp(ip)).digest('base64url').slice(0, 12);

/** An address's IPv4 octets or IPv6 groups (an IPv4-mapped IPv6 address is IPv4); null if it is none. */
function parseIp(ip: string): { v4: number[] } | { v6: string[] } | null {
  const address = ip.trim().replace(/^\[|\]$/g, '');
  // An IPv4 address mapped into IPv6 (`::ffff:1.2.3.4`, as Node reports dual-stack peers) is IPv4.
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/i.exec(address);
  if (v4) {
    const octets = v4.slice(1, 5).map(Number);
    return octets.some((o) => o > 255) ? null : { v4: octets };
  }
  if (!/^[0-9a-f:]+(%\w+)?$/i.test(address) || !address.includes(':')) return null;
  const bare = address.replace(/%.*$/, '');
  const [head = '', tail = ''] = bare.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = bare.includes('::') ? (tail ? tail.split(':') : []) : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (missing < 0 || (!bare.includes('::') && headGroups.length !== 8)) return null;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  if (groups.some((g) => g.length === 0 || g.length > 4)) return null;
  return { v6: groups.map((g) => parseInt(g, 16).toString(16)) };
}

/**
 * The address as Beckon may keep it (issue 6): IPv4 to its /24 (last octet zeroed), IPv6 to its /48
 * (first three groups). Anything that is not an address becomes `unknown`. Raw addresses are never
 * stored or logged; this is what goes into hashes and anywhere an address is kept.
 */
export function truncateIp(ip: string): string {
  const parsed = parseIp(ip);
  if (!parsed) return 'unknown';
  return 'v4' in parsed ? `${parsed.v4.slice(0, 3).join('.')}.0` : `${parsed.v6.slice(0, 3).join(':')}::`;
}

/**
 * The "address" per-address limits count: an IPv4 address, or an IPv6 address's /64 — one subscriber
 * gets a whole /64 and could otherwise take a fresh address for every attempt.
 */
export function limitAddress(ip: string): string {
  const parsed = parseIp(ip);
  if (!parsed) return ip.slice(0, 64);
  return 'v4' in parsed ? parsed.v4.join('.') : `${parsed.v6.slice(0, 4).join(':')}::/64`;
}

/**
 * The visitor's country as the trusted proxy reports it in the configured header: two letters, upper
 * case; anything else (absent, `XX`/`T1` unknown/Tor markers, garbage, no trusted proxy) is null.
 */
export function trustedCountry(
  c: Context,
  config: { BECKON_TRUST_PROXY: boolean; BECKON_COUNTRY_HEADER?: string | undefined },
): string | null {
  if (!config.BECKON_TRUST_PROXY || !config.BECKON_COUNTRY_HEADER) return null;
  const value = c.req.header(config.BECKON_COUNTRY_HEADER)?.trim().toUpperCase();
  return value && /^[A-Z]{2}$/.test(value) && value !== 'XX' ? value : null;
}
