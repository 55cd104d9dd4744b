import type { WebhookPayload } from '../protocol/index.js';

/** A request that is not a genuine, fresh Beckon webhook: answer it 401 and process nothing. */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

/** `Headers`, or Node's `IncomingHttpHeaders` (lower-case names). */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** The endpoint's `whsec_…` secret, shown once when the endpoint was added (or its secret rotated). */
  secret: string;
  headers: HeadersLike;
  /** The raw body, exactly as received: re-serialised JSON would not match the signature. */
  body: string | Uint8Array;
  /** How far the `webhook-timestamp` may be from now (replays, clock skew). Default 300 s, as Standard Webhooks says. */
  toleranceSeconds?: number;
  now?: Date;
}

export interface VerifiedWebhook<Data> {
  /** `webhook-id`: the same on every retry and redelivery of one event — process each id once. */
  id: string;
  timestamp: Date;
  event: WebhookPayload<Data>;
}

const header = (headers: HeadersLike, name: string): string | undefined => {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

function base64Bytes(value: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(value);
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
    return bytes;
  } catch {
    return null;
  }
}

/**
 * Checks a Beckon webhook the way the server signs it (Standard Webhooks: HMAC-SHA256 of `id.timestamp.body`
 * with the endpoint's secret, `v1,<base64>` in `webhook-signature`), refuses stale or future timestamps, and
 * returns the parsed event. Web Crypto only: Node 20+, Deno, Bun, edge runtimes.
 * @throws WebhookVerificationError
 * @example
 * const { id, event } = await verifyWebhook({ secret, headers: request.headers, body: rawBody });
 */
export async function verifyWebhook<Data = Record<string, unknown>>(
  options: VerifyWebhookOptions,
): Promise<VerifiedWebhook<Data>> {
  const { secret, headers, body, toleranceSeconds = 300, now = new Date() } = options;
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures)
    throw new WebhookVerificationError('Missing webhook-id, -timestamp or -signature');
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError('Invalid webhook-timestamp');
  const sentAt = Number(timestamp);
  if (Math.abs(now.getTime() / 1000 - sentAt) > toleranceSeconds)
    throw new WebhookVerificationError('The webhook-timestamp is too old or in the future');

  const keyBytes = base64Bytes(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  if (!keyBytes?.length) throw new WebhookVerificationError('The secret is not a whsec_… secret');
  const key = await globalThis.crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
  const encoder = new TextEncoder();
  const bodyBytes = typeof body === 'string' ? encoder.encode(body) : body;
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + bodyBytes.length);
  signed.set(prefix);
  signed.set(bodyBytes, prefix.length);

  // Several signatures may be sent (during a secret rotation); one valid `v1` is enough. `subtle.verify`
  // compares in constant time.
  let valid = false;
  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) continue;
    const signature = base64Bytes(value);
    if (signature && (await globalThis.crypto.subtle.verify('HMAC', key, signature, signed))) {
      valid = true;
      break;
    }
  }
  if (!valid) throw new WebhookVerificationError('No matching signature');

  let event: WebhookPayload<Data>;
  try {
    event = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
  } catch {
    throw new WebhookVerificationError('The body is not JSON');
  }
  return { id, timestamp: new Date(sentAt * 1000), event };
}
