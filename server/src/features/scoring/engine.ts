import {
  clickIdTypes,
  type DeviceClass,
  type ScoringRule,
  type ClickIdType,
  type RuleCondition,
  type ScoreExplanation,
  type ScoringSettings,
  type Temperature,
  type Utm,
  type VisitContext,
  type VisitorScore,
  wellFormedText,
} from '@beckon/sdk/protocol';
import { parseUrl } from '../../lib/url.js';
import type { BehaviourEventType } from '@beckon/sdk/protocol';
import { truncate } from '@beckon/sdk/core';
import type { ScoreState } from '../../db/schema.js';

/**
 * The pure core of ingestion and scoring: events → visits (sessions) → facts → rule hits → a running
 * score. Ingestion runs it on each new event with the visitor's stored state; a full recompute runs it
 * from an empty state over the visitor's stored events in id order, and the two agree (tested).
 */

export const sessionIdleMs = 30 * 60 * 1000;
const dayMs = 24 * 60 * 60 * 1000;

/** An event as stored (or about to be): what derivation needs of it. */
export interface EventFacts {
  type: BehaviourEventType | 'signal';
  url: string;
  title: string | null;
  referrer: string | null;
  name: string | null;
  props: Record<string, unknown> | null;
  context: VisitContext | null;
  occurredAt: Date;
}

export interface VisitorAcc {
  firstSeenAt: number | null;
  lastSeenAt: number | null;
  visitCount: number;
  currentUrl: string | null;
  currentTitle: string | null;
  userId: string | null;
  email: string | null;
  name: string | null;
  phone: string | null;
  scoreState: ScoreState;
}

export interface SessionAcc {
  /** Null until stored. */
  id: string | null;
  number: number;
  startedAt: number;
  lastSeenAt: number;
  landingUrl: string | null;
  referrerDomain: string | null;
  utm: Utm;
  clickIdType: ClickIdType | null;
  pageviews: number;
  engagedMs: number;
}

export type Fact =
  | { kind: 'pageview'; at: number; path: string; sessionPageviews: number }
  | { kind: 'event'; at: number; name: string; props: Record<string, unknown> | null }
  | { kind: 'form'; at: number; form: string | null }
  | {
      kind: 'engagement';
      at: number;
      path: string;
      visibleMs: number;
      maxScroll: number;
      sessionMsBefore: number;
      sessionMsAfter: number;
    }
  | {
      kind: 'session_start';
      at: number;
      visitNumber: number;
      utm: Utm;
      clickIdType: ClickIdType | null;
      referrerDomain: string | null;
      device: DeviceClass | null;
    }
  | { kind: 'identified'; at: number; email: boolean; phone: boolean }
  /** A channel signal (`chat_started`…) or an offline one (`deal_won`), with its amount when one was sent. */
  | { kind: 'signal'; at: number; signal: string; amount: number | null };

export const emptyScoreState = (): ScoreState => ({ asOf: 0, rules: {} });

export const newVisitor = (): VisitorAcc => ({
  firstSeenAt: null,
  lastSeenAt: null,
  visitCount: 0,
  currentUrl: null,
  currentTitle: null,
  userId: null,
  email: null,
  name: null,
  phone: null,
  scoreState: emptyScoreState(),
});

/** The page path rules match against; an unparsable URL is matched as it is. */
export const pathOf = (url: string) => parseUrl(url)?.pathname ?? url;

const hostOf = (url: URL | null) => url?.hostname.toLowerCase().replace(/^www\./, '') || null;

const utmKeys = ['source', 'medium', 'campaign', 'term', 'content'] as const;

