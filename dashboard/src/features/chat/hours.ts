import type { BusinessHours } from '@beckon/sdk/protocol';
import { formatDate } from '../../lib/i18n';
import { t } from './i18n';
import { isWithinBusinessHours, localTime as zoneTime, timeMinutes, type LocalTime } from '@beckon/sdk/core';

/**
 * The business-hours editor's model: a week of days, each closed or open with one or more intervals
 * (two for a lunch break). It converts to and from the wire shape (`{ timezone, intervals: [{ day,
 * open, close }] }`, day 0 = Sunday) and validates what the server cannot express: an interval ends
 * after it starts (it cannot cross midnight; 23:59 is the latest closing time) and does not overlap
 * another one on the same day.
 */
export interface Interval {
  open: string;
  close: string;
}

export interface DayHours {
  /** 0 = Sunday … 6 = Saturday, as on the wire. */
  day: number;
  open: boolean;
  intervals: Interval[];
}

/** Seven days, indexed by `day`. */
export type Week = DayHours[];

export const MAX_INTERVALS = 28;
export const DEFAULT_INTERVAL: Interval = { open: '09:00', close: '17:00' };
/** Monday first, the way most business-hours forms read. */
export const DISPLAY_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;
/** A weekday's name (0 = Sunday) in the dashboard's language: "Monday", or "Mon" when short. */
export const dayName = (day: number, width: 'long' | 'short' = 'long') =>
  // 4 January 2026 was a Sunday; noon UTC is the same weekday everywhere.
  formatDate(Date.UTC(2026, 0, 4 + day, 12), { weekday: width, timeZone: 'UTC' });

const timePattern = /^([01]\d|2[0-3]):[0-5]\d$/;
export const toMinutes = timeMinutes;
const fromMinutes = (minutes: number) => {
  const clamped = Math.max(0, Math.min(23 * 60 + 59, minutes));
  return `${String(Math.floor(clamped / 60)).padStart(2, '0')}:${String(clamped % 60).padStart(2, '0')}`;
};

/** Monday to Friday, 09:00–17:00: the starting point when a site turns business hours on. */
export function defaultWeek(): Week {
  return Array.from({ length: 7 }, (_, day) => ({
    day,
    open: day >= 1 && day <= 5,
    intervals: [{ ...DEFAULT_INTERVAL }],
  }));
}

/** The wire shape → the editor's week; a closed day keeps a default interval for when it is reopened. */
export function toWeek(hours: BusinessHours | null): Week {
  if (!hours) return defaultWeek();
  return Array.from({ length: 7 }, (_, day) => {
    const intervals = hours.intervals
      .filter((interval) => interval.day === day)
      .map(({ open, close }) => ({ open, close }))
      .sort((a, b) => toMinutes(a.open) - toMinutes(b.open));
    return { day, open: intervals.length > 0, intervals: intervals.length ? intervals : [{ ...DEFAULT_INTERVAL }] };
  });
}

/** The editor's week → the wire shape, days and intervals in order; closed days send nothing. */
export function fromWeek(timezone: string, week: Week): BusinessHours {
  const intervals = week
    .filter((day) => day.open)
    .flatMap((day) =>
      [...day.intervals]
        .sort((a, b) => toMinutes(a.open) - toMinutes(b.open))
        .map((interval) => ({ day: day.day, ...interval })),
    )
    .sort((a, b) => a.day - b.day || toMinutes(a.open) - toMinutes(b.open));
  return { timezone, intervals };
}

const replaceDay = (week: Week, day: number, update: (d: DayHours) => DayHours): Week =>
  week.map((d) => (d.day === day ? update(d) : d));

export function setDayOpen(week: Week, day: number, open: boolean): Week {
  return replaceDay(week, day, (d) => ({
    ...d,
    open,
    intervals: d.intervals.length ? d.intervals : [{ ...DEFAULT_INTERVAL }],
  }));
}

/** Adds hours after the day's last interval (an hour's break, then until 17:00 or later). */
export function addInterval(week: Week, day: number): Week {
  return replaceDay(week, day, (d) => {
    const last = d.intervals[d.intervals.length - 1];
    if (!last) return { ...d, open: true, intervals: [{ ...DEFAULT_INTERVAL }] };
    const start = Math.min(toMinutes(last.close) + 60, 22 * 60 + 59);
    const end = Math.max(start + 60, 17 * 60);
    return { ...d, open: true, intervals: [...d.intervals, { open: fromMinutes(start), close: fromMinutes(end) }] };
  });
}

