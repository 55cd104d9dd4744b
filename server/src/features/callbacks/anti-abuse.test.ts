import { describe, expect, it } from 'vitest';
import type { AppError } from '../../lib/errors.js';
import { rejectAutomated, secondsToNextUtcDay, utcDay } from './anti-abuse.js';

const refusal = (body: Parameters<typeof rejectAutomated>[0], minSeconds = 3) => {
  try {
    rejectAutomated(body, minSeconds);
    return null;
  } catch (error) {
    return error as AppError;
  }
};

describe('rejectAutomated', () => {
  it('lets a person through: honeypot empty, form open long enough', () => {
    expect(refusal({ website: '', formMs: 3000 })).toBeNull();
    expect(refusal({ formMs: 0 }, 0)).toBeNull();
  });

  it('refuses a filled honeypot outright', () => {
    expect(refusal({ website: 'https://spam.example', formMs: 60_000 })).toMatchObject({
      code: 'bad_request',
      status: 400,
    });
  });

  it('answers a too-fast form with 429 and the seconds still missing', () => {
    const error = refusal({ formMs: 800 })!;
    expect(error).toMatchObject({
      code: 'rate_limited',
      status: 429,
      details: { reason: 'too_fast', retryAfterSeconds: 3 },
    });
    expect(error.headers).toEqual({ 'Retry-After': '3' });
    expect(refusal({ formMs: 2_950 })!.headers).toEqual({ 'Retry-After': '1' });
    expect(refusal({})).toMatchObject({ details: { reason: 'too_fast' } }); // no timing at all: not a person's form
  });
});

describe('per-phone day', () => {
  it('is the UTC date, and Retry-After runs to the next UTC midnight', () => {
    const late = new Date('2026-03-29T23:59:30Z');
    expect(utcDay(late)).toBe('2026-03-29');
    expect(secondsToNextUtcDay(late)).toBe(30);
    expect(secondsToNextUtcDay(new Date('2026-03-29T00:00:00Z'))).toBe(86_400);
  });
});
