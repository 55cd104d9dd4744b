/**
 * Report date ranges. A range is two calendar days (inclusive) in the agent's time zone: "the last 30 days"
 * means the 30 days ending today where the agent sits, whatever the server's clock says. The server turns
 * the days into instants with the same zone, so a day boundary (and a DST change) is the agent's.
 *
 * Calendar arithmetic runs on UTC dates: a calendar day has no DST, so adding days there never skips or
 * repeats one.
 */

export const rangePresets = ['7d', '30d', '90d', 'this-month', 'last-month', '12m', 'custom'] as const;
export type RangePreset = (typeof rangePresets)[number];

/** `YYYY-MM-DD`, a calendar day. */
export type Day = string;

export interface DayRange {
  from: Day;
  to: Day;
}

/** The longest range the reports ask for (the server caps it too): a bit over a year, for "last 12 months". */
export const maxRangeDays = 366;

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(value: string | null | undefined): value is Day {
  const match = value ? dayPattern.exec(value) : null;
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}

const toUtc = (day: Day) => Date.parse(`${day}T00:00:00Z`);
const fromUtc = (ms: number): Day => new Date(ms).toISOString().slice(0, 10);

export function addDays(day: Day, days: number): Day {
  return fromUtc(toUtc(day) + days * 86_400_000);
}

/** Days in a range, both ends included. */
export function rangeLength({ from, to }: DayRange): number {
  return Math.round((toUtc(to) - toUtc(from)) / 86_400_000) + 1;
}

/** The agent's time zone (the browser's), the one every report speaks. */
export function agentTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Today's calendar day in a time zone. */
export function todayIn(timeZone: string, now: number = Date.now()): Day {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The days a preset means on `today` (custom falls back to the last 30 days). */
export function presetRange(preset: RangePreset, today: Day): DayRange {
  const [year, month] = today.split('-').map(Number) as [number, number];
  const monthStart = (y: number, m: number): Day => fromUtc(Date.UTC(y, m - 1, 1));
  switch (preset) {
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '90d':
      return { from: addDays(today, -89), to: today };
    case 'this-month':
      return { from: monthStart(year, month), to: today };
    case 'last-month': {
      const from = monthStart(month === 1 ? year - 1 : year, month === 1 ? 12 : month - 1);
      return { from, to: addDays(monthStart(year, month), -1) };
    }
    case '12m':
      // The same day a year ago up to today would be 366 days; the 12 months end today and start the day after.
      return { from: addDays(fromUtc(Date.UTC(year - 1, month - 1, Number(today.slice(8)))), 1), to: today };
    default:
      return { from: addDays(today, -29), to: today };
  }
}

/** The period just before a range, as long as it: what "vs previous period" compares with. */
export function previousRange(range: DayRange): DayRange {
  const length = rangeLength(range);
  return { from: addDays(range.from, -length), to: addDays(range.from, -1) };
}

export interface RangeChoice extends DayRange {
  preset: RangePreset;
}

/**
 * The range in a report URL (`?range=30d`, or `?range=custom&from=…&to=…`); anything unreadable, reversed,
 * in the future or longer than a year falls back to a sane choice rather than an error page.
 */
export function readRange(search: URLSearchParams, today: Day): RangeChoice {
  const asked = search.get('range');
  const preset = (rangePresets as readonly string[]).includes(asked ?? '') ? (asked as RangePreset) : '30d';
  if (preset !== 'custom') return { preset, ...presetRange(preset, today) };
  const from = search.get('from');
  const to = search.get('to');
  if (!isDay(from) || !isDay(to)) return { preset: '30d', ...presetRange('30d', today) };
  const end = to > today ? today : to;
  // Days compare as text (YYYY-MM-DD); the earlier of the two.
  const start = [from, end].sort()[0] ?? end;
  const clamped = rangeLength({ from: start, to: end }) > maxRangeDays ? addDays(end, -(maxRangeDays - 1)) : start;
  return { preset, from: clamped, to: end };
}

/** Writes a range choice into report URL parameters (the other parameters stay). */
export function writeRange(search: URLSearchParams, choice: RangeChoice): URLSearchParams {
  const next = new URLSearchParams(search);
  next.set('range', choice.preset);
  if (choice.preset === 'custom') {
    next.set('from', choice.from);
    next.set('to', choice.to);
  } else {
    next.delete('from');
    next.delete('to');
  }
  return next;
}

export const bucketSizes = ['day', 'week', 'month'] as const;
export type Bucket = (typeof bucketSizes)[number];

/** A bucket that gives a readable number of points: days up to two months, weeks up to half a year. */
export function defaultBucket(range: DayRange): Bucket {
  const days = rangeLength(range);
  return days <= 62 ? 'day' : days <= 190 ? 'week' : 'month';
}
