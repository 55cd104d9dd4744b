import { describe, expect, it } from 'vitest';
import { alignPrevious, bucketStart, bucketStarts, fillBuckets, heatGrid, heatLevel } from './shape';

describe('chart data shaping', () => {
  it('starts weeks on Monday and months on the first', () => {
    expect(bucketStart('2026-12-05', 'week')).toBe('2026-11-30'); // a Saturday → its Monday
    expect(bucketStart('2026-11-30', 'week')).toBe('2026-11-30');
    expect(bucketStart('2026-12-06', 'week')).toBe('2026-11-30'); // Sunday ends the ISO week
    expect(bucketStart('2026-12-05', 'month')).toBe('2026-12-01');
  });

  it('lists every bucket of a range, across a year end', () => {
    expect(bucketStarts({ from: '2026-12-30', to: '2027-01-02' }, 'day')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(bucketStarts({ from: '2026-11-15', to: '2027-02-01' }, 'month')).toEqual([
      '2026-11-01',
      '2026-12-01',
      '2027-01-01',
      '2027-02-01',
    ]);
    expect(bucketStarts({ from: '2026-12-02', to: '2026-12-15' }, 'week')).toEqual([
      '2026-11-30',
      '2026-12-07',
      '2026-12-14',
    ]);
  });

  it('fills empty buckets with zero and sums days into weeks', () => {
    const starts = bucketStarts({ from: '2026-11-30', to: '2026-12-13' }, 'week');
    const points = [
      { day: '2026-11-30', value: 2 },
      { day: '2026-12-06', value: 3 },
    ];
    expect(fillBuckets(starts, 'week', points)).toEqual([5, 0]);
    expect(fillBuckets(['2026-12-01', '2026-12-02'], 'day', [{ day: '2026-12-02', value: 4 }])).toEqual([0, 4]);
  });

  it('lays the previous period under the current one by position, gaps where it is shorter', () => {
    expect(alignPrevious([1, 2, 3], [5, 6])).toEqual([5, 6, null]);
    expect(alignPrevious([1, 2], [5, 6, 7])).toEqual([5, 6]);
  });

  it('builds the hour-of-week grid and its colour steps', () => {
    const { grid, max } = heatGrid([
      { weekday: 0, hour: 9, value: 4 },
      { weekday: 6, hour: 23, value: 1 },
      { weekday: 7, hour: 1, value: 99 }, // out of the week: ignored
    ]);
    expect(grid).toHaveLength(7);
    expect(grid[0]?.[9]).toBe(4);
    expect(grid[6]?.[23]).toBe(1);
    expect(max).toBe(4);
    expect([0, 1, 2, 3, 4].map((value) => heatLevel(value, max))).toEqual([0, 1, 2, 3, 4]);
  });
});
