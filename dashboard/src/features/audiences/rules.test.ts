import { describe, expect, it } from 'vitest';
import { audienceRuleSchema } from '@beckon/sdk/protocol';
import { defaultRule, describeRule, pixelFrom, ruleKinds, segmentFromName } from './rules';

describe('audience rules in the dashboard', () => {
  it('describes every rule kind in words', () => {
    for (const { kind } of ruleKinds) expect(describeRule(defaultRule(kind))).toMatch(/\w{4,}/);
    expect(describeRule({ kind: 'page_views', pattern: '/shoes/*', min: 1 })).toBe('Viewed /shoes/* at least 1 time');
  });

  it('every default rule is valid for the server', () => {
    for (const { kind } of ruleKinds) expect(audienceRuleSchema.safeParse(defaultRule(kind)).success).toBe(true);
  });

  it('makes a bk_seg-safe slug from a name', () => {
    expect(segmentFromName('Hot leads!')).toBe('hot-leads');
    expect(segmentFromName('  Café — Prices  ')).toBe('cafe-prices');
  });

  it('builds pixels from the form', () => {
    expect(pixelFrom('yandex', ' 123 ')).toEqual({ kind: 'yandex', counterId: 123 });
    expect(pixelFrom('gtag', '')).toEqual({ kind: 'gtag' });
  });
});
