import { sql } from 'drizzle-orm';
import type { RoutingChannel, Temperature } from '@beckon/sdk/protocol';
import type { AppDeps } from '../../app-env.js';
import type { DbOrTx } from '../../db/client.js';
import { assignmentMarksTable } from '../../db/schema.js';
import { routeRound, type RoutingDecision } from './engine.js';
import { factsFor, loadRouting, roundState, trackerFacts } from './service.js';

/** One contact of a round, as its kind describes it to the engine. */
export interface RoutingCandidate {
  id: string;
  /** The visitor's latest tracker id: temperature, source and lead for the rules. */
  trackerVisitorId: string | null;
  url: string | null;
  language: string | null;
  /** What the contact itself knows of its temperature (used when the tracker knows none). */
  temperature?: Temperature | null;
  /** The agent who handled this contact before (same chat visitor, same lead); else the lead's agent. */
  previousAgentId: string | null;
  /** Reassignment: the agent it goes away from (never back to them while someone else is eligible). */
  excludeAgentId: string | null;
}

/** What the round decided for one row: an agent, or nobody online could take it (`decision` null). */
export interface RoutingOutcome<Row> {
  row: Row;
  decision: RoutingDecision | null;
  temperature: Temperature | null;
}

export interface RoundOptions {
  /** The audit's reason (a default per kind when absent). */
  reason?: string;
  /** The round's clock: assignment times and round-robin marks (the database's `now()` when absent). */
  now?: Date;
}

/**
 * How one kind of work (chats, callbacks) takes part in a round. The feature that owns the rows
 * implements it; routing never reads or writes them itself.
 */
export interface RoutingPort<Kind extends RoutingChannel, Row extends { id: string }, Result> {
  kind: Kind;
  /** The engine's view of each row (a fixed number of statements for the whole round). */
  candidates(db: DbOrTx, siteId: string, rows: Row[]): Promise<RoutingCandidate[]>;
  /**
   * Stores the outcome (assignee, routing choice, temperature, audit) for the rows still as they were
   * read, in a fixed number of statements; answers the rows it changed, by id. A decided row it skipped
   * (changed meanwhile) is not assigned and leaves the round-robin turn alone.
   */
  markAssigned(
    db: DbOrTx,
    siteId: string,
    outcomes: RoutingOutcome<Row>[],
    options: RoundOptions,
  ): Promise<Map<string, Result>>;
}

export interface RoundResult<Result> {
  /** The rows the port changed (see `markAssigned`). */
  changed: Map<string, Result>;
  /** The decision for each row that got an agent. */
  assigned: Map<string, RoutingDecision>;
}

/**
 * The one routing round, for every kind of work: the site's rules and teams (cached), the kind's
 * candidates and their tracker facts, the turn and (for least-busy rules) the agents' load, the engine's
 * decisions (engine.ts: rules, sticky, round-robin or least busy), the kind's writes, and the round-robin
 * marks that make the next round continue the rotation where this one stopped (across nodes and restarts).
 */
export async function routingRound<Kind extends RoutingChannel, Row extends { id: string }, Result>(
  db: DbOrTx,
  siteId: string,
  port: RoutingPort<Kind, Row, Result>,
  rows: Row[],
  online: readonly string[],
  options: RoundOptions = {},
): Promise<RoundResult<Result>> {
  if (rows.length === 0) return { changed: new Map(), assigned: new Map() };
  const routing = await loadRouting(db, siteId);
  const candidates = await port.candidates(db, siteId, rows);
  const tracker = await trackerFacts(
    db,
    siteId,
    candidates.flatMap((c) => (c.trackerVisitorId ? [c.trackerVisitorId] : [])),
  );
  const items = candidates.map((c) => {
    const known = c.trackerVisitorId ? tracker.get(c.trackerVisitorId) : undefined;
    return {
      id: c.id,
      facts: factsFor(port.kind, known, { url: c.url, language: c.language, temperature: c.temperature ?? null }),
      previousAgentId: c.previousAgentId ?? known?.leadAgentId ?? null,
      excludeAgentId: c.excludeAgentId,
    };
  });
  const needsLoad = routing.rules.some((rule) => rule.enabled && rule.strategy === 'least_busy');
  const decisions = online.length
    ? routeRound(items, routing.rules, routing.teams, online, await roundState(db, siteId, [...online], needsLoad))
    : [];
  const decided = new Map(decisions.map((decision) => [decision.id, decision]));
  const temperatures = new Map(items.map((item) => [item.id, item.facts.temperature]));
  const changed = await port.markAssigned(
    db,
    siteId,
    rows.map((row) => ({ row, decision: decided.get(row.id) ?? null, temperature: temperatures.get(row.id) ?? null })),
    options,
  );
  const assigned = new Map(
    decisions.filter((decision) => changed.has(decision.id)).map((decision) => [decision.id, decision]),
  );
  await recordMarks(
    db,
    siteId,
    decisions.flatMap((decision, position) =>
      assigned.has(decision.id) ? [{ agent_id: decision.agentId, position }] : [],
    ),
    options.now,
  );
  return { changed, assigned };
}

/** Later positions get later marks (microseconds apart), so the next round continues the rotation. */
async function recordMarks(
  db: DbOrTx,
  siteId: string,
  marks: { agent_id: string; position: number }[],
  now: Date | undefined,
) {
  if (marks.length === 0) return;
  await db.execute(sql`
    insert into ${assignmentMarksTable} (site_id, agent_id, last_assigned_at)
    select ${siteId}::uuid, m.agent_id, coalesce(${now?.toISOString() ?? null}::timestamptz, now()) + max(m.position) * interval '1 microsecond'
    from jsonb_to_recordset(${JSON.stringify(marks)}::jsonb) as m(agent_id uuid, position int)
    group by m.agent_id
    on conflict (site_id, agent_id) do update set last_assigned_at = excluded.last_assigned_at`);
}

/** The agents online on a site now (presence, read in the caller's transaction when it has one). */
export async function onlineAgents(realtime: AppDeps['realtime'], siteId: string, db?: DbOrTx): Promise<string[]> {
  return [...(await realtime.agentStatuses(siteId, db))]
    .filter(([, agent]) => agent.status === 'online')
    .map(([id]) => id);
}
