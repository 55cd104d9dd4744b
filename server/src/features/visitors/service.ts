import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { LiveVisitor, ScoringSettings, VisitorDetail, VisitorSession } from '@beckon/sdk/protocol';
import { rowsOf, type Db } from '../../db/client.js';
import {
  eventsTable,
  personVisitorsTable,
  personsTable,
  visitorSessionsTable,
  visitorsTable,
  type ScoreState,
  type VisitorSessionRow,
} from '../../db/schema.js';
import { notFound } from '../../lib/errors.js';
import { scoreOf, scoringSettingsOf } from '../scoring/index.js';
import { personRef } from '../persons/index.js';

interface LiveRow {
  visitor_id: string;
  name: string | null;
  email: string | null;
  current_url: string | null;
  current_title: string | null;
  last_seen_at: Date | string;
  score_state: ScoreState | string;
  started_at: Date | string | null;
  pageviews: number | null;
  number: number | null;
  referrer_domain: string | null;
  utm: LiveVisitor['source']['utm'] | string | null;
  click_id_type: LiveVisitor['source']['clickIdType'];
  person_id: string | null;
  person_name: string | null;
  person_email: string | null;
  person_phone: string | null;
  person_label_seed: string | null;
}

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);
const isoOf = (value: Date | string) => new Date(value).toISOString();

function toLive(siteId: string, row: LiveRow, settings: ScoringSettings, now: number): LiveVisitor {
  return {
    siteId,
    visitorId: row.visitor_id,
    name: row.name,
    email: row.email,
    person: row.person_id
      ? personRef({
          id: row.person_id,
          name: row.person_name,
          email: row.person_email,
          phone: row.person_phone,
          labelSeed: row.person_label_seed ?? row.person_id,
        })
      : null,
    currentUrl: row.current_url,
    currentTitle: row.current_title,
    sessionStartedAt: isoOf(row.started_at ?? row.last_seen_at),
    lastSeenAt: isoOf(row.last_seen_at),
    pagesThisVisit: row.pageviews ?? 0,
    visitNumber: row.number ?? 1,
    source: { referrerDomain: row.referrer_domain, utm: row.utm ? json(row.utm) : {}, clickIdType: row.click_id_type },
    ...scoreOf(json(row.score_state), settings, now),
  };
}

/**
 * The Visitors page's rows: each visitor with their latest visit, last seen by an event or by the
 * loader's keepalive (an idle reader with the tab visible), most recent first. `where` narrows the site.
 */
async function liveRows(db: Db, siteId: string, where: SQL, limit: number, now: number): Promise<LiveVisitor[]> {
  const settings = await scoringSettingsOf(db, siteId);
  const rows = rowsOf<LiveRow>(
    await db.execute(sql`
      select v.visitor_id, v.name, v.email, v.current_url, v.current_title, greatest(v.last_seen_at, p.seen_at) as last_seen_at, v.score_state,
        s.started_at, s.pageviews, s.number, s.referrer_domain, s.utm, s.click_id_type,
        pr.id as person_id, pr.name as person_name, pr.email as person_email, pr.phone as person_phone, pr.label_seed as person_label_seed
      from visitors v
      left join visitor_presence p on p.site_id = v.site_id and p.visitor_id = v.visitor_id
      left join person_visitors pv on pv.site_id = v.site_id and pv.visitor_id = v.visitor_id
      left join persons pr on pr.id = pv.person_id
      left join lateral (
        select * from visitor_sessions s where s.site_id = v.site_id and s.visitor_id = v.visitor_id order by s.started_at desc limit 1
      ) s on true
      where v.site_id = ${siteId} and v.visit_count > 0 and ${where}
        -- A pre-consent (anonymous) row whose browser has since consented is that visitor's row now.
        and not (left(v.visitor_id, 5) = 'anon_' and exists (
          select 1 from consent_records c
          where c.site_id = v.site_id and c.visitor_id = v.visitor_id and c.analytics and c.recorded_at >= greatest(v.last_seen_at, p.seen_at)))
      order by greatest(v.last_seen_at, p.seen_at) desc
      limit ${limit}`),
  );
  return rows.map((row) => toLive(siteId, row, settings, now));
}