/** Where a visit came from: the tracker's context when sent, else the landing URL's tags and the referrer. */
export function visitSource(landingUrl: string, referrer: string | null, context: VisitContext | null) {
  const landing = parseUrl(context?.landingUrl ?? landingUrl);
  const utm: Utm = {};
  for (const key of utmKeys) {
    // Percent-decoding can yield NUL (`%00`), and a cut must not split an emoji: PostgreSQL stores neither.
    const fromUrl = landing?.searchParams.get(`utm_${key}`);
    const value = context?.utm?.[key] ?? (fromUrl ? wellFormedText(truncate(fromUrl, 200)) : undefined);
    if (value) utm[key] = value;
  }
  const clickIdType =
    clickIdTypes.find((type) => context?.clickIds?.[type]) ??
    clickIdTypes.find((type) => landing?.searchParams.get(type)) ??
    null;
  const referrerHost = hostOf(parseUrl(context?.referrer ?? referrer));
  // A referrer on the site itself is navigation, not a source.
  const referrerDomain = referrerHost && referrerHost !== hostOf(landing) ? referrerHost : null;
  return { utm, clickIdType, referrerDomain, landingUrl: context?.landingUrl ?? landingUrl };
}

const text = (value: unknown, max: number) =>
  typeof value === 'string' && value.trim() ? truncate(value.trim(), max) : null;

/**
 * Applies one event to a visitor and their current visit. Mutates `visitor`; returns the visit the
 * event belongs to (a new one after 30 idle minutes), whether it started that visit, and its facts.
 */
export function applyEvent(
  visitor: VisitorAcc,
  session: SessionAcc | null,
  event: EventFacts,
): { session: SessionAcc | null; started: boolean; facts: Fact[] } {
  const at = event.occurredAt.getTime();
  const facts: Fact[] = [];
  let started = false;
  if (event.type === 'signal') {
    // Another channel reported it (callback form, chat): it scores, but it is not a page visit, so it
    // neither opens a visit nor counts in one.
    visitor.firstSeenAt = Math.min(visitor.firstSeenAt ?? at, at);
    visitor.lastSeenAt = Math.max(visitor.lastSeenAt ?? at, at);
    if (event.name === 'identified') facts.push({ kind: 'identified', at, email: false, phone: false });
    else if (event.name) {
      const amount = Number(event.props?.amount);
      facts.push({
        kind: 'signal',
        at,
        signal: event.name,
        amount: Number.isFinite(amount) && event.props?.amount !== undefined ? amount : null,
      });
    }
    return { session, started, facts };
  }
  // An engagement event is sent when the visitor leaves the page it measures, which can be long after
  // that page view (a 40-minute read): it belongs to the page view's visit and never opens one of its own.
  const measuresCurrentVisit = event.type === 'engagement' && session !== null;
  if (!session || (at - session.lastSeenAt > sessionIdleMs && !measuresCurrentVisit)) {
    started = true;
    const source = visitSource(event.url, event.type === 'pageview' ? event.referrer : null, event.context);
    const number = Math.max(visitor.visitCount + 1, event.context?.visitCount ?? 0);
    visitor.visitCount = number;
    session = {
      id: null,
      number,
      startedAt: at,
      lastSeenAt: at,
      landingUrl: source.landingUrl,
      referrerDomain: source.referrerDomain,
      utm: source.utm,
      clickIdType: source.clickIdType,
      pageviews: 0,
      engagedMs: 0,
    };
    facts.push({
      kind: 'session_start',
      at,
      visitNumber: number,
      utm: source.utm,
      clickIdType: source.clickIdType,
      referrerDomain: source.referrerDomain,
      device: event.context?.device ?? null,
    });
  }
  session.lastSeenAt = Math.max(session.lastSeenAt, at);
  visitor.firstSeenAt = Math.min(visitor.firstSeenAt ?? at, at);
  visitor.lastSeenAt = Math.max(visitor.lastSeenAt ?? at, at);

  switch (event.type) {
    case 'pageview':
      session.pageviews += 1;
      visitor.currentUrl = event.url;
      visitor.currentTitle = event.title;
      facts.push({ kind: 'pageview', at, path: pathOf(event.url), sessionPageviews: session.pageviews });
      break;
    case 'track':
      if (event.name) facts.push({ kind: 'event', at, name: event.name, props: event.props });
      break;
    case 'click':
      if (event.name) facts.push({ kind: 'event', at, name: event.name, props: event.props });
      break;
    case 'form':
      if (event.props?.action === 'submit') {
        facts.push({ kind: 'signal', at, signal: 'form_submitted', amount: null });
        facts.push({ kind: 'form', at, form: typeof event.props.form === 'string' ? event.props.form : null });
      }
      break;
    case 'engagement': {
      const visibleMs = Number(event.props?.visibleMs) || 0;
      const before = session.engagedMs;
      session.engagedMs = Math.min(2 ** 31 - 1, before + visibleMs);
      facts.push({
        kind: 'engagement',
        at,
        path: pathOf(event.url),
        visibleMs,
        maxScroll: Number(event.props?.maxScroll) || 0,
        sessionMsBefore: before,
        sessionMsAfter: session.engagedMs,
      });
      break;
    }
    case 'identify': {
      const traits = event.props ?? {};
      const email = text(traits.email, 254);
      const phone = text(traits.phone, 40);
      const newEmail = Boolean(email && !visitor.email);
      const newPhone = Boolean(phone && !visitor.phone);
      visitor.email = email ?? visitor.email;
      visitor.phone = phone ?? visitor.phone;
      visitor.name = text(traits.name, 200) ?? visitor.name;
      visitor.userId = text(traits.userId, 200) ?? visitor.userId;
      if (newEmail || newPhone) facts.push({ kind: 'identified', at, email: newEmail, phone: newPhone });
      break;
    }
    case 'exit_intent':
      break;
  }
  return { session, started, facts };
}

