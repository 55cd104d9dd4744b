import { describe, expect, it } from 'vitest';
import type { LiveVisitor } from '@beckon/sdk/protocol';
import { activeVisitors, applyScoreChange, durationText, mergeVisitors, sourceLabel, visitorName } from './visitors';

const visitor = (visitorId: string, lastSeenAt: string, extra: Partial<LiveVisitor> = {}): LiveVisitor => ({
  siteId: 's',
  visitorId,
  name: null,
  email: null,
  currentUrl: 'https://shop.example/',
  currentTitle: 'Home',
  sessionStartedAt: lastSeenAt,
  lastSeenAt,
  pagesThisVisit: 1,
  visitNumber: 1,
  source: { referrerDomain: null, utm: {}, clickIdType: null },
  score: 0,
  temperature: 'cold',
  explanation: { lines: [], decay: 0, halfLifeDays: 7 },
  ...extra,
});

describe('live visitors', () => {
  it('upserts pushed visitors newest first and never lets an older copy replace a newer one', () => {
    const list = [visitor('a', '2026-01-01T10:00:00Z'), visitor('b', '2026-01-01T09:00:00Z')];
    const merged = mergeVisitors(list, [visitor('b', '2026-01-01T10:05:00Z', { pagesThisVisit: 2 })]);
    expect(merged.map((v) => v.visitorId)).toEqual(['b', 'a']);
    expect(mergeVisitors(merged, [visitor('b', '2026-01-01T08:00:00Z', { pagesThisVisit: 1 })])[0]!.pagesThisVisit).toBe(2);
  });

  it('drops visitors idle past the window and updates a badge on a temperature change', () => {
    const now = Date.parse('2026-01-01T10:10:00Z');
    const list = [visitor('a', '2026-01-01T10:09:00Z'), visitor('b', '2026-01-01T10:00:00Z')];
    expect(activeVisitors(list, now, 5 * 60_000).map((v) => v.visitorId)).toEqual(['a']);
    const explanation = { lines: [{ ruleId: 'callback', label: 'Callback requested', count: 1, points: 80, total: 80 }], decay: 0, halfLifeDays: 7 };
    const changed = applyScoreChange(list, { siteId: 's', visitorId: 'a', previous: 'cold', temperature: 'hot', score: 80, explanation, at: '' });
    expect(changed[0]).toMatchObject({ temperature: 'hot', score: 80 });
    expect(changed[1]!.temperature).toBe('cold');
  });

  it('labels sources: paid click first, then UTM, then referrer, else direct', () => {
    expect(sourceLabel({ referrerDomain: 'google.com', utm: { campaign: 'spring' }, clickIdType: 'gclid' })).toEqual({ label: 'Google Ads', detail: 'spring', paid: true });
    expect(sourceLabel({ referrerDomain: null, utm: { source: 'newsletter', medium: 'email' }, clickIdType: null }).label).toBe('newsletter / email');
    expect(sourceLabel({ referrerDomain: 'linkedin.com', utm: {}, clickIdType: null }).label).toBe('linkedin.com');
    expect(sourceLabel({ referrerDomain: null, utm: {}, clickIdType: null }).label).toBe('Direct');
  });

  it('formats durations and names', () => {
    expect([45_000, 180_000, 4_800_000].map(durationText)).toEqual(['45 s', '3 min', '1 h 20 min']);
    expect(visitorName({ name: null, email: null, visitorId: 'abcdef123' }).primary).toBe('Visitor abcdef');
    expect(visitorName({ name: 'Ann', email: 'ann@x.example', visitorId: 'v' })).toEqual({ primary: 'Ann', secondary: 'ann@x.example', known: true });
  });
});
