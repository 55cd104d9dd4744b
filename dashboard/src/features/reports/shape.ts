import { addDays, type Bucket, type Day, type DayRange } from './range';

/**
 * Chart data shaping: the server sends only the buckets that have data; a chart needs every bucket of the
 * range in order, with zero where nothing happened, and the previous period laid under the current one
 * point by point.
 */

/** The first day of the bucket a day falls in: itself, its ISO week's Monday, or its month's first day. */
export function bucketStart(day: Day, bucket: Bucket): Day {
  if (bucket === 'day') return day;
  if (bucket === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** Every bucket start from the range's first day's bucket to its last day's. */
export function bucketStarts(range: DayRange, bucket: Bucket): Day[] {
  const starts: Day[] = [];
  let day = bucketStart(range.from, bucket);
  while (day <= range.to) {
    starts.push(day);
    if (bucket === 'day') day = addDays(day, 1);
    else if (bucket === 'week') day = addDays(day, 7);
    else {
      const [year, month] = day.split('-').map(Number) as [number, number];
      day = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
    }
  }
  return starts;
}

/** Values per bucket start, zero where the server sent nothing (points may be days: they are summed into buckets). */
export function fillBuckets(
  starts: readonly Day[],
  bucket: Bucket,
  points: ReadonlyArray<{ day: Day; value: number }>,
): number[] {
  const sums = new Map<Day, number>();
  for (const point of points) {
    const start = bucketStart(point.day, bucket);
    sums.set(start, (sums.get(start) ?? 0) + point.value);
  }
  return starts.map((start) => sums.get(start) ?? 0);
}

/**
 * The previous period's values laid under the current period's buckets by position (its first bucket under
 * the current first), as long as the current series; a shorter previous period ends in gaps, not zeros.
 */
export function alignPrevious(current: readonly number[], previous: readonly number[]): (number | null)[] {
  return current.map((_, index) => previous[index] ?? null);
}

export interface HeatCell {
  /** 0 = Monday … 6 = Sunday (the agent's zone). */
  weekday: number;
  hour: number;
  value: number;
}

/** A 7 × 24 grid (Monday first) from sparse cells, and its largest value for the colour scale. */
export function heatGrid(cells: readonly HeatCell[]): { grid: number[][]; max: number } {
  const grid = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  let max = 0;
  for (const cell of cells) {
    const row = grid[cell.weekday];
    if (!row || cell.hour < 0 || cell.hour > 23) continue;
    row[cell.hour] = (row[cell.hour] ?? 0) + cell.value;
    max = Math.max(max, row[cell.hour] ?? 0);
  }
  return { grid, max };
}

/** 0…4: how dark a heat cell is, in fixed steps so the legend can name them. */
export function heatLevel(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((value / max) * 4)));
}
