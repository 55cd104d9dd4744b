import { and, asc, desc, eq, inArray, isNull, lt, lte, ne, sql } from 'drizzle-orm';
import type { Callback, CallbackOptions, CallbackOutcome, LeadStatus, VisitorCallback } from '@beckon/sdk/protocol';
import { formerAgentName } from '@beckon/sdk/protocol';
import type { AppDeps, AgentIdentity } from '../../app-env.js';
import { rowsOf, type Db, type DbOrTx } from '../../db/client.js';
import {
  agentsTable,
  callbackEventsTable,
  callbackPhoneCountsTable,
  callbacksTable,
  leadsTable,
  sitesTable,
  type CallbackRow,
  type SiteRow,
} from '../../db/schema.js';
import { randomToken, sha256 } from '../../lib/crypto.js';
import { AppError, notFound } from '../../lib/errors.js';
import { isUuid } from '../../lib/validate.js';
import { availability } from '../chat/index.js';
import { publishLead, recordLeadTouch, updateLead, labelVisitorsOfLead } from '../leads/index.js';
import { recordSignal } from '../visitors/index.js';
import { enqueueWebhookEvent } from '../webhooks/index.js';
import {
  onlineAgents,
  routingRound,
  type RoutedWork,
  type RoutingCandidate,
  type RoutingPort,
} from '../routing/index.js';
import { secondsToNextUtcDay, utcDay } from './anti-abuse.js';
import { callbackSlots } from './slots.js';
import { truncateReadable } from '@beckon/sdk/core';
import { personRefsByLead } from '../persons/index.js';

export type CallbackDeps = Pick<AppDeps, 'db' | 'realtime' | 'logger'>;

const minuteMs = 60_000;

async function agentNames(db: DbOrTx, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ id: agentsTable.id, name: agentsTable.name })
    .from(agentsTable)
    .where(inArray(agentsTable.id, wanted));
  return new Map(rows.map((row) => [row.id, row.name]));
}

export const toCallback = (row: CallbackRow, names: Map<string, string>): Callback => ({
  id: row.id,
  siteId: row.siteId,
  phone: row.phone,
  name: row.name,
  mode: row.mode,
  status: row.status,
  requestedAt: row.requestedAt.toISOString(),
  dueAt: row.dueAt.toISOString(),
  overdueAt: row.overdueAt?.toISOString() ?? null,
  assignee: row.assigneeId ? { id: row.assigneeId, name: names.get(row.assigneeId) ?? formerAgentName } : null,
  takenAt: row.takenAt?.toISOString() ?? null,
  outcome: row.outcome,
  note: row.note,
  attempts: row.attempts,
  leadId: row.leadId,
  pageUrl: row.pageUrl,
  createdAt: row.createdAt.toISOString(),
  temperature: row.temperature,
  routing: row.routing,
});

export async function toCallbacks(db: DbOrTx, rows: CallbackRow[]): Promise<Callback[]> {
  const names = await agentNames(
    db,
    rows.map((row) => row.assigneeId),
  );
  const persons = await personRefsByLead(
    db,
    rows.map((row) => row.leadId),
  );
  return rows.map((row) => ({ ...toCallback(row, names), person: (row.leadId && persons.get(row.leadId)) || null }));
}

/** The visitor sees the agent's first name only. */
export async function toVisitorCallback(db: DbOrTx, row: CallbackRow): Promise<VisitorCallback> {
  const names = await agentNames(db, [row.status === 'calling' ? row.assigneeId : null]);
  const agentName =
    row.status === 'calling' && row.assigneeId ? (names.get(row.assigneeId)?.split(' ')[0] ?? null) : null;
  return {
    id: row.id,
    status: row.status,
    mode: row.mode,
    requestedAt: row.requestedAt.toISOString(),
    countdownEndsAt: row.countdownEndsAt?.toISOString() ?? null,
    agentName,
  };
}

