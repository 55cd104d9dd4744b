import { describe, expect, it } from 'vitest';
import { instantOf, isWithinBusinessHours, localTime, nextOpening, wallTime } from './local-time.js';

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
    expect(localTime(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toEqual({
      day: 0,
      minutes: 3 * 60 + 30,
      label: 'Sun 03:30',
    });
  });

  it('closes at the closing minute', () => {
    const hours = weekdays9to17('UTC');
    expect(isWithinBusinessHours(hours, new Date('2026-11-23T16:59:00Z'))).toBe(true);
    expect(isWithinBusinessHours(hours, new Date('2026-11-23T17:00:00Z'))).toBe(false);
  });
});

describe('instantOf', () => {
  it('maps wall-clock times to instants in summer and winter time', () => {
    expect(
      new Date(instantOf({ year: 2026, month: 7, day: 1, minutes: 14 * 60 + 30 }, 'Europe/Berlin')!).toISOString(),
    ).toBe('2026-07-01T12:30:00.000Z');
    expect(
      new Date(instantOf({ year: 2026, month: 1, day: 15, minutes: 14 * 60 + 30 }, 'Europe/Berlin')!).toISOString(),
    ).toBe('2026-01-15T13:30:00.000Z');
    expect(
      new Date(instantOf({ year: 2026, month: 1, day: 15, minutes: 9 * 60 }, 'America/New_York')!).toISOString(),
    ).toBe('2026-01-15T14:00:00.000Z');
    expect(new Date(instantOf({ year: 2026, month: 1, day: 15, minutes: 9 * 60 }, 'Asia/Kolkata')!).toISOString()).toBe(
      '2026-01-15T03:30:00.000Z',
    );
  });

  it('has no instant for a time in the hour skipped by the spring change, and the first one for a repeated time', () => {
    expect(instantOf({ year: 2026, month: 3, day: 29, minutes: 2 * 60 + 30 }, 'Europe/Berlin')).toBeNull();
    // 02:30 on 25 Oct 2026 happens at 00:30Z (summer time) and again at 01:30Z.
    expect(
      new Date(instantOf({ year: 2026, month: 10, day: 25, minutes: 2 * 60 + 30 }, 'Europe/Berlin')!).toISOString(),
    ).toBe('2026-10-25T00:30:00.000Z');
  });

  it('round-trips with wallTime', () => {
    const instant = Date.parse('2026-11-01T12:45:00Z'); // the US change day, after the change
    const wall = wallTime(instant, 'America/New_York');
    expect(instantOf(wall, 'America/New_York')).toBe(instant);
  });
});

describe('nextOpening (the widget\'s "we open at …")', () => {
  const hours = {
    timezone: 'Europe/Berlin',
    intervals: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })),
  };
  it('answers the next opening instant, across the weekend', () => {
    expect(nextOpening(hours, new Date('2026-11-20T17:30:00Z'))?.toISOString()).toBe('2026-11-23T08:00:00.000Z'); // Friday evening → Monday 09:00 CET
    expect(nextOpening(hours, new Date('2026-07-06T06:00:00Z'))?.toISOString()).toBe('2026-07-06T07:00:00.000Z'); // Monday 08:00 CEST → 09:00
  });
  it('is null without hours or with an unknown timezone', () => {
    expect(nextOpening(null)).toBeNull();
    expect(nextOpening({ ...hours, timezone: 'Mars/Olympus' })).toBeNull();
    expect(localTime(new Date(), 'Mars/Olympus')).toBeNull();
    expect(isWithinBusinessHours({ ...hours, timezone: 'Mars/Olympus' })).toBe(true);
  });
});
