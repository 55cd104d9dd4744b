import { describe, expect, it } from 'vitest';
import { checkIdentity, newIdentitySecret, userHashMatches, userHashOf } from './identity.js';
import { defaultConsentSettings, type IdentifiedCollectBatch } from '@beckon/sdk/protocol';

const secret = newIdentitySecret();
const otherSecret = newIdentitySecret();

describe('userHash verification', () => {
  it('accepts the HMAC-SHA256 of the userId with this site secret, also in upper-case hex', () => {
    const hash = userHashOf(secret, 'user-42');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(userHashMatches(secret, 'user-42', hash)).toBe(true);
    expect(userHashMatches(secret, 'user-42', hash.toUpperCase())).toBe(true);
  });

  it('refuses a wrong, blank, truncated, another user’s or another site’s hash, and any hash when no secret exists', () => {
    const hash = userHashOf(secret, 'user-42');
    expect(
      userHashMatches(
        secret,
        'user-42',
        hash.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      ),
    ).toBe(false);
    expect(userHashMatches(secret, 'user-42', '')).toBe(false);
    expect(userHashMatches(secret, 'user-42', hash.slice(0, 62))).toBe(false);
    expect(userHashMatches(secret, 'user-43', hash)).toBe(false);
    expect(userHashMatches(secret, 'user-42', userHashOf(otherSecret, 'user-42'))).toBe(false);
    expect(userHashMatches(null, 'user-42', hash)).toBe(false);
  });
});

describe('checkIdentity', () => {
  const site = (requireVerifiedIdentity = false) => ({
    identitySecret: secret,
    consent: { ...defaultConsentSettings, requireVerifiedIdentity },
  });
  const batch = (traits: Record<string, string>): IdentifiedCollectBatch => ({
    site: 'demo',
    visitorId: 'visitor_0001',
    sessionId: 'session_0001',
    events: [{ id: 'identify_0001', type: 'identify', ts: Date.now(), url: 'https://shop.example/', traits }],
  });

  it('removes the hash from what is stored and names the verified userId', () => {
    const check = checkIdentity(site(), batch({ userId: 'u1', userHash: userHashOf(secret, 'u1') }));
    expect(check.verifiedUserId).toBe('u1');
    expect(JSON.stringify(check.batch)).not.toContain('userHash');
  });

  it('throws 401 for a wrong or blank hash and for a hash without a userId', () => {
    expect(() => checkIdentity(site(), batch({ userId: 'u1', userHash: 'f'.repeat(64) }))).toThrow(
      expect.objectContaining({ code: 'unauthorized' }),
    );
    expect(() => checkIdentity(site(), batch({ userId: 'u1', userHash: '' }))).toThrow(
      expect.objectContaining({ code: 'unauthorized' }),
    );
    expect(() => checkIdentity(site(), batch({ email: 'a@b.example', userHash: userHashOf(secret, 'u1') }))).toThrow(
      expect.objectContaining({ code: 'unauthorized' }),
    );
  });

  it('requires a hash on every identify when the site says so; otherwise an unhashed userId is only unverified', () => {
    expect(() => checkIdentity(site(true), batch({ userId: 'u1' }))).toThrow(
      expect.objectContaining({ code: 'unauthorized' }),
    );
    expect(() => checkIdentity(site(true), batch({ email: 'a@b.example' }))).toThrow(
      expect.objectContaining({ code: 'unauthorized' }),
    );
    const loose = checkIdentity(site(false), batch({ userId: 'u1' }));
    expect(loose.verifiedUserId).toBeUndefined();
    expect(loose.unverifiedUserId).toBe(true);
  });
});
