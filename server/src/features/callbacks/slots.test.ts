import { describe, expect, it } from 'vitest';
import { instantOf, wallTime } from '@beckon/sdk/core';
import { callbackSlots, isOfferedSlot } from './slots.js';

const berlinWeekdays = {
  timezone: 'Europe/Berlin',
  intervals: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '17:00' })),
};
const berlinEveryDay = {
  timezone: 'Europe/Berlin',
  intervals: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '01:00', close: '04:00' })),
};

const local = (date: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);

describe('callbackSlots', () => {
  it('offers slots inside business hours in the site timezone, starting after the lead time', () => {
    // Monday 23 Nov 2026, 13:50 in Berlin (12:50Z).
    const slots = callbackSlots({
      hours: berlinWeekdays,
      slotMinutes: 30,
      daysAhead: 1,
      now: new Date('2026-11-23T12:50:00Z'),
    });
    const labels = slots.map((slot) => local(slot, 'Europe/Berlin'));
    expect(labels[0]).toBe('Mon 23/11, 14:30'); // 14:00 is less than 15 minutes away
    expect(labels).toContain('Mon 23/11, 16:30');
    expect(labels).not.toContain('Mon 23/11, 17:00'); // a slot must end by closing time
    expect(labels).toContain('Tue 24/11, 09:00');
    expect(slots).toHaveLength(5 + 16);
  });

  it('skips closed days', () => {
    // Saturday 28 Nov 2026: the next open day is Monday.
    const slots = callbackSlots({
      hours: berlinWeekdays,
      slotMinutes: 60,
      daysAhead: 2,
      now: new Date('2026-11-28T10:00:00Z'),
    });
    expect(slots.map((slot) => local(slot, 'Europe/Berlin'))[0]).toBe('Mon 30/11, 09:00');
  });

  it('keeps local times across the spring DST change and drops the skipped hour', () => {
    const slots = callbackSlots({
      hours: berlinEveryDay,
      slotMinutes: 30,
      daysAhead: 0,
      now: new Date('2026-03-28T23:00:00Z'),
    });
    // 29 Mar 2026: 02:00–03:00 does not exist in Berlin.
    expect(slots.map((slot) => local(slot, 'Europe/Berlin'))).toEqual([
      'Sun 29/03, 01:00',
      'Sun 29/03, 01:30',
      'Sun 29/03, 03:00',
      'Sun 29/03, 03:30',
    ]);
    expect(slots.map((slot) => slot.toISOString())).toEqual([
      '2026-03-29T00:00:00.000Z',
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
    ]);
  });

  it('offers a repeated hour once on the autumn DST change day', () => {
    const slots = callbackSlots({
      hours: berlinEveryDay,
      slotMinutes: 60,
      daysAhead: 0,
      now: new Date('2026-10-24T22:30:00Z'),
    });
    expect(slots.map((slot) => slot.toISOString())).toEqual([
      '2026-10-24T23:00:00.000Z',
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
    ]);
    expect(slots.map((slot) => local(slot, 'Europe/Berlin'))).toEqual([
      'Sun 25/10, 01:00',
      'Sun 25/10, 02:00',
      'Sun 25/10, 03:00',
    ]);
  });

  it('keeps 09:00 at 09:00 local time on both sides of the US change', () => {
    const hours = {
      timezone: 'America/New_York',
      intervals: [0, 1].map((day) => ({ day, open: '09:00', close: '10:00' })),
    };
    // Saturday 31 Oct 2026 noon New York; the change is on Sunday 1 Nov.
    const slots = callbackSlots({ hours, slotMinutes: 60, daysAhead: 2, now: new Date('2026-10-31T16:00:00Z') });
    expect(slots.map((slot) => slot.toISOString())).toEqual(['2026-11-01T14:00:00.000Z', '2026-11-02T14:00:00.000Z']);
  });

  it('accepts only offered slots', () => {
    const options = { hours: berlinWeekdays, slotMinutes: 30, daysAhead: 1, now: new Date('2026-11-23T12:50:00Z') };
    expect(isOfferedSlot(new Date('2026-11-23T13:30:00Z'), options)).toBe(true);
    expect(isOfferedSlot(new Date('2026-11-23T13:40:00Z'), options)).toBe(false); // not on the grid
    expect(isOfferedSlot(new Date('2026-11-24T02:00:00Z'), options)).toBe(false); // 3 a.m.
    expect(isOfferedSlot(new Date('2026-11-23T13:00:00Z'), options)).toBe(false); // too soon
  });

  it('returns nothing for an unknown timezone instead of throwing', () => {
    expect(
      callbackSlots({
        hours: { timezone: 'Mars/Olympus', intervals: [] },
        slotMinutes: 30,
        daysAhead: 1,
        now: new Date(),
      }),
    ).toEqual([]);
  });
});

describe('callbackSlots fast path', () => {
  /** Every slot resolved on its own with the full search: the reference the per-day shortcut must match. */
  function reference(timezone: string, now: Date, days: number) {
    const start = wallTime(now.getTime(), timezone);
    const found: number[] = [];
    for (let offset = 0; offset <= days; offset++) {
      const date = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
      for (let minutes = 8 * 60; minutes + 60 <= 20 * 60; minutes += 60) {
        const instant = instantOf(
          { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), minutes },
          timezone,
        );
        if (instant !== null && instant >= now.getTime() + 15 * 60_000) found.push(instant);
      }
    }
    return found.sort((a, b) => a - b);
  }

  it('gives the same instants as resolving every slot alone, across DST changes in many zones', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Sydney',
      'America/Santiago',
      'Asia/Kolkata',
      'Pacific/Chatham',
    ];
    const starts = [
      '2026-03-26T10:00:00Z',
      '2026-10-22T10:00:00Z',
      '2026-04-02T10:00:00Z',
      '2026-09-04T10:00:00Z',
      '2026-10-30T10:00:00Z',
    ];
    for (const timezone of zones) {
      for (const start of starts) {
        const hours = {
          timezone,
          intervals: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '08:00', close: '20:00' })),
        };
        const now = new Date(start);
        const fast = callbackSlots({ hours, slotMinutes: 60, daysAhead: 7, now }).map((slot) => slot.getTime());
        expect(fast, `${timezone} from ${start}`).toEqual(reference(timezone, now, 7));
      }
    }
  });
});
