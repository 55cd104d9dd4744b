import { describe, expect, it } from 'vitest';
import { scoringSettingsSchema, type ScoringSettings } from '@beckon/sdk/protocol';
import { defaultScoringSettings } from './defaults.js';
import {
  addFacts,
  applyEvent,
  conditionMatches,
  emptyScoreState,
  globMatches,
  newVisitor,
  replay,
  scoreOf,
  sessionIdleMs,
  temperatureOf,
  visitSource,
  type EventFacts,
  type Fact,
} from './engine.js';

const day = 24 * 60 * 60 * 1000;
const t0 = Date.parse('2026-03-02T10:00:00Z');
const event = (type: EventFacts['type'], at: number, extra: Partial<EventFacts> = {}): EventFacts => ({
  type,
  url: 'https://shop.example/',
  title: null,
  referrer: null,
  name: null,
  props: null,
  context: null,
  occurredAt: new Date(at),
  ...extra,
});
const page = (path: string, at: number, extra: Partial<EventFacts> = {}) =>
  event('pageview', at, { url: `https://shop.example${path}`, ...extra });

const settings = (rules: ScoringSettings['rules'], halfLifeDays = 7): ScoringSettings => ({
  rules,
  halfLifeDays,
  hot: 70,
  warm: 30,
});
const pricing = {
  id: 'pricing',
  label: 'Pricing page',
  condition: { kind: 'page', pattern: '*pricing*' },
  points: 15,
} as const;

describe('rule matching', () => {
  it('matches page globs on the path, case-insensitively, with * anywhere', () => {
    expect(globMatches('*pricing*', '/pricing.html')).toBe(true);
    expect(globMatches('/products/*', '/Products/lamp')).toBe(true);
    expect(globMatches('/products/*', '/about/products/x')).toBe(false);
    expect(globMatches('/a.b', '/aXb')).toBe(false); // dots are literal, not regex wildcards
    const fact: Fact = { kind: 'pageview', at: t0, path: '/pricing.html', sessionPageviews: 1 };
    expect(conditionMatches({ kind: 'page', pattern: '*pricing*' }, fact)).toBe(true);
    expect(conditionMatches({ kind: 'page', pattern: '*careers*' }, fact)).toBe(false);
  });

  it('matches sources on the visit start: UTM tags, any or one click id, referrer domain with subdomains', () => {
    const start: Fact = {
      kind: 'session_start',
      at: t0,
      visitNumber: 1,
      utm: { medium: 'CPC', source: 'google' },
      clickIdType: 'gclid',
      referrerDomain: 'uk.linkedin.com',
      device: 'mobile',
    };
    expect(conditionMatches({ kind: 'source', field: 'utm_medium', value: 'cpc' }, start)).toBe(true);
    expect(conditionMatches({ kind: 'source', field: 'utm_source', value: 'bing' }, start)).toBe(false);
    expect(conditionMatches({ kind: 'source', field: 'click_id' }, start)).toBe(true);
    expect(conditionMatches({ kind: 'source', field: 'click_id', value: 'fbclid' }, start)).toBe(false);
    expect(conditionMatches({ kind: 'source', field: 'referrer_domain', value: 'linkedin.com' }, start)).toBe(true);
    expect(conditionMatches({ kind: 'source', field: 'referrer_domain', value: 'in.com' }, start)).toBe(false);
    expect(conditionMatches({ kind: 'returning' }, start)).toBe(false);
    expect(conditionMatches({ kind: 'returning' }, { ...start, visitNumber: 2 })).toBe(true);
  });

  it('counts pages per visit once, on the page that reaches the threshold, and time on site when crossed', () => {
    const rule = { kind: 'engagement', metric: 'pages_per_session', min: 3 } as const;
    const pages = [1, 2, 3, 4].map((n): Fact => ({ kind: 'pageview', at: t0, path: '/', sessionPageviews: n }));
    expect(pages.filter((fact) => conditionMatches(rule, fact))).toHaveLength(1);
    const onSite = { kind: 'engagement', metric: 'time_on_site', min: 60 } as const;
    const engagement = (before: number, after: number): Fact => ({
      kind: 'engagement',
      at: t0,
      path: '/',
      visibleMs: after - before,
      maxScroll: 0,
      sessionMsBefore: before,
      sessionMsAfter: after,
    });
    expect(conditionMatches(onSite, engagement(30_000, 59_000))).toBe(false);
    expect(conditionMatches(onSite, engagement(59_000, 61_000))).toBe(true);
    expect(conditionMatches(onSite, engagement(61_000, 90_000))).toBe(false);
    const scroll = { kind: 'engagement', metric: 'scroll_depth', min: 75, pattern: '*product*' } as const;
    expect(conditionMatches(scroll, { ...engagement(0, 1), path: '/product.html', maxScroll: 75 })).toBe(true);
    expect(conditionMatches(scroll, { ...engagement(0, 1), path: '/index.html', maxScroll: 100 })).toBe(false);
  });
});

