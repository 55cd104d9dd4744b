import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { LiveVisitor, ScoringSettings, TemperatureChange, VisitContext } from '@beckon/sdk/protocol';
import { rowsOf, type Db } from '../../db/client.js';
import type { ScoreState } from '../../db/schema.js';
import {
  addFacts,
  applyEvent,
  scoreOf,
  type EventFacts,
  type SessionAcc,
  type VisitorAcc,
  scoringSettingsFor,
} from '../scoring/index.js';

/** A stored event, as the insert returned it, with what derivation needs. */
export interface NewEvent extends EventFacts {
  id: number;
  siteId: string;
  visitorId: string;
}

export interface DerivedChanges {
  /** Every visitor the events touched, as the Visitors page shows them. */
  visitors: LiveVisitor[];
  changes: TemperatureChange[];
}

type Tx = Pick<Db, 'execute' | 'select'>;

interface VisitorDbRow {
  site_id: string;
  visitor_id: string;
  first_seen_at: Date | string;
  last_seen_at: Date | string;
  visit_count: number;
  current_url: string | null;
  current_title: string | null;
  user_id: string | null;
  email: string | null;
  name: string | null;
  phone: string | null;
  score_state: ScoreState | string;
  temperature: LiveVisitor['temperature'];
}

interface SessionDbRow {
  id: string;
  site_id: string;
  visitor_id: string;
  number: number;
  started_at: Date | string;
  last_seen_at: Date | string;
  landing_url: string | null;
  referrer_domain: string | null;
  utm: SessionAcc['utm'] | string;
  click_id_type: SessionAcc['clickIdType'];
  pageviews: number;
  engaged_ms: number;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
const ms = (value: Date | string) => new Date(value).getTime();
const iso = (value: number) => new Date(value).toISOString();
const keyOf = (siteId: string, visitorId: string) => `${siteId}\u0000${visitorId}`;

/** A visitor the derivation will touch, and the time of its earliest new event (for a row it creates). */
export interface VisitorKey {
  site_id: string;
  visitor_id: string;
  at: string;
}

/** What derivation reads before it applies new events: the locked visitor rows, their latest visits, the sites' scoring. */
export interface DerivationState {
  visitorRows: VisitorDbRow[];
  latestSession: Map<string, SessionDbRow>;
  settingsBySite: Map<string, ScoringSettings>;
  /** One row per visitor (`key_site_id`, `key_visitor_id`) with the caller's columns (`ReadAlongside`). */
  alongside: Record<string, unknown>[];
}

/**
 * What a caller reads per visitor with the latest visits, in the same statement: its columns and the joins
 * that give them, on the keys aliased `k` (e.g. collect's hot marks and waiting invitations). A statement
 * less per group: each costs PostgreSQL its parse of the keys and an executor start, and the node a round of
 * building and reading.
 */
export interface ReadAlongside {
  columns: SQL;
  joins: SQL;
}

/** The visitors of these events, in the lock order derivation needs. */
export function visitorKeysOf(
  events: readonly { siteId: string; visitorId: string; occurredAt: Date }[],
): VisitorKey[] {
  const earliest = new Map<string, VisitorKey & { ms: number }>();
  for (const event of events) {
    const key = keyOf(event.siteId, event.visitorId);
    const ms = event.occurredAt.getTime();
    const known = earliest.get(key);
    if (!known) earliest.set(key, { site_id: event.siteId, visitor_id: event.visitorId, at: '', ms });
    else if (ms < known.ms) known.ms = ms;
  }
  return [...earliest.values()]
    .map(({ site_id, visitor_id, ms }) => ({ site_id, visitor_id, at: iso(ms) }))
    .sort((a, b) =>
      a.site_id === b.site_id ? (a.visitor_id < b.visitor_id ? -1 : 1) : a.site_id < b.site_id ? -1 : 1,
    );
}

/**
 * Locks (creating when missing) the visitor rows of `keys` and reads their latest visits and their
 * sites' scoring settings. The three statements are issued without waiting on each other, so on
 * PostgreSQL they travel in one round trip with whatever the caller issued before (postgres-js
 * pipelines a transaction's queries); the server still runs them in order.
 */
export function loadDerivationState(
  tx: Tx,
  keys: readonly VisitorKey[],
  alongside?: ReadAlongside,
): Promise<DerivationState> {
  const keysJson = JSON.stringify(keys);
  // Creates missing visitors and locks every touched visitor row (DO UPDATE locks like FOR UPDATE, and
  // returns the latest committed version; rows are taken in key order so two nodes cannot deadlock).
  const visitors = tx.execute(sql`
      insert into visitors (site_id, visitor_id, first_seen_at, last_seen_at)
      select k.site_id, k.visitor_id, k.at, k.at
      from json_to_recordset(${keysJson}::json) as k(site_id uuid, visitor_id text, at timestamptz)
      order by k.site_id, k.visitor_id
      on conflict (site_id, visitor_id) do update set site_id = excluded.site_id
      returning *`);
  // A separate statement on purpose: its snapshot is taken after the locks above were granted, so it
  // sees the visits that a transaction we waited for has just committed (one statement would not).
  // Each visitor's latest visit alone, read backwards from the (site, visitor, started at) index: a returning
  // visitor's earlier visits are never read.
  // With the caller's columns, one row per visitor (a visitor without a visit has a row of nulls for it).
  const sessions = tx.execute(sql`
      select s.*${alongside ? sql`, k.site_id as key_site_id, k.visitor_id as key_visitor_id, ${alongside.columns}` : sql``}
      from json_to_recordset(${keysJson}::json) as k(site_id uuid, visitor_id text)
      ${alongside ? sql`left` : sql`cross`} join lateral (
        select * from visitor_sessions s where s.site_id = k.site_id and s.visitor_id = k.visitor_id
        order by s.started_at desc limit 1
      ) s ${alongside ? sql`on true ${alongside.joins}` : sql``}`);
  const settings = scoringSettingsFor(
    tx,
    keys.map((k) => k.site_id),
  );
  return Promise.all([visitors, sessions, settings]).then(([visitorResult, sessionResult, settingsBySite]) => {
    const rows = rowsOf<SessionDbRow & Record<string, unknown>>(sessionResult);
    return {
      visitorRows: rowsOf<VisitorDbRow>(visitorResult),
      latestSession: new Map(
        rows.filter((row) => row.id !== null).map((row) => [keyOf(row.site_id, row.visitor_id), row]),
      ),
      settingsBySite,
      alongside: alongside ? rows : [],
    };
  });
}

/**
 * Derives visits, identity and scores from freshly stored events, inside the transaction that stored
 * them: the visitor rows are locked (in key order, so concurrent nodes cannot deadlock), updated from
 * their stored state with only the new events, and written back in one statement.
 * Events must be in id order. `state` is what `loadDerivationState` read for (at least) these events'
 * visitors, when the caller issued it earlier; visitors without new events are left as they were.
 * `alongside` issues the caller's statements that depend on the outcome, without waiting for the write-back.
 */
export async function applyNewEvents(
  tx: Tx,
  events: readonly NewEvent[],
  now = Date.now(),
  state?: Promise<DerivationState>,
  alongside?: (derived: DerivedChanges) => Promise<unknown>,
): Promise<DerivedChanges> {
  if (events.length === 0) {
    await state; // issued on this transaction: settle it before the caller commits
    return { visitors: [], changes: [] };
  }
  const byVisitor = new Map<string, NewEvent[]>();
  for (const event of events) {
    const key = keyOf(event.siteId, event.visitorId);
    if (!byVisitor.has(key)) byVisitor.set(key, []);
    byVisitor.get(key)!.push(event);
  }
  const { visitorRows, latestSession, settingsBySite } = await (state ??
    loadDerivationState(tx, visitorKeysOf(events)));

  const visitorUpdates: Record<string, unknown>[] = [];
  // Visits these events started are inserted; a stored visit (read above, under its visitor's lock) is updated.
  const sessionInserts: Record<string, unknown>[] = [];
  const sessionUpdates: { id: string; last_seen_at: string; pageviews: number; engaged_ms: number }[] = [];
  const sessionStarts: { id: number; occurred_at: string; context: VisitContext | null }[] = [];
  const visitors: LiveVisitor[] = [];
  const changes: TemperatureChange[] = [];

  for (const row of visitorRows) {
    const key = keyOf(row.site_id, row.visitor_id);
    const list = byVisitor.get(key);
    const settings: ScoringSettings | undefined = settingsBySite.get(row.site_id);
    if (!list || !settings) continue;
    const stored = latestSession.get(key);
    const visitor: VisitorAcc = {
      // A row this transaction just created has placeholder times; derivation sets the real ones.
      firstSeenAt: row.visit_count === 0 ? null : ms(row.first_seen_at),
      lastSeenAt: row.visit_count === 0 ? null : ms(row.last_seen_at),
      visitCount: row.visit_count,
      currentUrl: row.current_url,
      currentTitle: row.current_title,
      userId: row.user_id,
      email: row.email,
      name: row.name,
      phone: row.phone,
      scoreState: json(row.score_state),
    };
    let session: SessionAcc | null = stored
      ? {
          id: stored.id,
          number: stored.number,
          startedAt: ms(stored.started_at),
          lastSeenAt: ms(stored.last_seen_at),
          landingUrl: stored.landing_url,
          referrerDomain: stored.referrer_domain,
          utm: json(stored.utm),
          clickIdType: stored.click_id_type,
          pageviews: stored.pageviews,
          engagedMs: stored.engaged_ms,
        }
      : null;
    const touched: SessionAcc[] = [];
    const started = new Set<SessionAcc>();
    for (const event of list) {
      const applied = applyEvent(visitor, session, event);
      if (applied.started && applied.session) {
        applied.session.id = randomUUID();
        started.add(applied.session);
        sessionStarts.push({ id: event.id, occurred_at: event.occurredAt.toISOString(), context: event.context });
      }
      if (applied.session && !touched.includes(applied.session)) touched.push(applied.session);
      session = applied.session;
      addFacts(visitor.scoreState, settings, applied.facts);
    }
    for (const s of touched) {
      if (!started.has(s)) {
        sessionUpdates.push({
          id: s.id!,
          last_seen_at: iso(s.lastSeenAt),
          pageviews: s.pageviews,
          engaged_ms: s.engagedMs,
        });
        continue;
      }
      sessionInserts.push({
        id: s.id,
        site_id: row.site_id,
        visitor_id: row.visitor_id,
        number: s.number,
        started_at: iso(s.startedAt),
        last_seen_at: iso(s.lastSeenAt),
        landing_url: s.landingUrl,
        referrer_domain: s.referrerDomain,
        utm: s.utm,
        click_id_type: s.clickIdType,
        pageviews: s.pageviews,
        engaged_ms: s.engagedMs,
      });
    }
    // The temperature a visitor "has" is the one at their latest activity (decay runs on between events).
    const scored = scoreOf(visitor.scoreState, settings, Math.max(now, visitor.lastSeenAt ?? now));
    visitorUpdates.push({
      site_id: row.site_id,
      visitor_id: row.visitor_id,
      first_seen_at: iso(visitor.firstSeenAt!),
      last_seen_at: iso(visitor.lastSeenAt!),
      visit_count: visitor.visitCount,
      current_url: visitor.currentUrl,
      current_title: visitor.currentTitle,
      user_id: visitor.userId,
      email: visitor.email,
      name: visitor.name,
      phone: visitor.phone,
      score_state: visitor.scoreState,
      score: scored.score,
      temperature: scored.temperature,
    });
    // A visitor known only from another channel's signal has no visit yet.
    const current: SessionAcc = session ?? {
      id: null,
      number: visitor.visitCount,
      startedAt: visitor.firstSeenAt!,
      lastSeenAt: visitor.lastSeenAt!,
      landingUrl: null,
      referrerDomain: null,
      utm: {},
      clickIdType: null,
      pageviews: 0,
      engagedMs: 0,
    };
    visitors.push({
      siteId: row.site_id,
      visitorId: row.visitor_id,
      name: visitor.name,
      email: visitor.email,
      currentUrl: visitor.currentUrl,
      currentTitle: visitor.currentTitle,
      sessionStartedAt: iso(current.startedAt),
      lastSeenAt: iso(visitor.lastSeenAt!),
      pagesThisVisit: current.pageviews,
      visitNumber: current.number,
      source: { referrerDomain: current.referrerDomain, utm: current.utm, clickIdType: current.clickIdType },
      ...scored,
    });
    if (scored.temperature !== row.temperature) {
      changes.push({
        siteId: row.site_id,
        visitorId: row.visitor_id,
        previous: row.temperature,
        at: new Date(now).toISOString(),
        ...scored,
      });
    }
  }

  // One statement writes it all back: visits, visitors, and the context of events that opened a visit
  // (only those keep it: a recompute reads each visit's source from them). A new visit is a plain insert and a
  // stored one an update by key: an upsert of both paid for a speculative insertion per visit. The LIMITs (the
  // number of rows, so no-ops) are for the planner, which takes any json_to_recordset for 100 rows: at that size
  // it hashed the rows it updates, reading every visitor (or visit) of the table, where ~20 key look-ups do.
  const withContext = sessionStarts.filter((start) => start.context);
  const writeBack = tx.execute(sql`
    with new_sessions as (
      insert into visitor_sessions (id, site_id, visitor_id, number, started_at, last_seen_at, landing_url, referrer_domain, utm, click_id_type, pageviews, engaged_ms)
      select * from json_to_recordset(${JSON.stringify(sessionInserts)}::json) as s(id uuid, site_id uuid, visitor_id text, number int,
        started_at timestamptz, last_seen_at timestamptz, landing_url text, referrer_domain text, utm jsonb, click_id_type text, pageviews int, engaged_ms int)
    ), stored_sessions as (
      update visitor_sessions s set last_seen_at = u.last_seen_at, pageviews = u.pageviews, engaged_ms = u.engaged_ms
      from (select * from json_to_recordset(${JSON.stringify(sessionUpdates)}::json) as r(id uuid, last_seen_at timestamptz, pageviews int,
        engaged_ms int) limit ${sessionUpdates.length}) as u
      where s.id = u.id
    ), event_context as (
      update events e set context = c.context
      from json_to_recordset(${JSON.stringify(withContext)}::json) as c(id bigint, occurred_at timestamptz, context jsonb)
      where e.id = c.id and e.occurred_at = c.occurred_at
    )
    update visitors v set first_seen_at = u.first_seen_at, last_seen_at = u.last_seen_at, visit_count = u.visit_count,
      current_url = u.current_url, current_title = u.current_title, user_id = u.user_id, email = u.email, name = u.name,
      phone = u.phone, score_state = u.score_state, score = u.score, temperature = u.temperature
    from (select * from json_to_recordset(${JSON.stringify(visitorUpdates)}::json) as r(site_id uuid, visitor_id text, first_seen_at timestamptz,
      last_seen_at timestamptz, visit_count int, current_url text, current_title text, user_id text, email text, name text, phone text,
      score_state jsonb, score double precision, temperature text) limit ${visitorUpdates.length}) as u
    where v.site_id = u.site_id and v.visitor_id = u.visitor_id`);
  // The caller's own writes from the outcome (e.g. hot marks) leave in the same round trip as the write-back.
  await Promise.all([writeBack, alongside?.({ visitors, changes })]);
  return { visitors, changes };
}
