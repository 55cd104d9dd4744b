import { describe, expect, it } from 'vitest';
import type { ScoringSettings } from '@beckon/sdk/protocol';
import { conditionDefaults, conditionKinds, describeCondition, newRuleId, validateScoring } from './rules';

const settings = (patch: Partial<ScoringSettings> = {}): ScoringSettings => ({
  rules: [
    { id: 'pricing', label: 'Pricing page', condition: { kind: 'page', pattern: '*pricing*' }, points: 15, limit: 3 },
  ],
  halfLifeDays: 7,
  hot: 70,
  warm: 30,
  ...patch,
});

describe('scoring rule editor', () => {
  it('accepts valid settings and every default condition', () => {
    expect(validateScoring(settings())).toEqual({});
    const rules = conditionKinds.map((kind, i) => ({
      id: `r${i}`,
      label: kind,
      condition: conditionDefaults(kind),
      points: 5,
    }));
    expect(validateScoring(settings({ rules }))).toEqual({});
  });

  it('flags what the server would refuse, at the same paths', () => {
    const errors = validateScoring(
      settings({
        warm: 70,
        rules: [
          { id: 'a', label: ' ', condition: { kind: 'page', pattern: '' }, points: 150 },
          { id: 'b', label: 'B', condition: { kind: 'source', field: 'utm_source', value: '' }, points: 5, limit: 0 },
        ],
      }),
    );
    expect(Object.keys(errors).sort()).toEqual([
      'rules.0.condition.pattern',
      'rules.0.label',
      'rules.0.points',
      'rules.1.condition.value',
      'rules.1.limit',
      'warm',
    ]);
  });

  it('describes conditions in words and makes unique ids', () => {
    expect(describeCondition({ kind: 'engagement', metric: 'scroll_depth', min: 75, pattern: '*product*' })).toBe(
      'scroll depth ≥ 75 % on *product*',
    );
    expect(describeCondition({ kind: 'source', field: 'click_id' })).toBe('paid ad click');
    expect(newRuleId('Demo page', [])).toBe('demo-page');
    expect(newRuleId('Pricing', settings().rules)).toBe('pricing-2');
  });
});
