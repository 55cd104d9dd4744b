import { describe, expect, it } from 'vitest';
import { csatOf, npsOf } from './score.js';

describe('npsOf', () => {
  it('is % promoters minus % detractors, passives counting only in the total', () => {
    // 3 promoters (9, 10, 10), 2 passives (7, 8), 5 detractors (0..6) of 10 → 30 − 50 = −20.
    expect(npsOf([9, 10, 10, 7, 8, 0, 3, 5, 6, 6])).toEqual({
      score: -20,
      promoters: 3,
      passives: 2,
      detractors: 5,
      count: 10,
    });
  });

  it('spans −100 to 100 and rounds', () => {
    expect(npsOf([10, 9]).score).toBe(100);
    expect(npsOf([0, 6]).score).toBe(-100);
    expect(npsOf([10, 8, 8]).score).toBe(33);
    expect(npsOf([7, 8]).score).toBe(0);
  });

  it('has no score without answers', () => {
    expect(npsOf([])).toEqual({ score: null, promoters: 0, passives: 0, detractors: 0, count: 0 });
  });
});

describe('csatOf', () => {
  it('averages to one decimal and counts 4s and 5s as satisfied', () => {
    expect(csatOf([5, 4, 3, 1])).toEqual({ average: 3.3, satisfiedPercent: 50, count: 4 });
    expect(csatOf([5, 5, 4])).toEqual({ average: 4.7, satisfiedPercent: 100, count: 3 });
  });

  it('has no score without answers', () => {
    expect(csatOf([])).toEqual({ average: null, satisfiedPercent: null, count: 0 });
  });
});
