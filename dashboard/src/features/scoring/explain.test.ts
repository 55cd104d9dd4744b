import { describe, expect, it } from 'vitest';
import { explanationText, halfLifeText, lineText, signed } from './explain';

describe('score explanations', () => {
  it('reads like the issue asks: "pricing page ×3 +45, callback requested +50, decayed −8"', () => {
    const text = explanationText(87, {
      lines: [
        { ruleId: 'pricing', label: 'Pricing page', count: 3, points: 15, total: 45 },
        { ruleId: 'callback', label: 'Callback requested', count: 1, points: 50, total: 50 },
      ],
      decay: -8.2,
      halfLifeDays: 7,
    });
    expect(text).toBe('87 points: Pricing page ×3 +45, Callback requested +50, decayed −8');
  });

  it('says so when nothing matched, and signs negatives with a minus', () => {
    expect(explanationText(0, { lines: [], decay: 0, halfLifeDays: 7 })).toBe('No scoring rule has matched yet');
    expect(lineText({ ruleId: 'careers', label: 'Careers page', count: 1, points: -20, total: -20 })).toBe(
      'Careers page −20',
    );
    expect(signed(0.4)).toBe('0');
    expect(halfLifeText(7)).toBe('half-life 7 days');
    expect(halfLifeText(0.5)).toBe('half-life 12 hours');
  });
});