/** What the widget's form may offer: "call me now" while someone can call, else slots. */
export async function callbackOptions(deps: CallbackDeps, site: SiteRow, now = new Date()): Promise<CallbackOptions> {
  const settings = site.callbacks;
  const live = settings.enabled ? await availability(deps, site, now) : { available: false };
  return {
    enabled: settings.enabled,
    now: { available: live.available, countdownSeconds: settings.countdownSeconds },
    slots: settings.enabled
      ? callbackSlots({
          hours: site.chat.businessHours,
          slotMinutes: settings.slotMinutes,
          daysAhead: settings.daysAhead,
          now,
        }).map((slot) => ({ at: slot.toISOString() }))
      : [],
    timezone: site.chat.businessHours?.timezone ?? null,
  };
}

/** Per-phone counts older than yesterday can no longer limit anything; the SLA job drops them. */
export async function pruneDailyCounts(db: Db, now = new Date()): Promise<number> {
  const yesterday = utcDay(new Date(now.getTime() - 24 * 60 * 60 * 1000));
  const deleted = await db
    .delete(callbackPhoneCountsTable)
    .where(lt(callbackPhoneCountsTable.day, yesterday))
    .returning({ day: callbackPhoneCountsTable.day });
  return deleted.length;
}

/** Everything a PBX or CRM needs to originate the call and file it. */
function webhookData(row: CallbackRow, site: SiteRow, publicUrl: string, extra: Record<string, unknown> = {}) {
  return {
    callback: {
      id: row.id,
      phone: row.phone,
      name: row.name,
      mode: row.mode,
      status: row.status,
      requestedAt: row.requestedAt.toISOString(),
      dueAt: row.dueAt.toISOString(),
      outcome: row.outcome,
      note: row.note,
      assigneeId: row.assigneeId,
      pageUrl: row.pageUrl,
      createdAt: row.createdAt.toISOString(),
    },
    site: { id: site.id, key: site.key, name: site.name },
    leadId: row.leadId,
    dashboardUrl: `${publicUrl}/app/sites/${encodeURIComponent(site.key)}/callbacks#${row.id}`,
    ...extra,
  };
}

export interface NewCallback {
  phone: string;
  name?: string | undefined;
  mode: 'now' | 'scheduled';
  at: Date;
  visitorId?: string | undefined;
  pageUrl?: string | undefined;
  /** The browser's language (Accept-Language), for routing rules. */
  language?: string | null | undefined;
  /** The visitor's IANA time zone, as the widget reports it (kept with the lead touch). */
  timeZone?: string | undefined;
}

/**
 * Stores a request: the per-phone daily count (in PostgreSQL: it protects a third party, so it must hold
 * across restarts and nodes), the callback, its lead touch and the `callback.requested` webhook — in one
 * transaction, so a request over the limit stores nothing at all.
 */
