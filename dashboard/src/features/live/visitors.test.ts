import { visitorLabel } from '@beckon/sdk/protocol/constants';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveVisitor } from '@beckon/sdk/protocol';
import { setLocale } from '../../lib/i18n';
import {
  activeVisitors,
  applyScoreChange,
  durationText,
  expireOnTime,
  inFrozenOrder,
  latestSeen,
  mergeVisitors,
  nextExpiryIn,
  rememberVisitors,
  sourceLabel,
  timeOnSite,
  visitorName,
  visitorsPanel,
  visitorsReducer,
} from './visitors';

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
  it('drops the anonymous row of a browser that consented (its own row arrives with its id), and names pre-consent rows as such', () => {
    const anonymous = visitor('anon_K3v9xQ2pLr7mN1bT5yW8zA0cD4e', '2026-01-01T10:00:00Z');
    const list = visitorsReducer([], {
      type: 'merge',
      visitors: [anonymous, visitor('v_other_01', '2026-01-01T09:59:00Z')],
    });
    const after = visitorsReducer(visitorsReducer(list, { type: 'gone', visitorIds: [anonymous.visitorId] }), {
      type: 'merge',
      visitors: [visitor('v_consented', '2026-01-01T10:00:05Z')],
    });
    expect(after.map((v) => v.visitorId)).toEqual(['v_consented', 'v_other_01']);
    expect(visitorsReducer(after, { type: 'gone', visitorIds: ['nobody'] })).toBe(after);
    expect(visitorName(anonymous)).toEqual({ primary: 'Anonymous visitor', secondary: null, known: false });
  });

  it('upserts pushed visitors newest first and never lets an older copy replace a newer one', () => {
    const list = [visitor('a', '2026-01-01T10:00:00Z'), visitor('b', '2026-01-01T09:00:00Z')];
    const merged = mergeVisitors(list, [visitor('b', '2026-01-01T10:05:00Z', { pagesThisVisit: 2 })]);
    expect(merged.map((v) => v.visitorId)).toEqual(['b', 'a']);
    expect(
      mergeVisitors(merged, [visitor('b', '2026-01-01T08:00:00Z', { pagesThisVisit: 1 })])[0]!.pagesThisVisit,
    ).toBe(2);
  });

  it("keeps a row's person when a live update (which does not look persons up) replaces it", () => {
    const list = [visitor('a', '2026-01-01T10:00:00Z', { person: { id: 'p1', name: 'Ann' } })];
    const merged = mergeVisitors(list, [visitor('a', '2026-01-01T10:05:00Z', { email: 'ann@example.com' })]);
    expect(visitorName(merged[0]!).primary).toBe('Ann');
    // The server's own answer (person: null) is the truth: the visitor was erased or is nobody yet.
    expect(mergeVisitors(merged, [visitor('a', '2026-01-01T10:06:00Z', { person: null })])[0]!.person).toBeNull();
  });

  it('drops visitors idle past the window and updates a badge on a temperature change', () => {
    const now = Date.parse('2026-01-01T10:10:00Z');
    const list = [visitor('a', '2026-01-01T10:09:00Z'), visitor('b', '2026-01-01T10:00:00Z')];
    expect(activeVisitors(list, now, 5 * 60_000).map((v) => v.visitorId)).toEqual(['a']);
    const explanation = {
      lines: [{ ruleId: 'callback', label: 'Callback requested', count: 1, points: 80, total: 80 }],
      decay: 0,
      halfLifeDays: 7,
    };
    const changed = applyScoreChange(list, {
      siteId: 's',
      visitorId: 'a',
      previous: 'cold',
      temperature: 'hot',
      score: 80,
      explanation,
      at: '',
    });
    expect(changed[0]).toMatchObject({ temperature: 'hot', score: 80 });
    expect(changed[1]!.temperature).toBe('cold');
  });

  it('labels sources: paid click first, then UTM, then referrer, else direct', () => {
    expect(sourceLabel({ referrerDomain: 'google.com', utm: { campaign: 'spring' }, clickIdType: 'gclid' })).toEqual({
      label: 'Google Ads',
      detail: 'spring',
      paid: true,
    });
    expect(
      sourceLabel({ referrerDomain: null, utm: { source: 'newsletter', medium: 'email' }, clickIdType: null }).label,
    ).toBe('newsletter / email');
    expect(sourceLabel({ referrerDomain: 'linkedin.com', utm: {}, clickIdType: null }).label).toBe('linkedin.com');
    expect(sourceLabel({ referrerDomain: null, utm: {}, clickIdType: null }).label).toBe('Direct');
  });

  it('formats durations and names', () => {
    expect([45_000, 180_000, 4_800_000].map(durationText)).toEqual(['45 s', '3 min', '1 h 20 min']);
    expect(visitorName({ name: null, email: null, visitorId: 'abcdef123' }).primary).toBe(visitorLabel('abcdef123'));
    // A person's name wins, the same as in the Inbox and on Leads.
    expect(
      visitorName({ name: null, email: null, visitorId: 'abcdef123', person: { id: 'p', name: 'Ann' } }),
    ).toMatchObject({ primary: 'Ann', known: true });
    expect(visitorName({ name: 'Ann', email: 'ann@x.example', visitorId: 'v' })).toEqual({
      primary: 'Ann',
      secondary: 'ann@x.example',
      known: true,
    });
  });

  it('remembers who the page listed after they leave it, so their pageviews keep their names', () => {
    const seen = new Map<string, LiveVisitor>();
    const ann = visitor('ann_0001', '2026-01-01T10:00:00Z', { name: 'Ann' });
    rememberVisitors(seen, [ann, visitor('bob_0001', '2026-01-01T10:00:00Z')]);
    // Ann left the live list; the page still names her rows.
    rememberVisitors(seen, [visitor('bob_0001', '2026-01-01T10:01:00Z')]);
    expect(visitorName(seen.get('ann_0001')!).primary).toBe('Ann');
    // Bounded: the visitor unseen the longest goes first.
    rememberVisitors(seen, [visitor('cid_0001', '2026-01-01T10:02:00Z')], 2);
    expect([...seen.keys()]).toEqual(['bob_0001', 'cid_0001']);
  });

  it("names a visitor known only by their label in the agent's language", async () => {
    const label = visitorLabel('abcdef123');
    const code = label.slice('Visitor '.length);
    try {
      await setLocale('ru');
      expect(visitorName({ name: null, email: null, visitorId: 'abcdef123' })).toEqual({
        primary: `Посетитель ${code}`,
        secondary: null,
        known: false,
      });
      // A person who is still only a label is not "known" either, in any language.
      expect(
        visitorName({ name: null, email: null, visitorId: 'abcdef123', person: { id: 'p', name: label } }),
      ).toMatchObject({ primary: `Посетитель ${code}`, known: false });
      expect(
        visitorName({ name: null, email: null, visitorId: 'abcdef123', person: { id: 'p', name: 'Ann' } }).primary,
      ).toBe('Ann');
    } finally {
      await setLocale('en');
    }
  });

  describe('leaving on time, without polling', () => {
    const windowMs = 5 * 60_000;
    const at = (iso: string) => Date.parse(iso);
    afterEach(() => vi.useRealTimers());

    it('the reducer merges, rescores and expires; an expiry that drops nobody keeps the same list', () => {
      let list = visitorsReducer([], {
        type: 'merge',
        visitors: [visitor('a', '2026-01-01T10:00:00Z'), visitor('b', '2026-01-01T10:03:00Z')],
      });
      expect(list.map((v) => v.visitorId)).toEqual(['b', 'a']);
      // A keepalive push moves "a" on: newest first again.
      list = visitorsReducer(list, { type: 'merge', visitors: [visitor('a', '2026-01-01T10:04:00Z')] });
      expect(list.map((v) => v.visitorId)).toEqual(['a', 'b']);
      const same = visitorsReducer(list, { type: 'expire', now: at('2026-01-01T10:08:00Z'), windowMs });
      expect(same).toBe(list);
      expect(
        visitorsReducer(list, { type: 'expire', now: at('2026-01-01T10:08:00.001Z'), windowMs }).map(
          (v) => v.visitorId,
        ),
      ).toEqual(['a']);
      expect(visitorsReducer(list, { type: 'reset' })).toEqual([]);
    });

    it('knows when the next visitor leaves the window', () => {
      const list = [visitor('a', '2026-01-01T10:04:00Z'), visitor('b', '2026-01-01T10:03:00Z')];
      expect(nextExpiryIn(list, at('2026-01-01T10:05:00Z'), windowMs)).toBe(3 * 60_000 + 1);
      expect(nextExpiryIn(list, at('2026-01-01T10:20:00Z'), windowMs)).toBe(0);
      expect(nextExpiryIn([], at('2026-01-01T10:05:00Z'), windowMs)).toBeNull();
    });

    it('one timer drops each visitor as their last seen leaves the window, then arms for the next', () => {
      vi.useFakeTimers({ now: at('2026-01-01T10:05:00Z') });
      let list = [visitor('a', '2026-01-01T10:04:00Z'), visitor('b', '2026-01-01T10:03:00Z')];
      const expired: string[][] = [];
      const cancel = expireOnTime(list, windowMs, (now) => {
        list = visitorsReducer(list, { type: 'expire', now, windowMs });
        expired.push(list.map((v) => v.visitorId));
      });
      vi.advanceTimersByTime(3 * 60_000);
      expect(expired).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(expired).toEqual([['a']]);
      vi.advanceTimersByTime(60_000);
      expect(expired).toEqual([['a'], []]);
      // Nobody left to wait for: no timer stays armed.
      expect(vi.getTimerCount()).toBe(0);
      cancel();
    });

    it('a cancelled timer (the list changed) fires nothing', () => {
      vi.useFakeTimers({ now: at('2026-01-01T10:05:00Z') });
      const expire = vi.fn();
      const cancel = expireOnTime([visitor('a', '2026-01-01T10:04:00Z')], windowMs, expire);
      cancel();
      vi.advanceTimersByTime(10 * 60_000);
      expect(expire).not.toHaveBeenCalled();
    });

    it('time on site runs to now while the keepalive says the visitor is there, else stops at their last seen', () => {
      const reading = { sessionStartedAt: '2026-01-01T10:00:00Z', lastSeenAt: '2026-01-01T10:09:10Z' };
      expect(timeOnSite(reading, at('2026-01-01T10:10:00Z'))).toEqual({ ms: 10 * 60_000, idleMs: null });
      const gone = { sessionStartedAt: '2026-01-01T10:00:00Z', lastSeenAt: '2026-01-01T10:06:00Z' };
      expect(timeOnSite(gone, at('2026-01-01T10:10:00Z'))).toEqual({ ms: 6 * 60_000, idleMs: 4 * 60_000 });
    });
  });
});

