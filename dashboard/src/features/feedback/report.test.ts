import { describe, expect, it } from 'vitest';
import { axisLabelEvery, npsTone, scoreLabel } from './report';

describe('feedback report helpers', () => {
  it('colours NPS by the usual bands', () => {
    expect(npsTone(null)).toBe('none');
    expect(npsTone(-5)).toBe('bad');
    expect(npsTone(0)).toBe('mid');
    expect(npsTone(45)).toBe('good');
  });

  it('labels scores on their own scale', () => {
    expect(scoreLabel({ kind: 'nps', score: 9 })).toBe('9/10');
    expect(scoreLabel({ kind: 'csat', score: 4 })).toBe('4/5');
    expect(scoreLabel({ kind: 'message', score: null })).toBe('Message');
  });

  it('thins axis labels for long periods', () => {
    expect([7, 30, 90].map(axisLabelEvery)).toEqual([1, 7, 15]);
  });
});