// Patterns are few (a site's rules) and matched against every page view: compile each once. Bounded, as
// patterns come from admins' edits; past the bound the cache starts over.
const compiledGlobs = new Map<string, RegExp>();

/** `*` matches any run of characters; everything else literally, case-insensitively. */
export function globMatches(pattern: string, path: string): boolean {
  let compiled = compiledGlobs.get(pattern);
  if (!compiled) {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    if (compiledGlobs.size >= 2000) compiledGlobs.clear();
    compiled = new RegExp(`^${source}$`, 'i');
    compiledGlobs.set(pattern, compiled);
  }
  return compiled.test(path);
}

const same = (a: string | undefined | null, b: string | undefined | null) =>
  Boolean(a && b && a.toLowerCase() === b.toLowerCase());

export function conditionMatches(condition: RuleCondition, fact: Fact): boolean {
  switch (condition.kind) {
    case 'page':
      return fact.kind === 'pageview' && globMatches(condition.pattern, fact.path);
    case 'event':
      return fact.kind === 'event' && same(condition.name, fact.name);
    case 'engagement':
      switch (condition.metric) {
        case 'pages_per_session':
          // Counted once per visit: on the page view that reaches the threshold.
          return fact.kind === 'pageview' && fact.sessionPageviews === condition.min;
        case 'time_on_site':
          return (
            fact.kind === 'engagement' &&
            fact.sessionMsBefore < condition.min * 1000 &&
            fact.sessionMsAfter >= condition.min * 1000
          );
        case 'time_on_page':
          return (
            fact.kind === 'engagement' &&
            fact.visibleMs >= condition.min * 1000 &&
            (!condition.pattern || globMatches(condition.pattern, fact.path))
          );
        case 'scroll_depth':
          return (
            fact.kind === 'engagement' &&
            fact.maxScroll >= condition.min &&
            (!condition.pattern || globMatches(condition.pattern, fact.path))
          );
      }
      return false;
    case 'source': {
      if (fact.kind !== 'session_start') return false;
      switch (condition.field) {
        case 'click_id':
          return fact.clickIdType !== null && (!condition.value || same(condition.value, fact.clickIdType));
        case 'referrer_domain': {
          const want = condition.value?.toLowerCase().replace(/^www\./, '');
          return Boolean(
            want && fact.referrerDomain && (fact.referrerDomain === want || fact.referrerDomain.endsWith(`.${want}`)),
          );
        }
        case 'utm_source':
          return same(condition.value, fact.utm.source);
        case 'utm_medium':
          return same(condition.value, fact.utm.medium);
        case 'utm_campaign':
          return same(condition.value, fact.utm.campaign);
      }
      return false;
    }
    case 'returning':
      return fact.kind === 'session_start' && fact.visitNumber >= 2;
    case 'identified':
      if (fact.kind !== 'identified') return false;
      return condition.with === 'email' ? fact.email : condition.with === 'phone' ? fact.phone : true;
    case 'signal':
      return (
        fact.kind === 'signal' &&
        fact.signal === condition.signal &&
        (condition.minAmount === undefined || (fact.amount !== null && fact.amount >= condition.minAmount))
      );
    case 'form':
      return (
        fact.kind === 'form' &&
        (!condition.pattern || (fact.form !== null && globMatches(condition.pattern, fact.form)))
      );
    case 'event_prop': {
      if (fact.kind !== 'event' || !same(condition.name, fact.name)) return false;
      const value = fact.props?.[condition.prop];
      return value !== undefined && value !== null && String(value).toLowerCase() === condition.value.toLowerCase();
    }
    case 'device':
      return fact.kind === 'session_start' && fact.device === condition.device;
    case 'total':
      // A state of the visitor, not an event: `totalHolds` decides it from the totals.
      return false;
  }
}