export async function createCallback(
  deps: CallbackDeps,
  site: SiteRow,
  input: NewCallback,
  publicUrl: string,
  now = new Date(),
) {
  const settings = site.callbacks;
  const token = randomToken();
  const result = await deps.db.transaction(async (tx) => {
    const [counted] = await tx
      .insert(callbackPhoneCountsTable)
      .values({ siteId: site.id, phone: input.phone, day: utcDay(now), count: 1 })
      .onConflictDoUpdate({
        target: [callbackPhoneCountsTable.siteId, callbackPhoneCountsTable.phone, callbackPhoneCountsTable.day],
        set: { count: sql`${callbackPhoneCountsTable.count} + 1` },
      })
      .returning({ count: callbackPhoneCountsTable.count });
    if (counted!.count > settings.limits.perPhonePerDay) {
      const retryAfter = secondsToNextUtcDay(now);
      throw new AppError(
        'rate_limited',
        'This number has asked for enough callbacks today; we will be in touch.',
        { reason: 'phone_daily_limit', retryAfterSeconds: retryAfter },
        { 'Retry-After': String(retryAfter) },
      );
    }
    const dueAt = input.mode === 'now' ? new Date(now.getTime() + settings.slaMinutes * minuteMs) : input.at;
    const [row] = await tx
      .insert(callbacksTable)
      .values({
        siteId: site.id,
        phone: input.phone,
        name: input.name || null,
        mode: input.mode,
        requestedAt: input.mode === 'now' ? now : input.at,
        dueAt,
        countdownEndsAt: input.mode === 'now' ? new Date(now.getTime() + settings.countdownSeconds * 1000) : null,
        visitorId: input.visitorId ?? null,
        pageUrl: input.pageUrl ?? null,
        visitorTokenHash: sha256(token),
        language: input.language ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const lead = await recordLeadTouch(tx, {
      siteId: site.id,
      channel: 'callback',
      kind: 'callback.requested',
      contact: { name: input.name ?? null, phone: input.phone },
      visitorId: input.visitorId ?? null,
      ref: { type: 'callback', id: row!.id },
      summary:
        input.mode === 'now'
          ? `Asked to be called now at ${input.phone}`
          : `Asked to be called at ${input.at.toISOString()} on ${input.phone}`,
      data: {
        mode: input.mode,
        phone: input.phone,
        requestedAt: row!.requestedAt.toISOString(),
        pageUrl: input.pageUrl ?? null,
        visitorTimeZone: input.timeZone ?? null,
      },
    });
    const stored = lead
      ? (
          await tx.update(callbacksTable).set({ leadId: lead.leadId }).where(eq(callbacksTable.id, row!.id)).returning()
        )[0]!
      : row!;
    await tx
      .insert(callbackEventsTable)
      .values({ callbackId: stored.id, kind: 'requested', detail: { mode: input.mode }, createdAt: now });
    await enqueueWebhookEvent(tx, site.id, 'callback.requested', webhookData(stored, site, publicUrl));
    return { row: stored, leadId: lead?.leadId ?? null };
  });
  // Routed after the request committed (presence is not transactional); a failure leaves it in the queue for anyone.
  const routed = await routeNewCallbacks(deps, site.id, [result.row], now).catch((error: unknown) => {
    deps.logger.error('routing a callback failed', { error, callbackId: result.row.id });
    return [];
  });
  // Pushed only after commit: an agent never sees a callback that could still roll back.
  const [callback] = await toCallbacks(deps.db, [routed[0] ?? result.row]);
  deps.realtime.toSite(site.id, 'callback:new', callback!);
  if (result.leadId)
    await publishLead(deps, result.leadId).catch((error: unknown) => deps.logger.warn('lead push failed', { error }));
  // Asking for a call is the strongest buying signal scoring knows.
  if (input.visitorId)
    await recordSignal(deps.db, site.id, input.visitorId, 'callback_requested').catch((error: unknown) =>
      deps.logger.warn('callback signal failed', { error }),
    );
  return { row: result.row, callback: callback!, token };
}

/** The visitor's own request, by id and the token it got; anything else is "not found". */
export async function visitorCallback(db: Db, id: string, token: string): Promise<VisitorCallback> {
  if (!isUuid(id)) throw notFound('Callback');
  const [row] = await db
    .select()
    .from(callbacksTable)
    .where(and(eq(callbacksTable.id, id), eq(callbacksTable.visitorTokenHash, sha256(token))));
  if (!row) throw notFound('Callback');
  return toVisitorCallback(db, row);
}

export async function listCallbacks(
  db: Db,
  siteId: string,
  status: 'open' | 'done',
  limit: number,
): Promise<Callback[]> {
  const rows = await db
    .select()
    .from(callbacksTable)
    .where(
      and(
        eq(callbacksTable.siteId, siteId),
        status === 'open' ? ne(callbacksTable.status, 'done') : eq(callbacksTable.status, 'done'),
      ),
    )
    // Hot first, then warm, then cold, then by deadline: agents get the hot ones first.
    .orderBy(...(status === 'open' ? [temperatureOrder, asc(callbacksTable.dueAt)] : [desc(callbacksTable.updatedAt)]))
    .limit(limit);
  return toCallbacks(db, rows);
}

async function siteCallback(db: DbOrTx, siteId: string, id: string, lock = false): Promise<CallbackRow> {
  if (!isUuid(id)) throw notFound('Callback');
  const query = db
    .select()
    .from(callbacksTable)
    .where(and(eq(callbacksTable.id, id), eq(callbacksTable.siteId, siteId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('Callback');
  return row;
}

export async function publishCallback(
  deps: CallbackDeps,
  row: CallbackRow,
  event: 'callback:updated' | 'callback:overdue' = 'callback:updated',
) {
  const [callback] = await toCallbacks(deps.db, [row]);
  deps.realtime.toSite(row.siteId, event, callback!);
  return callback!;
}

/** "I'm calling": assigns the callback to the agent; the visitor's widget then shows "an agent is calling you". */
export async function takeCallback(
  deps: CallbackDeps,
  site: SiteRow,
  agent: AgentIdentity,
  id: string,
  publicUrl: string,
  now = new Date(),
) {
  const row = await deps.db.transaction(async (tx) => {
    const current = await siteCallback(tx, site.id, id, true);
    if (current.status === 'done') throw new AppError('conflict', 'This callback is already finished');
    if (current.status === 'calling' && current.assigneeId && current.assigneeId !== agent.id) {
      const names = await agentNames(tx, [current.assigneeId]);
      throw new AppError('conflict', `${names.get(current.assigneeId) ?? 'Another agent'} is already calling`, {
        assigneeId: current.assigneeId,
      });
    }
    if (current.status === 'calling' && current.assigneeId === agent.id) return current;
    const [updated] = await tx
      .update(callbacksTable)
      .set({
        status: 'calling',
        assigneeId: agent.id,
        routing: null,
        takenAt: now,
        attempts: sql`${callbacksTable.attempts} + 1`,
        updatedAt: now,
      })
      .where(eq(callbacksTable.id, current.id))
      .returning();
    await tx
      .insert(callbackEventsTable)
      .values({ callbackId: current.id, kind: 'taken', byAgentId: agent.id, toAgentId: agent.id, createdAt: now });
    await enqueueWebhookEvent(
      tx,
      site.id,
      'callback.updated',
      webhookData(updated!, site, publicUrl, { change: 'taken', agent: { id: agent.id, name: agent.name } }),
    );
    return updated!;
  });
  return publishCallback(deps, row);
}

const outcomeLabels: Record<CallbackOutcome, string> = {
  reached: 'Reached',
  no_answer: 'No answer',
  wrong_number: 'Wrong number',
  converted: 'Converted',
  not_interested: 'Not interested',
};

/**
 * Records how the call went. "No answer" with a retry time puts the callback back in the queue with
 * that deadline; every other outcome finishes it. Audited, on the lead's timeline, and sent as
 * `callback.updated`.
 */
export async function recordOutcome(
  deps: CallbackDeps,
  site: SiteRow,
  agent: AgentIdentity,
  id: string,
  input: { outcome: CallbackOutcome; note?: string | undefined; retryAt?: string | undefined },
  publicUrl: string,
  now = new Date(),
) {
  const retryAt = input.retryAt ? new Date(input.retryAt) : null;
  if (retryAt && retryAt.getTime() <= now.getTime())
    throw new AppError('validation_failed', 'The retry time must be in the future', [
      { path: ['retryAt'], message: 'in the past' },
    ]);
  const { row, leadId, label } = await deps.db.transaction(async (tx) => {
    const current = await siteCallback(tx, site.id, id, true);
    if (current.status === 'done') throw new AppError('conflict', 'This callback is already finished');
    const retry = input.outcome === 'no_answer' && retryAt !== null;
    const [updated] = await tx
      .update(callbacksTable)
      .set({
        status: retry ? 'pending' : 'done',
        outcome: input.outcome,
        note: input.note || null,
        assigneeId: current.assigneeId ?? agent.id,
        // A retry is a new deadline: the SLA job may flag it again.
        ...(retry ? { dueAt: retryAt, overdueAt: null, countdownEndsAt: null } : {}),
        // Recording an outcome without "take" still counts as one call.
        ...(current.status === 'pending' ? { attempts: sql`${callbacksTable.attempts} + 1` } : {}),
        updatedAt: now,
      })
      .where(eq(callbacksTable.id, current.id))
      .returning();
    await tx.insert(callbackEventsTable).values({
      callbackId: current.id,
      kind: 'outcome',
      byAgentId: agent.id,
      detail: { outcome: input.outcome, note: input.note ?? null, retryAt: retryAt?.toISOString() ?? null },
      createdAt: now,
    });
    const lead = await recordLeadTouch(tx, {
      siteId: site.id,
      channel: 'callback',
      kind: 'callback.outcome',
      contact: { name: current.name, phone: current.phone },
      visitorId: current.visitorId,
      ref: { type: 'callback', id: current.id },
      summary: `${outcomeLabels[input.outcome]}${retry ? `, retry at ${retryAt!.toISOString()}` : ''} (${agent.name})${input.note ? `: ${truncateReadable(input.note, 140)}` : ''}`,
      data: {
        outcome: input.outcome,
        note: input.note ?? null,
        retryAt: retryAt?.toISOString() ?? null,
        agentId: agent.id,
        agentName: agent.name,
      },
    });
    const label = lead ? await outcomeToLead(tx, lead.leadId, agent, input.outcome) : null;
    await enqueueWebhookEvent(
      tx,
      site.id,
      'callback.updated',
      webhookData(updated!, site, publicUrl, { change: 'outcome', agent: { id: agent.id, name: agent.name } }),
    );
    return { row: updated!, leadId: lead?.leadId ?? null, label };
  });
  const callback = await publishCallback(deps, row);
  if (leadId && label) await labelVisitorsOfLead(deps.db, { id: leadId, siteId: site.id }, label);
  if (leadId)
    await publishLead(deps, leadId).catch((error: unknown) => deps.logger.warn('lead push failed', { error }));
  return callback;
}

/**
 * A call's outcome moves its lead on (audited as the agent's change): converted → won, not interested
 * → lost, any other answer → contacted (only from new / open); an unassigned lead becomes the agent's.
 * Returns the won / lost label to give the person after commit.
 */
async function outcomeToLead(
  tx: DbOrTx,
  leadId: string,
  agent: AgentIdentity,
  outcome: CallbackOutcome,
): Promise<'won' | 'lost' | null> {
  const [lead] = await tx
    .select({ status: leadsTable.status, assigneeId: leadsTable.assigneeId })
    .from(leadsTable)
    .where(eq(leadsTable.id, leadId));
  if (!lead) return null;
  const status: LeadStatus | undefined =
    outcome === 'converted'
      ? 'won'
      : outcome === 'not_interested'
        ? 'lost'
        : lead.status === 'new' || lead.status === 'open'
          ? 'contacted'
          : undefined;
  const changed = await updateLead(
    tx,
    leadId,
    { id: agent.id, name: agent.name },
    { status, assigneeId: lead.assigneeId ? undefined : agent.id },
    `Callback outcome: ${outcomeLabels[outcome]}`,
  );
  return changed && (status === 'won' || status === 'lost') ? status : null;
}

const temperatureOrder = sql`case ${callbacksTable.temperature} when 'hot' then 0 when 'warm' then 1 when 'cold' then 2 else 3 end`;

/**
 * Callbacks in the routing round (routing/round.ts): the site's rules with channel "callback", sticky to
 * the agent who handled this person's lead before. `reassign`: away from the current assignee (never back
 * while someone else is eligible). One statement for any number of callbacks.
 */
async function callbackCandidates(db: DbOrTx, rows: CallbackRow[], reassign: boolean): Promise<RoutingCandidate[]> {
  const leadAgents = await previousLeadAgents(
    db,
    rows.flatMap((row) => (row.leadId ? [row.leadId] : [])),
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    id: row.id,
    trackerVisitorId: row.visitorId,
    url: row.pageUrl,
    language: row.language,
    temperature: row.temperature,
    previousAgentId: (row.leadId ? leadAgents.get(row.leadId) : undefined) ?? null,
    excludeAgentId: reassign ? row.assigneeId : null,
  }));
}

/** The agent of each lead's latest handled chat or callback (other than these callbacks), or the lead's owner. */
async function previousLeadAgents(db: DbOrTx, leadIds: string[], exclude: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(leadIds)];
  if (ids.length === 0) return new Map();
  const result = await db.execute(sql`
    select l.id as lead_id, coalesce(l.assignee_id, previous.agent_id) as agent_id
    from leads l
    left join lateral (
      select coalesce(c.assignee_id, cb.assignee_id) as agent_id
      from lead_touches t
      left join conversations c on t.ref_type = 'conversation' and c.id::text = t.ref_id
      left join callbacks cb on t.ref_type = 'callback' and cb.id::text = t.ref_id and not (cb.id::text = any(${`{${exclude.join(',')}}`}::text[]))
      where t.lead_id = l.id and coalesce(c.assignee_id, cb.assignee_id) is not null
      order by t.created_at desc limit 1
    ) previous on true
    where l.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`);
  const agents = new Map<string, string>();
  for (const row of rowsOf<{ lead_id: string; agent_id: string | null }>(result))
    if (row.agent_id) agents.set(row.lead_id, row.agent_id);
  return agents;
}

/**
 * Gives new callbacks of a site to an online agent by the routing rules (still pending: the agent calls,
 * or anyone takes it). Audited as `assigned` with the decision. Callbacks nobody can take now stay
 * unassigned in the queue, ordered by their temperature.
 */
export async function routeNewCallbacks(
  deps: CallbackDeps,
  siteId: string,
  rows: CallbackRow[],
  now = new Date(),
): Promise<CallbackRow[]> {
  if (rows.length === 0) return [];
  return deps.db.transaction(async (tx) => {
    const online = await onlineAgents(deps.realtime, siteId, tx);
    const { changed } = await routingRound(tx, siteId, newCallbackPort, rows, online, { now });
    return [...changed.values()];
  });
}

/** New callbacks: assigned while still pending and unassigned (audited `assigned`); the others take their temperature. */
const newCallbackPort: RoutingPort<'callback', CallbackRow, CallbackRow> = {
  kind: 'callback',
  candidates: (db, _siteId, rows) => callbackCandidates(db, rows, false),
  async markAssigned(tx, _siteId, outcomes, { now = new Date() }) {
    const changed = new Map<string, CallbackRow>();
    for (const { row, decision, temperature: decided } of outcomes) {
      const temperature = decided ?? row.temperature;
      const [updated] = await tx
        .update(callbacksTable)
        .set(decision ? { assigneeId: decision.agentId, routing: decision.routing, temperature } : { temperature })
        .where(
          and(eq(callbacksTable.id, row.id), eq(callbacksTable.status, 'pending'), isNull(callbacksTable.assigneeId)),
        )
        .returning();
      if (!updated) continue;
      if (decision) {
        await tx.insert(callbackEventsTable).values({
          callbackId: row.id,
          kind: 'assigned',
          toAgentId: decision.agentId,
          detail: { reason: 'routing', routing: decision.routing },
          createdAt: now,
        });
      }
      changed.set(row.id, updated);
    }
    return changed;
  },
};

/**
 * Re-routes open callbacks of one site that are unassigned or whose agent went offline (a visitor turned
 * hot). Pushes each change. Returns the callbacks that changed.
 */
export async function rerouteCallbacks(deps: CallbackDeps, siteId: string, rows: CallbackRow[], now = new Date()) {
  const routed = await routeNewCallbacks(
    deps,
    siteId,
    rows.filter((row) => row.status === 'pending' && !row.assigneeId),
    now,
  );
  for (const row of routed) await publishCallback(deps, row);
  return routed;
}

/** Overdue callbacks: each is flagged (once per deadline) and sent as `callback.overdue`; a decided one is reassigned and audited. */
const overduePort = (site: SiteRow, publicUrl: string): RoutingPort<'callback', CallbackRow, CallbackRow> => ({
  kind: 'callback',
  candidates: (db, _siteId, rows) => callbackCandidates(db, rows, true),
  async markAssigned(tx, _siteId, outcomes, { now = new Date() }) {
    const changed = new Map<string, CallbackRow>();
    for (const { row, decision } of outcomes) {
      const [flagged] = await tx
        .update(callbacksTable)
        .set({
          overdueAt: now,
          updatedAt: now,
          ...(decision ? { assigneeId: decision.agentId, routing: decision.routing } : {}),
        })
        .where(eq(callbacksTable.id, row.id))
        .returning();
      await tx
        .insert(callbackEventsTable)
        .values({ callbackId: row.id, kind: 'overdue', detail: { dueAt: row.dueAt.toISOString() }, createdAt: now });
      if (decision) {
        await tx.insert(callbackEventsTable).values({
          callbackId: row.id,
          kind: 'reassigned',
          toAgentId: decision.agentId,
          detail: { fromAgentId: row.assigneeId, reason: 'overdue', routing: decision.routing },
          createdAt: now,
        });
      }
      await enqueueWebhookEvent(
        tx,
        site.id,
        'callback.overdue',
        webhookData(flagged!, site, publicUrl, { overdueSince: row.dueAt.toISOString() }),
      );
      changed.set(row.id, flagged!);
    }
    return changed;
  },
});

/**
 * The SLA sweep: pending callbacks past their deadline are flagged overdue (once per deadline),
 * reassigned by the site's routing rules to an online agent other than the current one (or left for
 * anyone when nobody else is online), audited with the routing decision, and sent as `callback.overdue`.
 * Rows are claimed with `for update skip locked`, so several nodes can sweep at once without flagging a
 * row twice.
 */
export async function sweepOverdue(deps: CallbackDeps, publicUrl: string, now = new Date(), batch = 50) {
  const flagged = await deps.db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(callbacksTable)
      .where(
        and(eq(callbacksTable.status, 'pending'), isNull(callbacksTable.overdueAt), lte(callbacksTable.dueAt, now)),
      )
      .orderBy(asc(callbacksTable.dueAt))
      .limit(batch)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const siteRows = await tx
      .select()
      .from(sitesTable)
      .where(inArray(sitesTable.id, [...new Set(due.map((row) => row.siteId))]));
    const updated: CallbackRow[] = [];
    for (const site of siteRows) {
      const rows = due.filter((row) => row.siteId === site.id);
      const online = await onlineAgents(deps.realtime, site.id, tx);
      const { changed } = await routingRound(tx, site.id, overduePort(site, publicUrl), rows, online, { now });
      updated.push(...changed.values());
    }
    return updated;
  });
  for (const row of flagged) await publishCallback(deps, row, 'callback:overdue');
  return flagged;
}