describe('visits', () => {
  it('starts a new visit after 30 idle minutes, numbering visits per visitor', () => {
    const visitor = newVisitor();
    const first = applyEvent(visitor, null, page('/', t0));
    const same = applyEvent(visitor, first.session, page('/a', t0 + sessionIdleMs));
    expect(same.started).toBe(false);
    const next = applyEvent(visitor, same.session, page('/b', t0 + 2 * sessionIdleMs + 1));
    expect(next.started).toBe(true);
    expect(next.session.number).toBe(2);
    expect(visitor.visitCount).toBe(2);
    expect(first.session.pageviews).toBe(2);
    expect(next.facts.map((f) => f.kind)).toEqual(['session_start', 'pageview']);
  });

  it('gives a long read’s engagement event to the page view it measures: no phantom visit, no returning points', () => {
    const returning = {
      id: 'returning',
      label: 'Returning visitor',
      condition: { kind: 'returning' },
      points: 10,
    } as const;
    const s = settings([returning]);
    const readFor = 45 * 60 * 1000;
    const { visitor, sessions } = replay(
      [
        page('/guide', t0),
        event('engagement', t0 + readFor, {
          url: 'https://shop.example/guide',
          props: { visibleMs: readFor, maxScroll: 100 },
        }),
        page('/pricing', t0 + readFor + 60_000),
      ],
      s,
    );
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ pageviews: 2, engagedMs: readFor });
    expect(visitor.visitCount).toBe(1);
    expect(scoreOf(visitor.scoreState, s, t0 + readFor).explanation.lines).toEqual([]);
  });

  it('scores a channel signal without opening or extending a visit', () => {
    const visitor = newVisitor();
    const first = applyEvent(visitor, null, page('/', t0));
    const signal = applyEvent(
      visitor,
      first.session,
      event('signal', t0 + 2 * sessionIdleMs, { name: 'callback_requested' }),
    );
    expect(signal).toMatchObject({ started: false, facts: [{ kind: 'signal', signal: 'callback_requested' }] });
    expect(signal.session).toBe(first.session);
    expect(first.session.lastSeenAt).toBe(t0);
    expect(visitor.visitCount).toBe(1);
    expect(applyEvent(newVisitor(), null, event('signal', t0, { name: 'chat_started' })).session).toBeNull();
  });

  it('takes the source from the tracker context, else from the landing URL and an external referrer', () => {
    expect(
      visitSource(
        'https://shop.example/?utm_source=news&utm_medium=email&gclid=abc',
        'https://www.google.com/search',
        null,
      ),
    ).toEqual({
      utm: { source: 'news', medium: 'email' },
      clickIdType: 'gclid',
      referrerDomain: 'google.com',
      landingUrl: 'https://shop.example/?utm_source=news&utm_medium=email&gclid=abc',
    });
    // Navigation inside the site is not a source.
    expect(visitSource('https://shop.example/b', 'https://shop.example/a', null).referrerDomain).toBeNull();
    const fromContext = visitSource('https://shop.example/b', null, {
      landingUrl: 'https://shop.example/?fbclid=1',
      utm: { campaign: 'spring' },
      referrer: 'https://t.co/x',
    });
    expect(fromContext).toMatchObject({ utm: { campaign: 'spring' }, clickIdType: 'fbclid', referrerDomain: 't.co' });
  });
});

