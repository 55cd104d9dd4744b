import type { BusinessHours } from '@beckon/sdk/protocol';
import { instantOf, offsetAt, timeMinutes as toMinutes, wallTime, type WallTime } from '@beckon/sdk/core';

const minuteMs = 60_000;

export interface SlotOptions {
  hours: BusinessHours | null;
  slotMinutes: number;
  daysAhead: number;
  now: Date;
  /** A slot must start at least this long from now, so an agent can prepare. */
  leadMinutes?: number;
  /** Cap on the answer's length. */
  max?: number;
}

/**
 * Bookable callback slots: every `slotMinutes` inside the business hours, in the site's timezone, from
 * today to `daysAhead` days later. Computed per wall-clock day, so a DST change moves no slot off its
 * local time; slots in a skipped hour do not exist. Without business hours (always open) the slots
 * run 08:00–20:00 UTC, a sane default for a site that has not set hours.
 */
export function callbackSlots({
  hours,
  slotMinutes,
  daysAhead,
  now,
  leadMinutes = 15,
  max = 300,
}: SlotOptions): Date[] {
  const timeZone = hours?.timezone ?? 'UTC';
  const intervals = hours?.intervals ?? [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '08:00', close: '20:00' }));
  let today: WallTime;
  try {
    today = wallTime(now.getTime(), timeZone);
  } catch {
    return [];
  }
  const earliest = now.getTime() + leadMinutes * minuteMs;
  const slots: number[] = [];
  let lastOffset: number | undefined;
  for (let offset = 0; offset <= daysAhead; offset++) {
    // Calendar arithmetic on the date alone (UTC has no DST), then back to the site's wall clock.
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const weekday = date.getUTCDay();
    const todays = intervals.filter((entry) => entry.day === weekday);
    if (todays.length === 0) continue;
    // One offset for the whole local day when it is the same 14 h before and after it (no DST change
    // near): two Intl calls per day instead of several per slot. Otherwise every slot is resolved alone.
    const dayUtc = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
    const before = offsetAt(dayUtc - 14 * 60 * minuteMs, timeZone);
    const steady = before === offsetAt(dayUtc + (24 + 14) * 60 * minuteMs, timeZone) ? before : undefined;
    for (const interval of todays) {
      const close = toMinutes(interval.close);
      for (
        let minutes = Math.ceil(toMinutes(interval.open) / slotMinutes) * slotMinutes;
        minutes + slotMinutes <= close;
        minutes += slotMinutes
      ) {
        const wall = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), minutes };
        const instant =
          steady !== undefined ? dayUtc + minutes * minuteMs - steady : instantOf(wall, timeZone, lastOffset);
        if (instant === null) continue;
        lastOffset = Date.UTC(wall.year, wall.month - 1, wall.day, 0, wall.minutes) - instant;
        if (instant >= earliest) slots.push(instant);
      }
    }
  }
  return [...new Set(slots)]
    .sort((a, b) => a - b)
    .slice(0, max)
    .map((instant) => new Date(instant));
}

/** True when `at` is one of the slots offered now (a visitor cannot book 3 a.m. by editing the request). */
export function isOfferedSlot(at: Date, options: SlotOptions): boolean {
  return callbackSlots({ ...options, max: Number.MAX_SAFE_INTEGER }).some((slot) => slot.getTime() === at.getTime());
}
