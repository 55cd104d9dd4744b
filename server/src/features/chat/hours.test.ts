import { describe, expect, it } from 'vitest';
import { isWithinBusinessHours, localTime } from './hours.js';

const weekdays9to17 = (timezone: string) => ({
  timezone,
  intervals: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })),
});

describe('business hours', () => {
  it('is always open without hours', () => {
    expect(isWithinBusinessHours(null)).toBe(true);
  });

  it('judges the time in the site timezone, not the server one', () => {
    // Monday 2026-11-23 08:30 UTC is 09:30 in Berlin (CET) and 03:30 in New York.
    const now = new Date('2026-11-23T08:30:00Z');
    expect(isWithinBusinessHours(weekdays9to17('Europe/Berlin'), now)).toBe(true);
    expect(isWithinBusinessHours(weekdays9to17('America/New_York'), now)).toBe(false);
    expect(isWithinBusinessHours(weekdays9to17('Europe/Berlin'), new Date('2026-11-22T10:00:00Z'))).toBe(false); // Sunday
  });

  it('follows daylight saving time', () => {
    // 07:30 UTC is 09:30 in Berlin in summer (CEST) but 08:30 in winter (CET).
    expect(isWithinBusinessHours(weekdays9to17('Europe/Berlin'), new Date('2026-07-06T07:30:00Z'))).toBe(true);
    expect(isWithinBusinessHours(weekdays9to17('Europe/Berlin'), new Date('2026-11-23T07:30:00Z'))).toBe(false);
    expect(localTime(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toEqual({ day: 0, minutes: 3 * 60 + 30 });
  });

  it('closes at the closing minute', () => {
    const hours = weekdays9to17('UTC');
    expect(isWithinBusinessHours(hours, new Date('2026-11-23T16:59:00Z'))).toBe(true);
    expect(isWithinBusinessHours(hours, new Date('2026-11-23T17:00:00Z'))).toBe(false);
  });
});
