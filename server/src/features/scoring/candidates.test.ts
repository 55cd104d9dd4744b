import { describe, expect, it } from 'vitest';
import type { ScoringRule } from '@beckon/sdk/protocol';
import { candidateConditions, roundThreshold } from './candidates.js';

const totals = (engagedSeconds: number, pages: number, visits = 1) => ({
  engagedMs: engagedSeconds * 1000,
  pages,
  visits,
  at: 0,
});

describe('candidate thresholds', () => {
  it('round to two significant figures, as a person would write them', () => {
    expect([3, 9.6, 12, 137, 1234, 86_499].map(roundThreshold)).toEqual([3, 10, 12, 140, 1200, 86_000]);
  });

  it('are cut where the site’s own labelled visitors spread, not on a fixed ladder', () => {
    // Visitors of a site who stay 1–100 s and see 1–100 pages; another whose visitors stay hours.
    const brief = Array.from({ length: 100 }, (_, i) => totals(i + 1, i + 1));
    const conditions = candidateConditions([], brief);
    const cuts = (metric: string) =>
      conditions.flatMap((c) => (c.kind === 'total' && c.metric === metric ? [c.value] : []));
    expect(cuts('time_on_site')).toEqual(Array.from({ length: 19 }, (_, i) => 5 * (i + 1) + 1));
    expect(cuts('pages')).toEqual(cuts('time_on_site'));
    // Everyone had one visit: no visits threshold separates anyone.
    expect(cuts('visits')).toEqual([]);
    for (const condition of conditions) expect(condition).toMatchObject({ kind: 'total', op: 'gte' });

    const long = Array.from({ length: 100 }, (_, i) => totals(3600 * (1 + i / 10), 50));
    expect(
      candidateConditions([], long).flatMap((c) =>
        c.kind === 'total' && c.metric === 'time_on_site' ? [c.value] : [],
      ),
    ).toEqual([
      5400, 7200, 9000, 11_000, 13_000, 14_000, 16_000, 18_000, 20_000, 22_000, 23_000, 25_000, 27_000, 29_000, 31_000,
      32_000, 34_000, 36_000, 38_000,
    ]);
  });

  it('leave out thresholds a rule of the site already compares, either way, and visitors with no totals count as 0', () => {
    const rules: ScoringRule[] = [
      { id: 'short', label: 'Short', condition: { kind: 'total', metric: 'pages', op: 'lt', value: 6 }, points: -5 },
    ];
    const visitors = [...Array.from({ length: 100 }, (_, i) => totals(i + 1, i + 1)), undefined];
    const pages = candidateConditions(rules, visitors).flatMap((c) =>
      c.kind === 'total' && c.metric === 'pages' ? [c.value] : [],
    );
    expect(pages).not.toContain(6);
    expect(pages[0]).toBe(5);
  });
});
