import { formatDate, formatNumber } from '../../lib/i18n';
import type { Bucket, Day } from './range';

/**
 * How report numbers read, in the dashboard's language (Intl does the words: "3,5 мин", "40 %").
 * A missing value (no data: no median of zero chats) is a dash, never a zero that would read as a result.
 */

export const dash = '—';

export const count = (value: number | null | undefined): string =>
  value === null || value === undefined ? dash : formatNumber(value);

/**
 * The steps a count axis may take between its marks (1, 2, 5, 10, 20, 50, …): whole numbers only, so a week
 * without inquiries reads 0 and 1, not 0, 0.25, 0.5 of an inquiry.
 */
export const countSteps: readonly number[] = Array.from({ length: 10 }, (_, power) =>
  [1, 2, 5].map((step) => step * 10 ** power),
).flat();

/** A share given as 0…1. */
export const percent = (share: number | null | undefined): string =>
  share === null || share === undefined ? dash : formatNumber(share, { style: 'percent', maximumFractionDigits: 1 });

/** Seconds as the largest unit that keeps it short: 45 s, 3.5 min, 2.1 h, 4.2 d. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return dash;
  const unit = (value: number, name: 'second' | 'minute' | 'hour' | 'day') =>
    formatNumber(value, { style: 'unit', unit: name, unitDisplay: 'short', maximumFractionDigits: value < 10 ? 1 : 0 });
  if (seconds < 60) return unit(Math.round(seconds), 'second');
  if (seconds < 3600) return unit(seconds / 60, 'minute');
  if (seconds < 86_400 * 2) return unit(seconds / 3600, 'hour');
  return unit(seconds / 86_400, 'day');
}

/** The change against the previous period: +12 %, −3 %, or nothing when there was nothing before. */
export function change(current: number | null | undefined, previous: number | null | undefined): string | null {
  if (current === null || current === undefined || previous === null || previous === undefined || previous === 0)
    return null;
  return formatNumber((current - previous) / previous, {
    style: 'percent',
    signDisplay: 'exceptZero',
    maximumFractionDigits: 0,
  });
}

/** A calendar day as a short label ("5 Dec"); calendar days are read in UTC so no zone shifts them. */
export const dayLabel = (day: Day, withYear = false): string =>
  formatDate(`${day}T00:00:00Z`, {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
    ...(withYear ? { year: 'numeric' } : {}),
  });

/** A bucket's label on an axis: the day, the week's first day, or the month. */
export function bucketLabel(start: Day, bucket: Bucket): string {
  if (bucket === 'month') return formatDate(`${start}T00:00:00Z`, { month: 'short', year: 'numeric', timeZone: 'UTC' });
  return dayLabel(start);
}

/** The range as a person says it: "5 Nov – 4 Dec 2026". */
export function rangeLabel(from: Day, to: Day): string {
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  return `${dayLabel(from, !sameYear)} – ${dayLabel(to, true)}`;
}
