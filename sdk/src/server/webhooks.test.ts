import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError } from './index.js';

// The Standard Webhooks specification's example (also the server's reference vector in delivery.test.ts).
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const vector = {
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = new Date(Number(vector.timestamp) * 1000);
const headers = (overrides: Record<string, string> = {}) => ({
  'webhook-id': vector.id,
  'webhook-timestamp': vector.timestamp,
  'webhook-signature': vector.signature,
  ...overrides,
});

/** Signs as the server does, with any secret and body. */
function sign(whsec: string, id: string, timestamp: number, body: string) {
  const key = Buffer.from(whsec.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

describe('verifyWebhook', () => {
  it('accepts the reference vector, from a plain object or Headers, and returns the event', async () => {
    const verified = await verifyWebhook({ secret, headers: headers(), body: vector.body, now: at });
    expect(verified).toEqual({ id: vector.id, timestamp: at, event: { test: 2432232314 } });
    const fromHeaders = await verifyWebhook({
      secret,
      headers: new Headers(headers()),
      body: new TextEncoder().encode(vector.body),
      now: new Date(at.getTime() + 299_000),
    });
    expect(fromHeaders.id).toBe(vector.id);
  });

  it('accepts any one valid v1 signature of several (a secret rotation)', async () => {
    const verified = await verifyWebhook({
      secret,
      headers: headers({ 'webhook-signature': `v1,bm90IGl0 v2,whatever ${vector.signature}` }),
      body: vector.body,
      now: at,
    });
    expect(verified.event).toEqual({ test: 2432232314 });
  });

  it('refuses a changed body, another secret, a stale or future timestamp, and missing headers', async () => {
    const refused = async (options: Partial<Parameters<typeof verifyWebhook>[0]>) => {
      const error = await verifyWebhook({ secret, headers: headers(), body: vector.body, now: at, ...options }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(WebhookVerificationError);
      return (error as Error).message;
    };
    expect(await refused({ body: '{"test": 2432232315}' })).toBe('No matching signature');
    expect(await refused({ secret: 'whsec_c2VjcmV0IG9mIGFub3RoZXIgZW5kcG9pbnQ=' })).toBe('No matching signature');
    expect(await refused({ now: new Date(at.getTime() + 301_000) })).toMatch(/too old/);
    expect(await refused({ now: new Date(at.getTime() - 301_000) })).toMatch(/future/);
    expect(await refused({ headers: { 'webhook-id': vector.id } })).toMatch(/Missing/);
    expect(await refused({ headers: headers({ 'webhook-timestamp': 'soon' }) })).toMatch(/timestamp/);
    expect(await refused({ headers: headers({ 'webhook-signature': 'v1,%%%' }) })).toBe('No matching signature');
  });

  it('verifies what a fresh secret signs now, and refuses a body that is not JSON even when signed', async () => {
    const fresh = `whsec_${Buffer.from('a fresh 32-byte endpoint secret!').toString('base64')}`;
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({
      type: 'lead.created',
      timestamp: new Date().toISOString(),
      data: { lead: { id: 'l1' } },
    });
    const verified = await verifyWebhook<{ lead: { id: string } }>({
      secret: fresh,
      headers: {
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(now),
        'webhook-signature': sign(fresh, 'msg_1', now, body),
      },
      body,
    });
    expect(verified.event.type).toBe('lead.created');
    expect(verified.event.data.lead.id).toBe('l1');
    await expect(
      verifyWebhook({
        secret: fresh,
        headers: {
          'webhook-id': 'msg_2',
          'webhook-timestamp': String(now),
          'webhook-signature': sign(fresh, 'msg_2', now, 'nope'),
        },
        body: 'nope',
      }),
    ).rejects.toThrow('The body is not JSON');
  });
});