type Totals = NonNullable<ScoreState['totals']>;
const emptyTotals = (): Totals => ({ pages: 0, engagedMs: 0, visits: 0, at: 0 });

/**
 * Whether a `total` condition holds for these totals at `now`. "Below" is only known once a visit is
 * over (30 idle minutes): a visitor reading their first page is not yet a one-page, ten-second visitor,
 * and one who never visited (offline signals only) is neither.
 */
export function totalHolds(
  condition: Extract<RuleCondition, { kind: 'total' }>,
  totals: Totals | undefined,
  now = Number.POSITIVE_INFINITY,
): boolean {
  const t = totals ?? emptyTotals();
  const actual =
    condition.metric === 'time_on_site' ? t.engagedMs / 1000 : condition.metric === 'pages' ? t.pages : t.visits;
  if (condition.op === 'gte') return actual >= condition.value;
  return t.visits >= 1 && now - t.at >= sessionIdleMs && actual < condition.value;
}

/**
 * How many times a rule counts for a visitor now: its hits for event rules, 1 or 0 for a `total`
 * condition. The score, its explanation and the learner all read counts through this.
 */
export function ruleCount(
  state: ScoreState,
  rule: Pick<ScoringRule, 'id' | 'condition'>,
  now = Number.POSITIVE_INFINITY,
): number {
  if (rule.condition.kind === 'total') return state.totals && totalHolds(rule.condition, state.totals, now) ? 1 : 0;
  return state.rules[rule.id]?.n ?? 0;
}

/** Keeps the visitor's totals across visits (what `total` conditions compare). */
function addTotals(state: ScoreState, fact: Fact): void {
  const totals = (state.totals ??= emptyTotals());
  if (fact.kind === 'pageview') totals.pages += 1;
  else if (fact.kind === 'engagement') totals.engagedMs = Math.min(2 ** 31 - 1, totals.engagedMs + fact.visibleMs);
  else if (fact.kind === 'session_start') totals.visits = Math.max(totals.visits, fact.visitNumber);
  else if (fact.kind !== 'signal' && fact.kind !== 'identified') return;
  // Offline signals and identification count as activity too: state points decay from the latest of them.
  totals.at = Math.max(totals.at, fact.at);
}

