import { describe, expect, it } from 'vitest';
import { change, count, countSteps, duration, percent, rangeLabel } from './numbers';

describe('report numbers', () => {
  it('marks a count axis at whole numbers only, from 1 up to billions', () => {
    expect(countSteps.slice(0, 6)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(countSteps.every((step) => Number.isInteger(step))).toBe(true);
    expect(countSteps.at(-1)).toBeGreaterThanOrEqual(1e9);
  });

  it('writes a duration in the largest unit that keeps it short', () => {
    expect(duration(45)).toBe('45 sec');
    expect(duration(210)).toBe('3.5 min');
    expect(duration(3 * 3600)).toBe('3 hr');
    expect(duration(5 * 86_400)).toBe('5 days');
  });

  it('shows a dash, not a zero, where there is nothing to measure', () => {
    expect(duration(null)).toBe('—');
    expect(count(undefined)).toBe('—');
    expect(percent(null)).toBe('—');
  });

  it('compares with the previous period only when there was one', () => {
    expect(change(12, 10)).toBe('+20%');
    expect(change(5, 10)).toBe('-50%');
    expect(change(3, 3)).toBe('0%');
    expect(change(3, 0)).toBeNull();
    expect(change(3, null)).toBeNull();
  });

  it('names a range without repeating the year', () => {
    expect(rangeLabel('2026-11-06', '2026-12-05')).toBe('Nov 6 – Dec 5, 2026');
    expect(rangeLabel('2025-12-06', '2026-12-05')).toBe('Dec 6, 2025 – Dec 5, 2026');
  });
});
