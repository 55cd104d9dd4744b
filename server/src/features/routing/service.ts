import type { z } from 'zod';
import { and, asc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import { randomId } from '@beckon/sdk/core';
import {
  defaultUnansweredChatSeconds,
  type RoutingRule,
  type RoutingSettings,
  type routingSettingsSchema,
  type Team,
  type Temperature,
} from '@beckon/sdk/protocol';
import { rowsOf, type Db, type DbOrTx } from '../../db/client.js';
import {
  agentsTable,
  assignmentMarksTable,
  callbacksTable,
  conversationsTable,
  routingSettingsTable,
  siteMembersTable,
  teamMembersTable,
  teamsTable,
} from '../../db/schema.js';
import { AppError, notFound } from '../../lib/errors.js';
import { cacheGeneration, cachedDataChanged } from '../../lib/keyed-cache.js';
import { isUuid } from '../../lib/validate.js';
import type { RoundState, RoutingFacts } from './engine.js';

/** What a round needs from the site's configuration. */
export interface SiteRouting extends RoutingSettings {
  /** Team id → member agent ids (members still able to work the site). */
  teams: Map<string, string[]>;
}

const cacheMs = 5_000;
const cache = new Map<string, { at: number; generation: number; value: Promise<SiteRouting> }>();

/**
 * A site's rules and teams, cached per node for a few seconds: assignment runs in rounds of up to
 * thousands of chats and must not read the configuration per conversation. Edits drop the entry on this
 * node at once and, with Redis, on every node (`cachedDataChanged`); unlinked nodes follow within `cacheMs`.
 */
export function loadRouting(db: DbOrTx, siteId: string, now = Date.now()): Promise<SiteRouting> {
  const hit = cache.get(siteId);
  if (hit && now - hit.at < cacheMs && hit.generation === cacheGeneration()) return hit.value;
  const value = readRouting(db, siteId);
  cache.set(siteId, { at: now, generation: cacheGeneration(), value });
  value.catch(() => cache.delete(siteId));
  return value;
}

export function invalidateRouting(siteId: string) {
  cache.delete(siteId);
  cachedDataChanged();
}

async function readRouting(db: DbOrTx, siteId: string): Promise<SiteRouting> {
  const [settings] = await db.select().from(routingSettingsTable).where(eq(routingSettingsTable.siteId, siteId));
  const members = await db
    .select({ teamId: teamMembersTable.teamId, agentId: teamMembersTable.agentId })
    .from(teamMembersTable)
    .innerJoin(teamsTable, eq(teamsTable.id, teamMembersTable.teamId))
    .where(eq(teamsTable.siteId, siteId));
  const teams = new Map<string, string[]>();
  for (const { teamId, agentId } of members) teams.set(teamId, [...(teams.get(teamId) ?? []), agentId]);
  return {
    rules: settings?.rules ?? [],
    unansweredChatSeconds: settings?.unansweredChatSeconds ?? defaultUnansweredChatSeconds,
    teams,
  };
}

export async function routingSettingsOf(db: Db, siteId: string): Promise<RoutingSettings> {
  const { rules, unansweredChatSeconds } = await readRouting(db, siteId);
  return { rules, unansweredChatSeconds };
}

/** Agents who may work a site: its members and every admin. */
async function siteAgentIds(db: DbOrTx, siteId: string, agentIds: string[]): Promise<Set<string>> {
  if (agentIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ id: agentsTable.id })
    .from(agentsTable)
    .leftJoin(siteMembersTable, and(eq(siteMembersTable.agentId, agentsTable.id), eq(siteMembersTable.siteId, siteId)))
    .where(
      and(inArray(agentsTable.id, agentIds), or(eq(agentsTable.role, 'admin'), eq(siteMembersTable.siteId, siteId))),
    );
  return new Set(rows.map((row) => row.id));
}

