import type { BusinessHours } from '../protocol/chat.js';

/**
 * Local time and business hours, written once for the server (availability, callback slots), the
 * widget (when the site opens next) and the dashboard (the hours editor's "open now"). Intervals are
 * wall-clock times in the site's IANA timezone, day 0 = Sunday; DST is Intl's job, and an unknown
 * timezone counts as always open. No zod: browsers import it without the validators.
 */

const minuteMs = 60_000;
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `"09:30"` → 570. */
export const timeMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const weekdayFormatters = new Map<string, Intl.DateTimeFormat>();
const wallFormatters = new Map<string, Intl.DateTimeFormat>();
const cached = (cache: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions) => {
  let found = cache.get(timeZone);
  if (!found)
    cache.set(timeZone, (found = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', ...options })));
  return found;
};

export interface LocalTime {
  /** 0 = Sunday … 6 = Saturday. */
  day: number;
  /** Minutes since local midnight. */
  minutes: number;
  /** `"Mon 09:05"`. */
  label: string;
}

/** Weekday and minutes since midnight at `now` in `timeZone`; null for a timezone Intl does not know. */
export function localTime(now: Date, timeZone: string): LocalTime | null {
  try {
    const parts = cached(weekdayFormatters, timeZone, {
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).formatToParts(now);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    const day = weekdays.indexOf(part('weekday'));
    return day < 0
      ? null
      : {
          day,
          minutes: Number(part('hour')) * 60 + Number(part('minute')),
          label: `${part('weekday')} ${part('hour')}:${part('minute')}`,
        };
  } catch {
    return null;
  }
}

/** True inside any interval; `null` hours mean always open, and so does an unknown timezone. */
export function isWithinBusinessHours(hours: BusinessHours | null, now = new Date()): boolean {
  if (!hours) return true;
  const local = localTime(now, hours.timezone);
  if (!local) return true;
  return hours.intervals.some(
    (interval) =>
      interval.day === local.day &&
      local.minutes >= timeMinutes(interval.open) &&
      local.minutes < timeMinutes(interval.close),
  );
}

/**
 * When the site next opens, as an instant (the intervals are in the site's timezone, the answer is shown
 * in the visitor's). `null` when there are no hours or the timezone is unknown. Near a DST change the
 * estimate can be an hour off; the server decides availability itself.
 */
export function nextOpening(hours: BusinessHours | null, now = new Date()): Date | null {
  if (!hours || hours.intervals.length === 0) return null;
  const local = localTime(now, hours.timezone);
  if (!local) return null;
  let best = Infinity;
  for (const interval of hours.intervals) {
    let delta = ((interval.day - local.day + 7) % 7) * 1440 + timeMinutes(interval.open) - local.minutes;
    if (delta <= 0) delta += 7 * 1440;
    best = Math.min(best, delta);
  }
  const at = new Date(now.getTime() + best * minuteMs);
  at.setSeconds(0, 0);
  return at;
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  minutes: number;
}

/** The wall-clock date and time of an instant in `timeZone` (throws for an unknown timezone). */
export function wallTime(instant: number, timeZone: string): WallTime {
  const parts = cached(wallFormatters, timeZone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: part('year'), month: part('month'), day: part('day'), minutes: part('hour') * 60 + part('minute') };
}

/** UTC offset (ms) in force at an instant. */
export function offsetAt(instant: number, timeZone: string): number {
  const seen = wallTime(instant, timeZone);
  return Date.UTC(seen.year, seen.month - 1, seen.day, 0, seen.minutes) - Math.floor(instant / minuteMs) * minuteMs;
}

const sameWall = (a: WallTime, b: WallTime) =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.minutes === b.minutes;

/**
 * The instant a wall-clock time happens in `timeZone`, or null when it does not exist (the hour skipped
 * when clocks go forward). A time that happens twice (clocks going back) resolves to the first one.
 */
export function instantOf(wall: WallTime, timeZone: string, offsetHint?: number): number | null {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, 0, wall.minutes);
  // Fast path: the offset of the previous slot almost always still holds (one Intl call, not six).
  // Its answer is trusted only if the hour before it has the same offset, i.e. no repeated hour was skipped.
  if (offsetHint !== undefined) {
    const guess = asUtc - offsetHint;
    if (sameWall(wallTime(guess, timeZone), wall) && offsetAt(guess - 60 * minuteMs, timeZone) === offsetHint)
      return guess;
  }
  // The offset is at most ±14 h; try the offsets in force around that moment, earliest instant first.
  const candidates = new Set<number>();
  for (const probe of [asUtc - 14 * 60 * minuteMs, asUtc, asUtc + 14 * 60 * minuteMs])
    candidates.add(asUtc - offsetAt(probe, timeZone));
  const matches = [...candidates]
    .filter((instant) => sameWall(wallTime(instant, timeZone), wall))
    .sort((a, b) => a - b);
  return matches[0] ?? null;
}