describe('scores', () => {
  it('explains each rule as count × points and respects a rule limit', () => {
    const s = settings([{ ...pricing, limit: 3 }]);
    const { visitor } = replay(
      [0, 1, 2, 3].map((i) => page('/pricing.html', t0 + i * 1000)),
      s,
    );
    const scored = scoreOf(visitor.scoreState, s, t0 + 3000);
    expect(scored.explanation.lines).toEqual([
      { ruleId: 'pricing', label: 'Pricing page', count: 3, points: 15, total: 45 },
    ]);
    expect(scored.score).toBeCloseTo(45, 0);
    expect(scored.temperature).toBe('warm');
  });

  it('halves points every half-life and reports what decay took', () => {
    const s = settings(
      [
        {
          id: 'cb',
          label: 'Callback requested',
          condition: { kind: 'signal', signal: 'callback_requested' },
          points: 80,
        },
      ],
      7,
    );
    const state = emptyScoreState();
    addFacts(state, s, [{ kind: 'signal', at: t0, signal: 'callback_requested' }]);
    expect(scoreOf(state, s, t0).score).toBe(80);
    expect(scoreOf(state, s, t0).temperature).toBe('hot');
    const later = scoreOf(state, s, t0 + 7 * day);
    expect(later.score).toBe(40);
    expect(later.explanation.decay).toBe(-40);
    expect(later.temperature).toBe('warm');
    expect(scoreOf(state, s, t0 + 14 * day).score).toBe(20);
  });

  it('gives a late (older) event the same weight as if it had arrived in order', () => {
    const s = settings([pricing], 1);
    const inOrder = emptyScoreState();
    addFacts(inOrder, s, [{ kind: 'pageview', at: t0, path: '/pricing', sessionPageviews: 1 }]);
    addFacts(inOrder, s, [{ kind: 'pageview', at: t0 + day, path: '/pricing', sessionPageviews: 2 }]);
    const late = emptyScoreState();
    addFacts(late, s, [{ kind: 'pageview', at: t0 + day, path: '/pricing', sessionPageviews: 2 }]);
    addFacts(late, s, [{ kind: 'pageview', at: t0, path: '/pricing', sessionPageviews: 1 }]);
    expect(scoreOf(late, s, t0 + 2 * day).score).toBeCloseTo(scoreOf(inOrder, s, t0 + 2 * day).score, 6);
    expect(scoreOf(inOrder, s, t0 + day).score).toBeCloseTo(15 + 7.5, 6);
  });

  it('applies thresholds hot ≥ 70, warm ≥ 30, else cold', () => {
    const t = { hot: 70, warm: 30 };
    expect([69.9, 70, 29.9, 30, -5].map((score) => temperatureOf(score, t))).toEqual([
      'warm',
      'hot',
      'cold',
      'warm',
      'cold',
    ]);
  });

  it('picks up a changed rule value without replay (points × decayed count)', () => {
    const s = settings([pricing]);
    const { visitor } = replay([page('/pricing', t0)], s);
    const doubled = settings([{ ...pricing, points: 30 }]);
    expect(scoreOf(visitor.scoreState, doubled, t0).score).toBe(30);
  });
});