export async function saveRoutingSettings(
  db: Db,
  siteId: string,
  input: z.output<typeof routingSettingsSchema>,
): Promise<RoutingSettings> {
  const rules = input.rules;
  const teamIds = [...new Set(rules.flatMap((rule) => (rule.target.kind === 'team' ? [rule.target.teamId] : [])))];
  const agentIds = [...new Set(rules.flatMap((rule) => (rule.target.kind === 'agent' ? [rule.target.agentId] : [])))];
  const known = teamIds.length
    ? await db
        .select({ id: teamsTable.id })
        .from(teamsTable)
        .where(and(eq(teamsTable.siteId, siteId), inArray(teamsTable.id, teamIds)))
    : [];
  const knownTeams = new Set(known.map((row) => row.id));
  const knownAgents = await siteAgentIds(db, siteId, agentIds);
  const issues = rules.flatMap((rule, index) =>
    rule.target.kind === 'team' && !knownTeams.has(rule.target.teamId)
      ? [{ path: ['rules', index, 'target', 'teamId'], message: 'no such team on this site' }]
      : rule.target.kind === 'agent' && !knownAgents.has(rule.target.agentId)
        ? [{ path: ['rules', index, 'target', 'agentId'], message: 'not an agent of this site' }]
        : [],
  );
  if (issues.length)
    throw new AppError('validation_failed', 'A rule targets a team or agent this site does not have', issues);
  const seen = new Set<string>();
  const stored: RoutingRule[] = rules.map((rule) => {
    // Ids stay across edits (assignments name them); a duplicate or missing one gets a fresh id.
    const id = rule.id && !seen.has(rule.id) ? rule.id : `rr_${randomId(12)}`;
    seen.add(id);
    return { ...rule, id };
  });
  await db
    .insert(routingSettingsTable)
    .values({ siteId, rules: stored, unansweredChatSeconds: input.unansweredChatSeconds, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: routingSettingsTable.siteId,
      set: { rules: stored, unansweredChatSeconds: input.unansweredChatSeconds, updatedAt: new Date() },
    });
  invalidateRouting(siteId);
  return { rules: stored, unansweredChatSeconds: input.unansweredChatSeconds };
}

// ---- Teams ------------------------------------------------------------------------------------

export async function listTeams(db: Db, siteId: string): Promise<Team[]> {
  const teams = await db.select().from(teamsTable).where(eq(teamsTable.siteId, siteId)).orderBy(asc(teamsTable.name));
  if (teams.length === 0) return [];
  const members = await db
    .select({ teamId: teamMembersTable.teamId, id: agentsTable.id, name: agentsTable.name })
    .from(teamMembersTable)
    .innerJoin(agentsTable, eq(agentsTable.id, teamMembersTable.agentId))
    .where(
      inArray(
        teamMembersTable.teamId,
        teams.map((team) => team.id),
      ),
    )
    .orderBy(asc(agentsTable.name));
  return teams.map((team) => ({
    id: team.id,
    siteId: team.siteId,
    name: team.name,
    members: members.filter((member) => member.teamId === team.id).map(({ id, name }) => ({ id, name })),
    createdAt: team.createdAt.toISOString(),
  }));
}

async function siteTeam(db: DbOrTx, siteId: string, teamId: string) {
  if (!isUuid(teamId)) throw notFound('Team');
  const [team] = await db
    .select()
    .from(teamsTable)
    .where(and(eq(teamsTable.id, teamId), eq(teamsTable.siteId, siteId)));
  if (!team) throw notFound('Team');
  return team;
}