export function removeInterval(week: Week, day: number, index: number): Week {
  return replaceDay(week, day, (d) => {
    const intervals = d.intervals.filter((_, i) => i !== index);
    return intervals.length ? { ...d, intervals } : { ...d, open: false, intervals: [{ ...DEFAULT_INTERVAL }] };
  });
}

export function updateInterval(week: Week, day: number, index: number, patch: Partial<Interval>): Week {
  return replaceDay(week, day, (d) => ({
    ...d,
    intervals: d.intervals.map((interval, i) => (i === index ? { ...interval, ...patch } : interval)),
  }));
}

/** Copies one day's hours (open or closed) onto other days. */
export function copyDay(week: Week, from: number, to: readonly number[]): Week {
  const source = week.find((d) => d.day === from);
  if (!source) return week;
  return week.map((d) =>
    to.includes(d.day) && d.day !== from
      ? { ...d, open: source.open, intervals: source.intervals.map((i) => ({ ...i })) }
      : d,
  );
}

/** Problems keyed by `day.index` (e.g. `1.0`), plus `week` for the whole schedule. */
export function validateWeek(week: Week): Record<string, string> {
  const errors: Record<string, string> = {};
  let total = 0;
  for (const day of week) {
    if (!day.open) continue;
    total += day.intervals.length;
    const checked: Array<{ index: number; open: number; close: number }> = [];
    day.intervals.forEach((interval, index) => {
      const key = `${day.day}.${index}`;
      if (!timePattern.test(interval.open) || !timePattern.test(interval.close)) {
        errors[key] = t('errTimeFormat');
        return;
      }
      const open = toMinutes(interval.open);
      const close = toMinutes(interval.close);
      if (close <= open) {
        errors[key] = t('errCloseAfterOpen');
        return;
      }
      const overlap = checked.find((other) => open < other.close && other.open < close);
      if (overlap)
        errors[key] = t('errOverlaps', {
          open: day.intervals[overlap.index]!.open,
          close: day.intervals[overlap.index]!.close,
        });
      checked.push({ index, open, close });
    });
  }
  if (total === 0) errors.week = t('errNoDay');
  if (total > MAX_INTERVALS) errors.week = t('errTooMany', { max: MAX_INTERVALS });
  return errors;
}

/** "Mon–Fri 09:00–17:00, Sat 10:00–14:00": a one-line summary, grouping consecutive days with equal hours. */
export function describeWeek(hours: BusinessHours | null): string {
  if (!hours) return t('alwaysOpen');
  const week = toWeek(hours);
  const label = (d: DayHours) => (d.open ? d.intervals.map((i) => `${i.open}–${i.close}`).join(', ') : '');
  const groups: Array<{ from: number; to: number; label: string }> = [];
  for (const day of DISPLAY_ORDER) {
    const text = label(week[day]!);
    const lastGroup = groups[groups.length - 1];
    if (
      lastGroup &&
      lastGroup.label === text &&
      DISPLAY_ORDER.indexOf(lastGroup.to as never) === DISPLAY_ORDER.indexOf(day as never) - 1
    ) {
      lastGroup.to = day;
    } else {
      groups.push({ from: day, to: day, label: text });
    }
  }
  const short = (day: number) => dayName(day, 'short');
  const parts = groups
    .filter((g) => g.label)
    .map((g) => `${g.from === g.to ? short(g.from) : `${short(g.from)}–${short(g.to)}`} ${g.label}`);
  return parts.length ? parts.join('; ') : t('closedEveryDay');
}

/** Weekday and minutes past midnight at `now` in `timeZone` (the sdk's), labelled in the dashboard's language; null for an unknown zone. */
export function localTime(now: Date, timeZone: string): LocalTime | null {
  const local = zoneTime(now, timeZone);
  return local && { ...local, label: `${dayName(local.day, 'short')} ${local.label.split(' ')[1] ?? ''}` };
}

/** Open at `now`, the way the server decides it (the sdk's rule: an unknown zone counts as open). */
export const isOpenAt = isWithinBusinessHours;

/** Every IANA zone the browser knows, with the current one included even if the list lacks it. */
export function timeZones(current?: string): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  let zones: string[];
  try {
    zones = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
  } catch {
    zones = [];
  }
  if (zones.length === 0)
    zones = ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo'];
  const extra = [current, 'UTC'].filter((zone): zone is string => Boolean(zone) && !zones.includes(zone!));
  return [...extra, ...zones];
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