describe('default rule sets', () => {
  it('are valid settings for both templates with the default thresholds and a 7-day half-life', () => {
    for (const template of ['shop', 'b2b'] as const) {
      const defaults = defaultScoringSettings(template);
      expect(scoringSettingsSchema.safeParse(defaults).success).toBe(true);
      expect(defaults).toMatchObject({ hot: 70, warm: 30, halfLifeDays: 7 });
    }
  });

  it('make a shop visitor who reads pricing, adds to cart and asks for a callback hot, and a careers reader cold', () => {
    const shop = defaultScoringSettings('shop');
    const buyer = replay(
      [
        page('/pricing.html', t0),
        page('/product.html', t0 + 10_000),
        event('track', t0 + 20_000, { name: 'add-to-cart' }),
        event('signal', t0 + 30_000, { name: 'callback_requested' }),
      ],
      shop,
    );
    const scored = scoreOf(buyer.visitor.scoreState, shop, t0 + 30_000);
    expect(scored.temperature).toBe('hot');
    expect(scored.explanation.lines.map((line) => line.ruleId)).toEqual([
      'callback',
      'add-to-cart',
      'pricing',
      'product',
    ]);
    const jobSeeker = replay([page('/careers', t0), page('/careers/engineer', t0 + 1000)], shop);
    expect(scoreOf(jobSeeker.visitor.scoreState, shop, t0 + 1000)).toMatchObject({ score: -20, temperature: 'cold' });
    // B2B weighs a demo page where a shop does not.
    const b2b = defaultScoringSettings('b2b');
    expect(scoreOf(replay([page('/demo', t0)], b2b).visitor.scoreState, b2b, t0).score).toBe(25);
    expect(scoreOf(replay([page('/demo', t0)], shop).visitor.scoreState, shop, t0).score).toBe(0);
  });

  it('score identification once per trait, and a form submit as the form signal', () => {
    const shop = defaultScoringSettings('shop');
    const { visitor } = replay(
      [
        event('identify', t0, { props: { email: 'a@b.example' } }),
        event('identify', t0 + 1, { props: { email: 'a@b.example', phone: '+4420' } }),
        event('form', t0 + 2, { name: 'newsletter', props: { action: 'start' } }),
        event('form', t0 + 3, { name: 'newsletter', props: { action: 'submit' } }),
      ],
      shop,
    );
    const lines = scoreOf(visitor.scoreState, shop, t0 + 3).explanation.lines;
    expect(Object.fromEntries(lines.map((line) => [line.ruleId, line.count]))).toEqual({ email: 1, phone: 1, form: 1 });
    expect(visitor).toMatchObject({ email: 'a@b.example', phone: '+4420' });
  });
});