describe('inFrozenOrder', () => {
  it('keeps rows where they stood while the agent works in the table, new visitors at the end', () => {
    const before = mergeVisitors(
      [],
      [
        visitor('a', '2026-11-23T10:00:03Z'),
        visitor('b', '2026-11-23T10:00:02Z'),
        visitor('c', '2026-11-23T10:00:01Z'),
      ],
    );
    const frozen = before.map((row) => row.visitorId);
    // c and then a newcomer d become active: by activity they would jump to the top.
    const after = mergeVisitors(before, [
      visitor('c', '2026-11-23T10:00:05Z', { currentUrl: 'https://shop.example/pricing' }),
      visitor('d', '2026-11-23T10:00:06Z'),
    ]);
    expect(after.map((row) => row.visitorId)).toEqual(['d', 'c', 'a', 'b']);
    const shown = inFrozenOrder(after, frozen);
    expect(shown.map((row) => row.visitorId)).toEqual(['a', 'b', 'c', 'd']);
    // The frozen row still shows its update.
    expect(shown[2]!.currentUrl).toBe('https://shop.example/pricing');
    // A visitor who left the list is not brought back; without a frozen order nothing changes.
    expect(
      inFrozenOrder(
        after.filter((row) => row.visitorId !== 'a'),
        frozen,
      ).map((row) => row.visitorId),
    ).toEqual(['b', 'c', 'd']);
    expect(inFrozenOrder(after, null)).toBe(after);
  });
});