/** Creates or updates a team: name unique per site, members agents of the site. */
export async function saveTeam(
  db: Db,
  siteId: string,
  input: { name: string; agentIds: string[] },
  teamId?: string,
): Promise<Team> {
  const agentIds = [...new Set(input.agentIds)];
  const allowed = await siteAgentIds(db, siteId, agentIds);
  const strangers = agentIds.filter((id) => !allowed.has(id));
  if (strangers.length)
    throw new AppError('validation_failed', 'Only agents of this site can be in its teams', [
      { path: ['agentIds'], message: `not agents of this site: ${strangers.join(', ')}` },
    ]);
  const [clash] = await db
    .select({ id: teamsTable.id })
    .from(teamsTable)
    .where(
      and(
        eq(teamsTable.siteId, siteId),
        sql`lower(${teamsTable.name}) = lower(${input.name})`,
        teamId ? ne(teamsTable.id, teamId) : undefined,
      ),
    );
  if (clash) throw new AppError('conflict', `A team named “${input.name}” already exists on this site`);
  const id = await db.transaction(async (tx) => {
    let id = teamId;
    if (id) {
      await siteTeam(tx, siteId, id);
      await tx.update(teamsTable).set({ name: input.name }).where(eq(teamsTable.id, id));
      await tx.delete(teamMembersTable).where(eq(teamMembersTable.teamId, id));
    } else {
      id = (await tx.insert(teamsTable).values({ siteId, name: input.name }).returning({ id: teamsTable.id }))[0]!.id;
    }
    if (agentIds.length)
      await tx.insert(teamMembersTable).values(agentIds.map((agentId) => ({ teamId: id!, agentId })));
    return id;
  });
  invalidateRouting(siteId);
  return (await listTeams(db, siteId)).find((team) => team.id === id)!;
}

/** Deleting a team that a rule targets is refused: the rule would silently route nowhere. */
export async function deleteTeam(db: Db, siteId: string, teamId: string) {
  await siteTeam(db, siteId, teamId);
  const { rules } = await readRouting(db, siteId);
  const users = rules.filter((rule) => rule.target.kind === 'team' && rule.target.teamId === teamId);
  if (users.length)
    throw new AppError(
      'conflict',
      `Rules still route to this team: ${users.map((rule) => `“${rule.name}”`).join(', ')}`,
    );
  await db.delete(teamsTable).where(and(eq(teamsTable.id, teamId), eq(teamsTable.siteId, siteId)));
  invalidateRouting(siteId);
}

// ---- What a round reads -------------------------------------------------------------------------

/**
 * Round-robin marks and, when a strategy needs it, each agent's open load (open assigned conversations +
 * open callbacks) on every site the agent serves, not only this one: someone with five chats on another
 * brand is not the least busy here. A site they no longer serve (membership removed) does not count:
 * they cannot see that work. Two statements for the whole round; the load reads the open rows of these
 * agents through partial indexes on the assignee.
 */
export async function roundState(
  db: DbOrTx,
  siteId: string,
  agentIds: string[],
  withLoad: boolean,
): Promise<RoundState> {
  if (agentIds.length === 0) return { marks: new Map(), load: new Map() };
  // Microseconds, not a Date: marks of one round are microseconds apart and must keep their order.
  const marks = await db
    .select({
      agentId: assignmentMarksTable.agentId,
      at: sql<string>`(extract(epoch from ${assignmentMarksTable.lastAssignedAt}) * 1000000)::bigint`,
    })
    .from(assignmentMarksTable)
    .where(and(eq(assignmentMarksTable.siteId, siteId), inArray(assignmentMarksTable.agentId, agentIds)));
  const load = new Map<string, number>();
  if (withLoad) {
    const ids = sql.join(
      agentIds.map((id) => sql`${id}::uuid`),
      sql`, `,
    );
    const result = await db.execute(sql`
      select l.agent_id, sum(l.n)::int as n from (
        select assignee_id as agent_id, site_id, count(*) as n from ${conversationsTable}
        where status = 'open' and assignee_id in (${ids})
        group by assignee_id, site_id
        union all
        select assignee_id, site_id, count(*) from ${callbacksTable}
        where status <> 'done' and assignee_id in (${ids})
        group by assignee_id, site_id
      ) l
      join ${agentsTable} a on a.id = l.agent_id
      where a.role = 'admin' or exists (select 1 from ${siteMembersTable} m where m.site_id = l.site_id and m.agent_id = l.agent_id)
      group by l.agent_id`);
    for (const row of rowsOf<{ agent_id: string; n: number | string }>(result)) load.set(row.agent_id, Number(row.n));
  }
  return { marks: new Map(marks.map((mark) => [mark.agentId, Number(mark.at)])), load };
}

