import { AppError } from './errors.js';

export interface RateLimitRule {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/**
 * Fixed-window counters kept in this node's memory. With several nodes each enforces its own share,
 * which bounds abuse without a network hop; a shared store can implement the same `hit` later.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string, rule: RateLimitRule): number {
    const now = this.now();
    this.sweep(now);
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + rule.windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return window.count > rule.limit ? Math.max(1, Math.ceil((window.resetAt - now) / 1000)) : 0;
  }

  /** Throws `rate_limited` with `Retry-After` when over the limit. */
  enforce(key: string, rule: RateLimitRule, message = 'Too many requests, please slow down'): void {
    const retryAfter = this.hit(key, rule);
    if (retryAfter > 0) throw rateLimited(message, retryAfter);
  }

  /**
   * Throws `rate_limited` with `Retry-After` when `key` already used its allowance in the current window,
   * without counting this call: for limits on failures only (count them with `hit` when they happen).
   */
  enforceRemaining(key: string, rule: RateLimitRule, message = 'Too many requests, please slow down'): void {
    const { count, retryAfterSeconds } = this.peek(key);
    if (count >= rule.limit) throw rateLimited(message, retryAfterSeconds);
  }

  /** The hits `key` has in its current window and the seconds until that window ends, without counting. */
  peek(key: string): { count: number; retryAfterSeconds: number } {
    const now = this.now();
    const window = this.windows.get(key);
    if (!window || window.resetAt <= now) return { count: 0, retryAfterSeconds: 0 };
    return { count: window.count, retryAfterSeconds: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) };
  }

  /** Gives back one hit counted by `hit` for something that turned out not to use the allowance. */
  release(key: string): void {
    const window = this.windows.get(key);
    if (window && window.count > 0) window.count--;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private sweep(now: number) {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

/** The `rate_limited` error, with the wait in its details and in `Retry-After`. */
export const rateLimited = (message: string, retryAfterSeconds: number) =>
  new AppError('rate_limited', message, { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
