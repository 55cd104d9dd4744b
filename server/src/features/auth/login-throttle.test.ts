import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors.js';
import { RateLimiter } from '../../lib/rate-limit.js';
import { loginLimits, loginThrottle, type LoginAttempt } from './login-throttle.js';

const _minute = 60_000;

function setup() {
  let now = 1_000_000;
  const throttle = loginThrottle(new RateLimiter({ now: () => now }));
  const email = 'admin@example.test';
  const attempt = (ip: string, deviceId: string | null = null): LoginAttempt => ({ ip, email, deviceId });
  /** `admit`, as the status the login route would answer: 429 or "checked". */
  const admitted = async (a: LoginAttempt) => {
    try {
      await throttle.admit(a);
      return 'checked';
    } catch (error) {
      if (error instanceof AppError && error.code === 'rate_limited') return 429;
      throw error;
    }
  };
  const fail = async (a: LoginAttempt) => {
    expect(await admitted(a)).toBe('checked');
    await throttle.failed(a);
  };
  return { throttle, attempt, admitted, fail, advance: (ms: number) => (now += ms) };
}

describe('login throttle', () => {
  it('guards an account after 10 failures: addresses that failed wait, fresh ones and known devices are checked', async () => {
    const { attempt, admitted, fail, advance } = setup();
    for (let i = 0; i < loginLimits.perAccount.limit; i++) await fail(attempt(`10.0.0.${i}`));
    expect(await admitted(attempt('10.0.0.0'))).toBe(429);
    expect(await admitted(attempt('10.0.1.1'))).toBe('checked');
    expect(await admitted(attempt('10.0.0.0', 'device-1'))).toBe('checked');
    // The account's window ends: addresses that failed are checked again.
    advance(loginLimits.perAccount.windowMs);
    expect(await admitted(attempt('10.0.0.0'))).toBe('checked');
  });

  it('past the ceiling (100 failures an hour from unknown clients) only known devices are checked', async () => {
    const { attempt, admitted, fail, advance } = setup();
    for (let i = 0; i < loginLimits.perAccountCeiling.limit; i++) {
      await fail(attempt(`10.1.${Math.floor(i / 200)}.${i % 200}`));
    }
    expect(await admitted(attempt('192.0.2.1'))).toBe(429);
    expect(await admitted(attempt('192.0.2.1', 'device-1'))).toBe('checked');
    advance(loginLimits.perAccountCeiling.windowMs);
    expect(await admitted(attempt('192.0.2.1'))).toBe('checked');
  });

  it('a known device that fails 10 times counts as unknown; its failures do not guard the account', async () => {
    const { attempt, admitted, fail } = setup();
    const stolen = attempt('10.2.0.1', 'device-stolen');
    for (let i = 0; i < loginLimits.perDevice.limit; i++) await fail(stolen);
    expect(await admitted(attempt('10.2.0.2'))).toBe('checked');
    expect(await admitted(attempt('10.2.0.3', 'device-other'))).toBe('checked');
    // Now unknown, it is held to the address and account limits like any stranger.
    for (let i = 0; i < loginLimits.perAccount.limit; i++) await fail(attempt(`10.2.1.${i}`));
    await fail(stolen);
    expect(await admitted(stolen)).toBe(429);
  });

  it('a known device that signs in has its typos forgiven', async () => {
    const { throttle, attempt, admitted, fail } = setup();
    const device = attempt('10.3.0.1', 'device-typos');
    for (let i = 0; i < loginLimits.perDevice.limit - 1; i++) await fail(device);
    await throttle.succeeded(device);
    for (let i = 0; i < loginLimits.perDevice.limit - 1; i++) await fail(device);
    // Still known: 9 + 9 failures never made the account guarded.
    for (let i = 0; i < loginLimits.perAccount.limit; i++) await fail(attempt(`10.3.1.${i}`));
    expect(await admitted(device)).toBe('checked');
  });

  it('limits failures per address across accounts (a sprayer)', async () => {
    const { throttle, admitted } = setup();
    for (let i = 0; i < loginLimits.perIp.limit; i++) {
      const a = { ip: '10.4.0.1', email: `u${i}@example.test`, deviceId: null };
      expect(await admitted(a)).toBe('checked');
      await throttle.failed(a);
    }
    expect(await admitted({ ip: '10.4.0.1', email: 'fresh@example.test', deviceId: null })).toBe(429);
  });
});
