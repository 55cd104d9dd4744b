import { describe, expect, it } from 'vitest';
import { previousRange, presetRange, rangeLength, readRange, todayIn, writeRange } from './range';

describe('report ranges', () => {
  it("takes today from the agent's time zone, not the browser's or UTC", () => {
    // 23:30 UTC on 4 December is already 5 December in Riga (UTC+2) and still 4 December in New York.
    const instant = Date.parse('2026-12-04T23:30:00Z');
    expect(todayIn('Europe/Riga', instant)).toBe('2026-12-05');
    expect(todayIn('America/New_York', instant)).toBe('2026-12-04');
    expect(todayIn('UTC', instant)).toBe('2026-12-04');
  });

  it('counts whole calendar days across a DST change', () => {
    // Europe/Riga leaves summer time on 25 October 2026: the week around it is still 7 days, ending today.
    expect(presetRange('7d', '2026-10-28')).toEqual({ from: '2026-10-22', to: '2026-10-28' });
    expect(rangeLength({ from: '2026-10-22', to: '2026-10-28' })).toBe(7);
    expect(presetRange('30d', '2026-03-31')).toEqual({ from: '2026-03-02', to: '2026-03-31' });
  });

  it('knows months: this month so far, last month whole, across a year boundary and a leap February', () => {
    expect(presetRange('this-month', '2026-12-05')).toEqual({ from: '2026-12-01', to: '2026-12-05' });
    expect(presetRange('last-month', '2027-01-10')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(presetRange('last-month', '2028-03-15')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(presetRange('12m', '2026-12-05')).toEqual({ from: '2025-12-06', to: '2026-12-05' });
  });

  it('compares with the period just before, as long', () => {
    expect(previousRange({ from: '2026-11-06', to: '2026-12-05' })).toEqual({ from: '2026-10-07', to: '2026-11-05' });
    expect(previousRange({ from: '2026-12-01', to: '2026-12-01' })).toEqual({ from: '2026-11-30', to: '2026-11-30' });
  });

  it('reads a custom range from the URL, and repairs what a hand-edited URL gets wrong', () => {
    const read = (query: string) => readRange(new URLSearchParams(query), '2026-12-05');
    expect(read('range=custom&from=2026-11-01&to=2026-11-15')).toEqual({
      preset: 'custom',
      from: '2026-11-01',
      to: '2026-11-15',
    });
    // Not a day, the 31st of November, a missing end: the default 30 days.
    expect(read('range=custom&from=2026-11-31&to=2026-12-01')).toEqual({
      preset: '30d',
      ...presetRange('30d', '2026-12-05'),
    });
    expect(read('range=custom&from=nope')).toMatchObject({ preset: '30d' });
    expect(read('range=forever')).toMatchObject({ preset: '30d' });
    // The future ends today; reversed ends collapse to one day; more than a year is cut to 366 days.
    expect(read('range=custom&from=2026-12-01&to=2027-01-01')).toMatchObject({ from: '2026-12-01', to: '2026-12-05' });
    expect(read('range=custom&from=2026-12-04&to=2026-12-02')).toMatchObject({ from: '2026-12-02', to: '2026-12-02' });
    expect(read('range=custom&from=2020-01-01&to=2026-12-05')).toMatchObject({ from: '2025-12-05', to: '2026-12-05' });
  });

  it('writes the choice back without losing the other parameters', () => {
    const custom = writeRange(new URLSearchParams('scope=all'), {
      preset: 'custom',
      from: '2026-11-01',
      to: '2026-11-02',
    });
    expect(custom.toString()).toBe('scope=all&range=custom&from=2026-11-01&to=2026-11-02');
    expect(writeRange(custom, { preset: '7d', from: '2026-11-29', to: '2026-12-05' }).toString()).toBe(
      'scope=all&range=7d',
    );
  });
});
