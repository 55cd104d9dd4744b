import { AppError } from '../../lib/errors.js';

/** The per-phone limit counts per UTC day: one key everyone (every node, every timezone) agrees on. */
export const utcDay = (now: Date) => now.toISOString().slice(0, 10);

/** `Retry-After` for the per-phone limit: until the next UTC day starts (at least 1 s). */
export const secondsToNextUtcDay = (now: Date) => {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
};

/**
 * Refuses what a person filling the form would never send: the hidden honeypot field filled in, or the
 * form sent faster than a human can type a phone number. The second answers 429 with the seconds left,
 * so a real (fast) visitor can simply send again.
 */
export function rejectAutomated(
  body: { website?: string | undefined; formMs?: number | undefined },
  minFormSeconds: number,
) {
  if (body.website) throw new AppError('bad_request', 'This request looks automated');
  const formMs = body.formMs ?? 0;
  if (formMs < minFormSeconds * 1000) {
    const wait = Math.max(1, Math.ceil((minFormSeconds * 1000 - formMs) / 1000));
    throw new AppError(
      'rate_limited',
      'That was quick! Please check your details and send again.',
      { reason: 'too_fast', retryAfterSeconds: wait },
      { 'Retry-After': String(wait) },
    );
  }
}