export interface TrackerFacts {
  temperature: Temperature | null;
  url: string | null;
  utmSource: string | null;
  referrerDomain: string | null;
  paidClick: boolean;
  /** The agent who handled this person before, through their lead (owner, else the latest handled chat or callback). */
  leadAgentId: string | null;
}

/**
 * Scoring, source and lead history of tracker visitor ids, in one statement for a whole round: the
 * visitor row, their latest visit, their lead and the agent of that lead's latest handled chat or callback.
 */
export async function trackerFacts(
  db: DbOrTx,
  siteId: string,
  visitorIds: string[],
): Promise<Map<string, TrackerFacts>> {
  const facts = new Map<string, TrackerFacts>();
  const ids = [...new Set(visitorIds)];
  if (ids.length === 0) return facts;
  const result = await db.execute(sql`
    select ids.visitor_id, v.temperature, v.current_url, s.utm->>'source' as utm_source, s.referrer_domain, s.click_id_type,
           coalesce(lv.assignee_id, previous.agent_id) as lead_agent_id
    from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as ids(visitor_id)
    -- Every lookup is a LATERAL probe by key: on young tables the planner otherwise read all of the site's
    -- visitors and leads and matched them to the ids one by one (bench:chat's first second: 4,470 rows
    -- compared for 30 ids), work that grows with the site.
    left join lateral (
      select v.temperature, v.current_url from visitors v
      where v.site_id = ${siteId}::uuid and v.visitor_id = ids.visitor_id limit 1
    ) v on true
    left join lateral (
      select utm, referrer_domain, click_id_type from visitor_sessions vs
      where vs.site_id = ${siteId}::uuid and vs.visitor_id = ids.visitor_id order by vs.started_at desc limit 1
    ) s on true
    left join lateral (
      select lv.lead_id, l.assignee_id from lead_visitors lv join leads l on l.id = lv.lead_id
      where lv.site_id = ${siteId}::uuid and lv.visitor_id = ids.visitor_id limit 1
    ) lv on true
    left join lateral (
      select coalesce(c.assignee_id, cb.assignee_id) as agent_id
      from lead_touches t
      -- Touches of other kinds may carry ids that are not uuids: the case casts only these two kinds'.
      left join conversations c on c.id = case when t.ref_type = 'conversation' then t.ref_id::uuid end
      left join callbacks cb on cb.id = case when t.ref_type = 'callback' then t.ref_id::uuid end
      where t.lead_id = lv.lead_id and coalesce(c.assignee_id, cb.assignee_id) is not null
      order by t.created_at desc limit 1
    ) previous on true`);
  for (const row of rowsOf<{
    visitor_id: string;
    temperature: Temperature | null;
    current_url: string | null;
    utm_source: string | null;
    referrer_domain: string | null;
    click_id_type: string | null;
    lead_agent_id: string | null;
  }>(result)) {
    facts.set(row.visitor_id, {
      temperature: row.temperature,
      url: row.current_url,
      utmSource: row.utm_source,
      referrerDomain: row.referrer_domain,
      paidClick: Boolean(row.click_id_type),
      leadAgentId: row.lead_agent_id,
    });
  }
  return facts;
}

/** Facts for a contact from its tracker facts plus what the chat or callback itself knows. */
export function factsFor(
  channel: RoutingFacts['channel'],
  tracker: TrackerFacts | undefined,
  own: { url: string | null; language: string | null; temperature?: Temperature | null },
): RoutingFacts {
  return {
    channel,
    temperature: tracker?.temperature ?? own.temperature ?? null,
    url: own.url ?? tracker?.url ?? null,
    utmSource: tracker?.utmSource ?? null,
    referrerDomain: tracker?.referrerDomain ?? null,
    paidClick: tracker?.paidClick ?? false,
    language: own.language,
  };
}
