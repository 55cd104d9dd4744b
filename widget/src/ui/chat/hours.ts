import type { BusinessHours } from '@beckon/sdk/protocol';

const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/**
 * When the site next opens, as an instant: the intervals are in the site's timezone, the answer is shown
 * in the visitor's. `null` when there are no hours or the timezone is unknown. (Near a DST change the
 * estimate can be an hour off; the server decides availability itself.)
 */
export function nextOpening(hours: BusinessHours | null, now = new Date()): Date | null {
  if (!hours || hours.intervals.length === 0) return null;
  let day: number;
  let minutes: number;
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: hours.timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    day = weekdays.indexOf(part('weekday'));
    minutes = Number(part('hour')) * 60 + Number(part('minute'));
  } catch {
    return null;
  }
  if (day < 0) return null;
  let best = Infinity;
  for (const interval of hours.intervals) {
    let delta = ((interval.day - day + 7) % 7) * 1440 + minutesOf(interval.open) - minutes;
    if (delta <= 0) delta += 7 * 1440;
    best = Math.min(best, delta);
  }
  const at = new Date(now.getTime() + best * 60_000);
  at.setSeconds(0, 0);
  return at;
}