/** Visitors of one site active (an event or a keepalive) since `since`, most recent first, each with their current visit. */
export function liveVisitors(
  db: Db,
  siteId: string,
  since: Date,
  limit = 200,
  now = Date.now(),
): Promise<LiveVisitor[]> {
  const after = sql`${since.toISOString()}::timestamptz`;
  return liveRows(db, siteId, sql`(v.last_seen_at > ${after} or p.seen_at > ${after})`, limit, now);
}

/** The same rows for these visitors (a keepalive refreshed their presence), whenever they were last seen. */
export function liveVisitorsById(
  db: Db,
  siteId: string,
  visitorIds: readonly string[],
  now = Date.now(),
): Promise<LiveVisitor[]> {
  if (visitorIds.length === 0) return Promise.resolve([]);
  return liveRows(
    db,
    siteId,
    sql`v.visitor_id in (${sql.join(
      visitorIds.map((id) => sql`${id}`),
      sql`, `,
    )})`,
    visitorIds.length,
    now,
  );
}

const toSession = (row: VisitorSessionRow): VisitorSession => ({
  id: row.id,
  number: row.number,
  startedAt: row.startedAt.toISOString(),
  lastSeenAt: row.lastSeenAt.toISOString(),
  landingUrl: row.landingUrl,
  pageviews: row.pageviews,
  engagedMs: row.engagedMs,
  source: { referrerDomain: row.referrerDomain, utm: row.utm, clickIdType: row.clickIdType },
});

/** One visitor with score, explanation, visits and pages (the site is already checked for the agent). */
export async function visitorDetail(
  db: Db,
  siteId: string,
  visitorId: string,
  now = Date.now(),
): Promise<VisitorDetail> {
  const [visitor] = await db
    .select()
    .from(visitorsTable)
    .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, visitorId)));
  if (!visitor) throw notFound('Visitor');
  const settings = await scoringSettingsOf(db, siteId);
  const sessions = await db
    .select()
    .from(visitorSessionsTable)
    .where(and(eq(visitorSessionsTable.siteId, siteId), eq(visitorSessionsTable.visitorId, visitorId)))
    .orderBy(desc(visitorSessionsTable.startedAt))
    .limit(50);
  const pages = await db
    .select({
      url: eventsTable.url,
      title: eventsTable.title,
      at: eventsTable.occurredAt,
      sessionId: eventsTable.sessionId,
    })
    .from(eventsTable)
    .where(and(eq(eventsTable.siteId, siteId), eq(eventsTable.visitorId, visitorId), eq(eventsTable.type, 'pageview')))
    .orderBy(desc(eventsTable.id))
    .limit(200);
  const current = sessions[0];
  const [person] = await db
    .select({ person: personsTable })
    .from(personVisitorsTable)
    .innerJoin(personsTable, eq(personsTable.id, personVisitorsTable.personId))
    .where(and(eq(personVisitorsTable.siteId, siteId), eq(personVisitorsTable.visitorId, visitorId)));
  return {
    siteId,
    visitorId,
    name: visitor.name,
    email: visitor.email,
    person: person ? personRef(person.person) : null,
    phone: visitor.phone,
    currentUrl: visitor.currentUrl,
    currentTitle: visitor.currentTitle,
    firstSeenAt: visitor.firstSeenAt.toISOString(),
    lastSeenAt: visitor.lastSeenAt.toISOString(),
    sessionStartedAt: (current?.startedAt ?? visitor.lastSeenAt).toISOString(),
    pagesThisVisit: current?.pageviews ?? 0,
    visitNumber: current?.number ?? visitor.visitCount,
    source: current ? toSession(current).source : { referrerDomain: null, utm: {}, clickIdType: null },
    outcome: visitor.outcome,
    sessions: sessions.map(toSession),
    pages: pages.map((page) => ({
      url: page.url,
      title: page.title,
      at: page.at.toISOString(),
      sessionId: page.sessionId,
    })),
    ...scoreOf(visitor.scoreState, settings, now),
  };
}