/** Callbacks for routing's jobs (registered at server start): open callbacks take a visitor's new temperature. */
export const callbackRoutedWork: RoutedWork = {
  name: 'callbacks',
  async waiting(db, visitors) {
    const keys = JSON.stringify(visitors.map(({ siteId, visitorId }) => ({ site_id: siteId, visitor_id: visitorId })));
    const rows = rowsOf<{ site_id: string; visitor_id: string }>(
      await db.execute(sql`
        select k.site_id, k.visitor_id from jsonb_to_recordset(${keys}::jsonb) as k(site_id uuid, visitor_id text)
        where exists (select 1 from ${callbacksTable} cb where cb.site_id = k.site_id and cb.visitor_id = k.visitor_id and cb.status <> 'done')`),
    );
    return rows.map((row) => ({ siteId: row.site_id, visitorId: row.visitor_id }));
  },
  async temperatureChanged(deps, change) {
    const callbacks = await deps.db
      .update(callbacksTable)
      .set({ temperature: change.temperature })
      .where(
        sql`${callbacksTable.siteId} = ${change.siteId}::uuid and ${callbacksTable.visitorId} = ${change.visitorId} and ${callbacksTable.status} <> 'done'`,
      )
      .returning();
    // Hot: the ones nobody has are routed again (each pushed as it changes).
    const rerouted =
      change.temperature === 'hot' && callbacks.length ? await rerouteCallbacks(deps, change.siteId, callbacks) : [];
    for (const row of callbacks) if (!rerouted.some((done) => done.id === row.id)) await publishCallback(deps, row);
  },
};
