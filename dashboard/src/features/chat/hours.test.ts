import { describe, expect, it } from 'vitest';
import {
  addInterval,
  copyDay,
  defaultWeek,
  describeWeek,
  fromWeek,
  isOpenAt,
  removeInterval,
  setDayOpen,
  toWeek,
  updateInterval,
  validateWeek,
} from './hours';

describe('business hours model', () => {
  it('round-trips the wire shape, sorting days and intervals', () => {
    const hours = {
      timezone: 'Europe/Berlin',
      intervals: [
        { day: 2, open: '13:00', close: '17:00' },
        { day: 1, open: '09:00', close: '17:00' },
        { day: 2, open: '09:00', close: '12:00' },
      ],
    };
    const week = toWeek(hours);
    expect(week[2]!.intervals).toEqual([
      { open: '09:00', close: '12:00' },
      { open: '13:00', close: '17:00' },
    ]);
    expect(week[0]!.open).toBe(false);
    expect(fromWeek('Europe/Berlin', week)).toEqual({
      timezone: 'Europe/Berlin',
      intervals: [
        { day: 1, open: '09:00', close: '17:00' },
        { day: 2, open: '09:00', close: '12:00' },
        { day: 2, open: '13:00', close: '17:00' },
      ],
    });
  });

  it('starts from Monday to Friday, 9 to 5', () => {
    const hours = fromWeek('UTC', defaultWeek());
    expect(hours.intervals.map((i) => i.day)).toEqual([1, 2, 3, 4, 5]);
    expect(describeWeek(hours)).toBe('Mon–Fri 09:00–17:00');
    expect(describeWeek(null)).toBe('Always open');
  });

  it('closing a day sends nothing for it; reopening restores its hours', () => {
    let week = setDayOpen(defaultWeek(), 1, false);
    expect(fromWeek('UTC', week).intervals.some((i) => i.day === 1)).toBe(false);
    week = setDayOpen(week, 1, true);
    expect(week[1]).toEqual({ day: 1, open: true, intervals: [{ open: '09:00', close: '17:00' }] });
  });

  it('adds a second interval after the last one, and removing the last closes the day', () => {
    let week = updateInterval(defaultWeek(), 3, 0, { close: '12:00' });
    week = addInterval(week, 3);
    expect(week[3]!.intervals).toEqual([
      { open: '09:00', close: '12:00' },
      { open: '13:00', close: '17:00' },
    ]);
    expect(validateWeek(week)).toEqual({});
    week = removeInterval(removeInterval(week, 3, 1), 3, 0);
    expect(week[3]!.open).toBe(false);
  });

  it('copies a day onto others', () => {
    let week = updateInterval(defaultWeek(), 1, 0, { open: '08:00' });
    week = copyDay(week, 1, [2, 3, 6]);
    expect(week[6]).toEqual({ day: 6, open: true, intervals: [{ open: '08:00', close: '17:00' }] });
    expect(week[4]!.intervals[0]!.open).toBe('09:00');
    expect(describeWeek(fromWeek('UTC', week))).toBe('Mon–Wed 08:00–17:00; Thu–Fri 09:00–17:00; Sat 08:00–17:00');
  });

  it('rejects intervals that end before they start, overlap, or are malformed', () => {
    let week = updateInterval(defaultWeek(), 1, 0, { open: '18:00' });
    week = addInterval(week, 2);
    week = updateInterval(week, 2, 1, { open: '16:00', close: '18:00' });
    week = updateInterval(week, 3, 0, { open: '9am' });
    expect(validateWeek(week)).toEqual({
      '1.0': 'Closing time must be after opening time.',
      '2.1': 'Overlaps 09:00–17:00.',
      '3.0': 'Use times like 09:00.',
    });
  });

  it('needs at least one open day', () => {
    const closed = [0, 1, 2, 3, 4, 5, 6].reduce((week, day) => setDayOpen(week, day, false), defaultWeek());
    expect(validateWeek(closed).week).toMatch(/at least one day/);
  });

  it('decides open now in the site timezone, like the server', () => {
    const hours = { timezone: 'UTC', intervals: [{ day: 1, open: '09:00', close: '17:00' }] };
    expect(isOpenAt(hours, new Date('2026-03-09T09:00:00Z'))).toBe(true); // Monday
    expect(isOpenAt(hours, new Date('2026-03-09T17:00:00Z'))).toBe(false);
    expect(isOpenAt(hours, new Date('2026-03-10T10:00:00Z'))).toBe(false); // Tuesday
    expect(isOpenAt({ ...hours, timezone: 'Asia/Tokyo' }, new Date('2026-03-09T01:00:00Z'))).toBe(true); // 10:00 Monday in Tokyo
    expect(isOpenAt(null, new Date())).toBe(true);
  });
});
