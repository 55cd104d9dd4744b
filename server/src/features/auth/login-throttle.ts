import { rateLimited, type RateLimiter, type RateLimitRule } from '../../lib/rate-limit.js';

const minutes = (n: number) => n * 60_000;

/**
 * Login throttles count failed attempts only, so a team behind one office address can sign in all day.
 * They stop guessing without letting strangers lock anyone out (README, "Security"): an account that
 * strangers failed at is *guarded* — only its known devices and addresses that have not failed still get
 * their password checked — and only past a much larger ceiling does it take its known devices alone.
 */
export const loginLimits = {
  /** Failed logins from one address, at any accounts: a password sprayer. */
  perIp: { limit: 20, windowMs: minutes(15) },
  /** Failed logins at one account from clients it does not know; past it the account is guarded. */
  perAccount: { limit: 10, windowMs: minutes(15) },
  /** Failed logins at one account from clients it does not know; past it only its known devices pass. */
  perAccountCeiling: { limit: 100, windowMs: minutes(60) },
  /** Failed logins from one known device (a stolen cookie); past it the device counts as unknown. */
  perDevice: { limit: 10, windowMs: minutes(15) },
} satisfies Record<string, RateLimitRule>;

export interface LoginAttempt {
  /** The client's address. */
  ip: string;
  /** The account asked for, known or not: unknown emails are throttled the same, so they cannot be told apart. */
  email: string;
  /** The device id of a valid device cookie of this account (see device.ts), else null. */
  deviceId: string | null;
}

const message = 'Too many login attempts; try again later';

/** Decides per attempt whether its password may be checked, and counts what failed. */
export function loginThrottle(limiter: RateLimiter, limits = loginLimits) {
  const keysOf = ({ ip, email, deviceId }: LoginAttempt) => ({
    ip: `login:ip:${ip}`,
    account: `login:account:${email}`,
    ceiling: `login:account-ceiling:${email}`,
    device: deviceId === null ? null : `login:device:${deviceId}`,
  });
  const knownDeviceStill = (device: string | null, peek: { count: number } | undefined) =>
    device !== null && peek !== undefined && peek.count < limits.perDevice.limit;

  return {
    /**
     * Throws `rate_limited` (with Retry-After) when this attempt may not have its password checked.
     * One read of every counter it needs (one Redis round trip with REDIS_URL).
     */
    async admit(attempt: LoginAttempt): Promise<void> {
      const keys = keysOf(attempt);
      const [ip, ceiling, account, device] = await limiter.peekAll([
        keys.ip,
        keys.ceiling,
        keys.account,
        ...(keys.device ? [keys.device] : []),
      ]);
      if (knownDeviceStill(keys.device, device)) return;
      if (ip!.count >= limits.perIp.limit) throw rateLimited(message, ip!.retryAfterSeconds);
      if (ceiling!.count >= limits.perAccountCeiling.limit) throw rateLimited(message, ceiling!.retryAfterSeconds);
      if (account!.count < limits.perAccount.limit) return;
      // Guarded: an address that has failed waits until either its own window or the account's ends.
      if (ip!.count > 0) throw rateLimited(message, Math.min(ip!.retryAfterSeconds, account!.retryAfterSeconds));
    },
    async failed(attempt: LoginAttempt): Promise<void> {
      const keys = keysOf(attempt);
      if (keys.device && knownDeviceStill(keys.device, await limiter.peek(keys.device)))
        return void (await limiter.hit(keys.device, limits.perDevice));
      await limiter.hitAll([
        [keys.ip, limits.perIp],
        [keys.account, limits.perAccount],
        [keys.ceiling, limits.perAccountCeiling],
      ]);
    },
    /** The device proved it knows the password: its earlier typos are forgiven. Nothing else is reset. */
    async succeeded(attempt: LoginAttempt): Promise<void> {
      const { device } = keysOf(attempt);
      if (device) await limiter.reset(device);
    },
  };
}