const halfLifeMs = (settings: Pick<ScoringSettings, 'halfLifeDays'>) => settings.halfLifeDays * dayMs;
const decayFactor = (elapsedMs: number, halfLife: number) => (elapsedMs <= 0 ? 1 : 0.5 ** (elapsedMs / halfLife));

/**
 * Adds the facts' rule hits to the running state. Each rule keeps its hit count `n` (for the
 * explanation and the learner) and `d`, the sum of its hits each decayed to `asOf`; a score at any
 * later time is then Σ points × d × decay(now − asOf), so changing a rule's points needs no replay.
 * Returns whether any rule matched.
 */
export function addFacts(state: ScoreState, settings: ScoringSettings, facts: readonly Fact[]): boolean {
  const halfLife = halfLifeMs(settings);
  let hit = false;
  for (const fact of facts) {
    addTotals(state, fact);
    for (const rule of settings.rules) {
      if (!conditionMatches(rule.condition, fact)) continue;
      const entry = (state.rules[rule.id] ??= { n: 0, d: 0 });
      if (rule.limit !== undefined && entry.n >= rule.limit) continue;
      hit = true;
      if (fact.at > state.asOf) {
        // Move every rule's decayed count forward to the new reference time.
        const factor = decayFactor(fact.at - state.asOf, halfLife);
        for (const other of Object.values(state.rules)) other.d *= factor;
        state.asOf = fact.at;
      }
      entry.n += 1;
      // A late (older) hit arrives already partly decayed.
      entry.d += decayFactor(state.asOf - fact.at, halfLife);
    }
  }
  return hit;
}

export function temperatureOf(score: number, settings: Pick<ScoringSettings, 'hot' | 'warm'>): Temperature {
  return score >= settings.hot ? 'hot' : score >= settings.warm ? 'warm' : 'cold';
}

const round1 = (value: number) => Math.round(value * 10) / 10;

/** The score at `now` with its explanation: each rule's count × points, and what decay took. */
export function scoreOf(state: ScoreState, settings: ScoringSettings, now: number): VisitorScore {
  const factor = decayFactor(now - state.asOf, halfLifeMs(settings));
  const lines: ScoreExplanation['lines'] = [];
  let raw = 0;
  let current = 0;
  for (const rule of settings.rules) {
    if (rule.condition.kind === 'total') {
      if (!state.totals || !totalHolds(rule.condition, state.totals, now)) continue;
      // A state, counted once; its points decay from the visitor's latest activity like a hit made then.
      lines.push({ ruleId: rule.id, label: rule.label, count: 1, points: rule.points, total: rule.points });
      raw += rule.points;
      current += rule.points * decayFactor(now - state.totals.at, halfLifeMs(settings));
      continue;
    }
    const entry = state.rules[rule.id];
    if (!entry || entry.n === 0) continue;
    lines.push({
      ruleId: rule.id,
      label: rule.label,
      count: entry.n,
      points: rule.points,
      total: entry.n * rule.points,
    });
    raw += entry.n * rule.points;
    current += rule.points * entry.d * factor;
  }
  lines.sort((a, b) => Math.abs(b.total) - Math.abs(a.total));
  const score = round1(current);
  return {
    score,
    temperature: temperatureOf(score, settings),
    explanation: { lines, decay: round1(score - raw), halfLifeDays: settings.halfLifeDays },
  };
}

/** Replays a visitor's events (in stored order) from nothing: the reference the incremental path must equal. */
export function replay(events: readonly EventFacts[], settings: ScoringSettings) {
  const visitor = newVisitor();
  const sessions: SessionAcc[] = [];
  let session: SessionAcc | null = null;
  for (const event of events) {
    const applied = applyEvent(visitor, session, event);
    if (applied.started && applied.session) sessions.push(applied.session);
    session = applied.session;
    addFacts(visitor.scoreState, settings, applied.facts);
  }
  return { visitor, sessions };
}