describe('visitorsPanel', () => {
  const pageview = (receivedAt: string) => ({ receivedAt });

  it('offers the first-run help only to a site that has never had a pageview', () => {
    expect(visitorsPanel({ visitors: [], pageviews: [] })).toEqual({ kind: 'first-run' });
  });

  it('tells a site with traffic that nobody is on it now, and when the last visitor was seen', () => {
    expect(
      visitorsPanel({
        visitors: [],
        pageviews: [pageview('2026-11-23T10:04:00Z'), pageview('2026-11-23T09:58:00Z')],
      }),
    ).toEqual({ kind: 'quiet', lastSeenAt: Date.parse('2026-11-23T10:04:00Z') });
    // Someone the page listed was seen after the last pageview (reading, scrolling): that is when they left.
    const seen = latestSeen([visitor('a', '2026-11-23T10:07:30Z'), visitor('b', '2026-11-23T10:05:00Z')]);
    expect(visitorsPanel({ visitors: [], pageviews: [pageview('2026-11-23T10:04:00Z')], seenBefore: seen })).toEqual({
      kind: 'quiet',
      lastSeenAt: Date.parse('2026-11-23T10:07:30Z'),
    });
    expect(visitorsPanel({ visitors: [], pageviews: [], seenBefore: seen }).kind).toBe('quiet');
  });

  it('claims nothing before both lists are in, and no first run when the pageviews failed to load', () => {
    expect(visitorsPanel({ visitors: null, pageviews: [] })).toEqual({ kind: 'loading' });
    expect(visitorsPanel({ visitors: [], pageviews: null })).toEqual({ kind: 'loading' });
    expect(visitorsPanel({ visitors: [], pageviews: 'failed' })).toEqual({ kind: 'quiet', lastSeenAt: null });
  });

  it('shows the table whenever someone is on the site', () => {
    const now = [visitor('a', '2026-11-23T10:00:00Z')];
    expect(visitorsPanel({ visitors: now, pageviews: null })).toEqual({ kind: 'visitors' });
    expect(visitorsPanel({ visitors: now, pageviews: [] })).toEqual({ kind: 'visitors' });
  });
});