describe('conditions over totals, forms, event properties, devices and offline signals', () => {
  const rule = (id: string, condition: ScoringSettings['rules'][number]['condition'], points: number) => ({
    id,
    label: id,
    condition,
    points,
  });
  const engage = (path: string, at: number, seconds: number) =>
    event('engagement', at, {
      url: `https://shop.example${path}`,
      props: { visibleMs: seconds * 1000, maxScroll: 50 },
    });

  it('compares totals across visits both ways, and counts a total once however often it is passed', () => {
    const rules = settings([
      rule('long', { kind: 'total', metric: 'time_on_site', op: 'gte', value: 120 }, 30),
      rule('bounce', { kind: 'total', metric: 'pages', op: 'lt', value: 2 }, -20),
      rule('new', { kind: 'total', metric: 'visits', op: 'lt', value: 2 }, -5),
    ]);
    const oneShortPage = replay([page('/', t0), engage('/', t0 + 5_000, 5)], rules);
    // While the visit may go on, "below" is not known yet; 30 idle minutes later it is.
    expect(scoreOf(oneShortPage.visitor.scoreState, rules, t0 + 5_000).explanation.lines).toEqual([]);
    expect(
      scoreOf(oneShortPage.visitor.scoreState, rules, t0 + 5_000 + sessionIdleMs)
        .explanation.lines.map((l) => l.ruleId)
        .sort(),
    ).toEqual(['bounce', 'new']);
    // Two visits a day apart, 70 s each: the total passes 120 s only together, and the bounce stops holding.
    const twoVisits = replay(
      [
        page('/', t0),
        page('/a', t0 + 1000),
        engage('/a', t0 + 71_000, 70),
        page('/b', t0 + day),
        engage('/b', t0 + day + 70_000, 70),
      ],
      rules,
    );
    const scored = scoreOf(twoVisits.visitor.scoreState, rules, t0 + day + 70_000);
    expect(scored.explanation.lines).toEqual([{ ruleId: 'long', label: 'long', count: 1, points: 30, total: 30 }]);
    expect(scored.score).toBe(30);
    expect(twoVisits.visitor.scoreState.totals).toMatchObject({ pages: 3, engagedMs: 140_000, visits: 2 });
  });

  it("decays a total from the visitor's latest activity", () => {
    const rules = settings([rule('long', { kind: 'total', metric: 'time_on_site', op: 'gte', value: 60 }, 40)], 7);
    const { visitor } = replay([page('/', t0), engage('/', t0 + 90_000, 90)], rules);
    expect(scoreOf(visitor.scoreState, rules, t0 + 90_000 + 7 * day).score).toBe(20);
  });

  it('matches a submitted form by its name and an event by a property value', () => {
    const rules = settings([
      rule('enquiry', { kind: 'form', pattern: 'enquiry*' }, 40),
      rule('any-form', { kind: 'form' }, 5),
      rule('pro', { kind: 'event_prop', name: 'plan-selected', prop: 'plan', value: 'PRO' }, 25),
    ]);
    const { visitor } = replay(
      [
        page('/', t0),
        event('form', t0 + 1000, { props: { action: 'submit', form: 'newsletter' } }),
        event('form', t0 + 2000, { props: { action: 'start', form: 'enquiry-long' } }),
        event('form', t0 + 3000, { props: { action: 'submit', form: 'enquiry-long' } }),
        event('track', t0 + 4000, { name: 'plan-selected', props: { plan: 'basic' } }),
        event('track', t0 + 5000, { name: 'plan-selected', props: { plan: 'pro' } }),
      ],
      rules,
    );
    const counts = Object.fromEntries(
      scoreOf(visitor.scoreState, rules, t0 + 5000).explanation.lines.map((l) => [l.ruleId, l.count]),
    );
    expect(counts).toEqual({ enquiry: 1, 'any-form': 2, pro: 1 });
  });

  it('matches the device class of a visit, as the server read it from the user agent', () => {
    const rules = settings([rule('phone', { kind: 'device', device: 'mobile' }, 5)]);
    const onPhone = replay([page('/', t0, { context: { device: 'mobile' } })], rules);
    const onDesk = replay([page('/', t0, { context: { device: 'desktop' } })], rules);
    expect(scoreOf(onPhone.visitor.scoreState, rules, t0).score).toBe(5);
    expect(scoreOf(onDesk.visitor.scoreState, rules, t0).score).toBe(0);
  });

  it('scores offline signals by name and amount, without opening a visit', () => {
    const rules = settings([
      rule('big-deal', { kind: 'signal', signal: 'deal_won', minAmount: 1000 }, 60),
      rule('lead-form', { kind: 'signal', signal: 'lead_form_submitted' }, 30),
    ]);
    const { visitor, sessions } = replay(
      [
        event('signal', t0, { name: 'lead_form_submitted' }),
        event('signal', t0 + 1000, { name: 'deal_won', props: { amount: 500 } }),
        event('signal', t0 + 2000, { name: 'deal_won', props: { amount: 1500 } }),
      ],
      rules,
    );
    expect(sessions).toHaveLength(0);
    expect(scoreOf(visitor.scoreState, rules, t0 + 2000).score).toBe(90);
  });

  it('accepts every new condition in the protocol and refuses malformed ones', () => {
    const ok = (condition: unknown) =>
      scoringSettingsSchema.safeParse({ ...settings([]), rules: [{ id: 'r', label: 'r', condition, points: 1 }] })
        .success;
    expect(ok({ kind: 'total', metric: 'pages', op: 'lt', value: 2 })).toBe(true);
    expect(ok({ kind: 'total', metric: 'pages', op: 'lte', value: 2 })).toBe(false);
    expect(ok({ kind: 'signal', signal: 'deal_won', minAmount: 10 })).toBe(true);
    expect(ok({ kind: 'signal', signal: 'Deal Won' })).toBe(false);
    expect(ok({ kind: 'form' })).toBe(true);
    expect(ok({ kind: 'event_prop', name: 'x', prop: 'plan', value: 'pro' })).toBe(true);
    expect(ok({ kind: 'device', device: 'watch' })).toBe(false);
  });
});
