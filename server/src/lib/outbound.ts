import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { parseUrl } from './url.js';

/**
 * Addresses an outbound request from the server must not reach unless the operator allows it: loopback,
 * private networks, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, benchmarking,
 * multicast and reserved ranges. A webhook URL is typed by an admin, but it runs on the server, inside
 * the operator's network: without this an admin account could probe or call internal services.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  // NAT64 (well-known and local-use prefixes): the gateway's own network decides where these go.
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  // Teredo: the IPv4 it tunnels to is obfuscated in the address; nothing a webhook needs.
  ['2001::', 32],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = (part: string) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const [head = '', tail] = text.split('::');
  if (tail === undefined) return groups(head);
  const before = groups(head);
  const after = groups(tail);
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

/**
 * The IPv4 address an IPv6 address stands for, where one reaches it: IPv4-compatible `::a.b.c.d`,
 * mapped `::ffff:a.b.c.d`, translated `::ffff:0:a.b.c.d` (URLs spell them in hex: `[::ffff:7f00:1]`),
 * and 6to4 `2002:AABB:CCDD::/48`. `::` and `::1` come out as 0.0.0.0 and 0.0.0.1, both refused.
 */
function embeddedIpv4(groups: number[]): string | null {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  const ipv4 = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  const zeroTo4 = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0;
  if (zeroTo4 && g4 === 0 && (g5 === 0 || g5 === 0xffff)) return ipv4(g6, g7);
  if (zeroTo4 && g4 === 0xffff && g5 === 0) return ipv4(g6, g7);
  if (g0 === 0x2002) return ipv4(g1, g2);
  return null;
}

/**
 * True for an address outbound requests must not reach by default. An IPv6 address that carries an IPv4
 * one is judged by that IPv4 address too, so `[::127.0.0.1]` or `[::ffff:0:10.0.0.1]` is refused like
 * `127.0.0.1` or `10.0.0.1`.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  if (family === 4) return blocked.check(address, 'ipv4');
  const groups = ipv6Groups(address);
  if (groups.length !== 8 || groups.some((group) => !Number.isInteger(group) || group < 0 || group > 0xffff))
    return true;
  const ipv4 = embeddedIpv4(groups);
  return (ipv4 !== null && blocked.check(ipv4, 'ipv4')) || blocked.check(address, 'ipv6');
}

export class PrivateAddressError extends Error {
  constructor(host: string, address: string) {
    super(`${host} is a private or reserved address (${address}); set BECKON_WEBHOOKS_ALLOW_PRIVATE=true to allow it`);
    this.name = 'PrivateAddressError';
  }
}

/** Why a URL's host may not be called, judged without DNS (literal addresses and `localhost`); null if it may be tried. */
export function privateHostReason(url: string): string | null {
  const parsed = parseUrl(url);
  if (!parsed) return 'the URL does not parse';
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return `${host} is this server`;
  if (isIP(host) !== 0 && isPrivateAddress(host)) return `${host} is a private or reserved address`;
  return null;
}

/**
 * DNS lookup for node:http that refuses private addresses. The check happens on the addresses the
 * connection will use, so a name that resolves publicly when saved and privately later (DNS rebinding)
 * is still refused.
 */
export const publicLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((entry) => isPrivateAddress(entry.address));
    if (refused) return callback(new PrivateAddressError(hostname, refused.address), '', 0);
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/**
 * A `fetch` for server-to-internet POSTs (webhooks) that never connects to a private address, never
 * follows a redirect, and reads no more of the answer than its status. Same call shape as `fetch`
 * for what the delivery worker uses: method, headers, string body, abort signal.
 */
export function publicOnlyFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  return new Promise<Response>((resolve, reject) => {
    const reason = privateHostReason(url.href);
    if (reason) return reject(new PrivateAddressError(url.hostname, reason));
    const options: RequestOptions = {
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string> | undefined,
      lookup: publicLookup,
      signal: init.signal ?? undefined,
    };
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (response) => {
      response.resume(); // the body is not needed; draining frees the socket
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 599) return reject(new Error(`HTTP ${status}`));
      resolve(new Response(null, { status, statusText: response.statusMessage }));
    });
    request.on('error', reject);
    request.end(typeof init.body === 'string' ? init.body : undefined);
  });
}
