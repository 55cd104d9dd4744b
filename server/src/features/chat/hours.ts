import type { BusinessHours } from '@beckon/sdk/protocol';

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Weekday (0 = Sunday) and minutes since midnight at `now` in `timeZone`; DST is Intl's job. */
export function localTime(now: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: weekdays.indexOf(part('weekday')), minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** True inside any interval; `null` hours mean always open. An unknown timezone counts as open. */
export function isWithinBusinessHours(hours: BusinessHours | null, now = new Date()): boolean {
  if (!hours) return true;
  let local;
  try {
    local = localTime(now, hours.timezone);
  } catch {
    return true;
  }
  return hours.intervals.some(
    (interval) => interval.day === local.day && local.minutes >= toMinutes(interval.open) && local.minutes < toMinutes(interval.close),
  );
}
