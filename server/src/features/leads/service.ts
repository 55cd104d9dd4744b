import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { LeadChannel, LeadSummary } from '@beckon/sdk/protocol';
import type { AppDeps } from '../../app-env.js';
import type { DbOrTx } from '../../db/client.js';
import { agentsTable, leadAuditTable, leadTouchesTable, leadVisitorsTable, leadsTable, type LeadRow } from '../../db/schema.js';
import { syncLeadScore } from './scoring-link.js';
import { enqueueWebhookEvent } from '../webhooks/outbox.js';
import { truncate, truncateReadable } from '@beckon/sdk/core';

export interface LeadTouch {
  siteId: string;
  channel: 'chat' | 'callback' | 'feedback';
  /** Timeline entry kind, e.g. 'callback.requested', 'callback.outcome', 'feedback.submitted', 'chat.started', 'chat.offline_message'. */
  kind: string;
  contact: { name?: string | null; email?: string | null; phone?: string | null }; // phone E.164 when known
  /** Behaviour-stream visitor id (the tracker's visitorId), when known: links the lead to its pages and score. */
  visitorId?: string | null;
  ref?: { type: 'callback' | 'feedback' | 'conversation'; id: string };
  summary: string; // one line for the timeline
  data?: Record<string, unknown>; // details for the lead page
}

/** The dedupe key for emails: case and surrounding spaces never make a second person. */
export function normaliseEmail(email: string | null | undefined): string | null {
  const value = email?.trim().toLowerCase();
  return value && value.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(value) ? value : null;
}

/** E.164 only (callers parse with libphonenumber-js); spaces and dashes a caller left in are dropped. */
export function normalisePhone(phone: string | null | undefined): string | null {
  const value = phone?.replace(/[\s().-]/g, '');
  return value && /^\+[1-9]\d{6,14}$/.test(value) ? value : null;
}

const cleanName = (name: string | null | undefined) => {
  const value = name?.trim().replace(/\s+/g, ' ');
  return value ? truncateReadable(value, 200) : null;
};

/**
 * Serialises lead lookups per identity (site + email / phone / visitor id) for the rest of the caller's
 * transaction, so two touches of one new person arriving at once (chat and callback, two nodes) make one
 * lead. Keys are taken in sorted order so two transactions cannot deadlock on them.
 */
async function lockIdentities(db: DbOrTx, siteId: string, keys: string[]) {
  for (const key of [...new Set(keys)].sort()) {
    await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`lead:${siteId}:${key}`}, 0))`);
  }
}

/**
 * Finds the lead by normalised email / E.164 phone (dedupe; merges contact fields), or by visitorId,
 * else creates one; appends the touch to its timeline; enqueues lead.created / lead.updated webhooks —
 * all inside the caller's transaction. Returns null when the touch carries no identity at all
 * (anonymous NPS without email or visitor id is not a lead).
 */
export async function recordLeadTouch(db: DbOrTx, touch: LeadTouch): Promise<{ leadId: string; created: boolean } | null> {
  const email = normaliseEmail(touch.contact.email);
  const phone = normalisePhone(touch.contact.phone);
  const name = cleanName(touch.contact.name);
  const visitorId = truncate(touch.visitorId?.trim() ?? '', 100) || null;
  if (!email && !phone && !visitorId) return null;

  // A savepoint inside the caller's transaction, or a transaction of its own when given the database.
  return db.transaction(async (tx) => {
    await lockIdentities(tx, touch.siteId, [email && `email:${email}`, phone && `phone:${phone}`, visitorId && `visitor:${visitorId}`].filter((key): key is string => Boolean(key)));

    const contactMatch: SQL[] = [];
    if (email) contactMatch.push(eq(leadsTable.email, email));
    if (phone) contactMatch.push(eq(leadsTable.phone, phone));
    const byContact = contactMatch.length
      ? await tx.select().from(leadsTable).where(and(eq(leadsTable.siteId, touch.siteId), or(...contactMatch))).orderBy(asc(leadsTable.createdAt), asc(leadsTable.id))
      : [];
    // A visitor id only decides when the contact does not: a shared computer must not merge two people who gave their emails.
    const byVisitor =
      visitorId && byContact.length === 0
        ? await tx
            .select({ lead: leadsTable })
            .from(leadVisitorsTable)
            .innerJoin(leadsTable, eq(leadsTable.id, leadVisitorsTable.leadId))
            .where(and(eq(leadVisitorsTable.siteId, touch.siteId), eq(leadVisitorsTable.visitorId, visitorId)))
            .then((rows) => rows.map((row) => row.lead))
            // Someone else on that browser: a different email or phone than the lead has is another person.
            .then((leads) => leads.filter((lead) => !(email && lead.email && lead.email !== email) && !(phone && lead.phone && lead.phone !== phone)))
        : [];
    const matches = byContact.length ? byContact : byVisitor;

    const now = new Date();
    let lead: LeadRow;
    let created = false;
    if (matches.length === 0) {
      [lead] = (await tx
        .insert(leadsTable)
        .values({ siteId: touch.siteId, name, email, phone, channels: [touch.channel], createdAt: now, updatedAt: now })
        .returning()) as [LeadRow];
      created = true;
    } else {
      lead = matches[0]!;
      const audits: (typeof leadAuditTable.$inferInsert)[] = [];
      for (const other of matches.slice(1)) {
        audits.push({
          leadId: lead.id,
          field: 'duplicate',
          fromValue: null,
          toValue: other.id,
          note: `This touch also matches a newer lead (${[other.email, other.phone].filter(Boolean).join(', ')}); it was attached to this, the older one`,
        });
      }
      // Fill what the lead lacks; never overwrite what an earlier touch or an agent already knew.
      const changes: Partial<Pick<LeadRow, 'name' | 'email' | 'phone'>> = {};
      if (name && !lead.name) changes.name = name;
      if (email && !lead.email) changes.email = email;
      if (phone && !lead.phone) changes.phone = phone;
      for (const [field, value] of Object.entries(changes)) {
        audits.push({ leadId: lead.id, field, fromValue: null, toValue: value, note: `from a ${touch.channel} touch` });
      }
      const channels: LeadChannel[] = lead.channels.includes(touch.channel) ? lead.channels : [...lead.channels, touch.channel];
      [lead] = (await tx
        .update(leadsTable)
        .set({ ...changes, channels, updatedAt: now })
        .where(eq(leadsTable.id, lead.id))
        .returning()) as [LeadRow];
      if (audits.length) await tx.insert(leadAuditTable).values(audits);
    }

    if (visitorId) {
      await tx.insert(leadVisitorsTable).values({ siteId: touch.siteId, visitorId, leadId: lead.id }).onConflictDoNothing();
      lead = await syncLeadScore(tx, lead);
    }
    const [inserted] = await tx
      .insert(leadTouchesTable)
      .values({
        leadId: lead.id,
        channel: touch.channel,
        kind: truncate(touch.kind, 80),
        summary: truncateReadable(touch.summary, 500),
        refType: touch.ref?.type ?? null,
        refId: touch.ref?.id ?? null,
        data: touch.data ?? {},
        createdAt: now,
      })
      .returning();
    const [summary] = await summariseLeads(tx, [lead]);
    await enqueueWebhookEvent(tx, touch.siteId, created ? 'lead.created' : 'lead.updated', {
      lead: summary,
      touch: { channel: inserted!.channel, kind: inserted!.kind, summary: inserted!.summary, ref: touch.ref ?? null, data: inserted!.data, at: now.toISOString() },
    });
    return { leadId: lead.id, created };
  });
}

/** Leads as the table and the push show them: assignee names and the latest touch read in two queries. */
export async function summariseLeads(db: DbOrTx, rows: LeadRow[]): Promise<LeadSummary[]> {
  if (rows.length === 0) return [];
  const agentIds = [...new Set(rows.map((row) => row.assigneeId).filter((id): id is string => Boolean(id)))];
  const names = new Map(
    agentIds.length ? (await db.select({ id: agentsTable.id, name: agentsTable.name }).from(agentsTable).where(inArray(agentsTable.id, agentIds))).map((a) => [a.id, a.name]) : [],
  );
  const latest = await db
    .selectDistinctOn([leadTouchesTable.leadId], { leadId: leadTouchesTable.leadId, kind: leadTouchesTable.kind, summary: leadTouchesTable.summary, at: leadTouchesTable.createdAt })
    .from(leadTouchesTable)
    .where(inArray(leadTouchesTable.leadId, rows.map((row) => row.id)))
    .orderBy(leadTouchesTable.leadId, desc(leadTouchesTable.createdAt), desc(leadTouchesTable.id));
  const lastTouch = new Map(latest.map((touch) => [touch.leadId, touch]));
  return rows.map((row) => {
    const touch = lastTouch.get(row.id);
    return {
      id: row.id,
      siteId: row.siteId,
      status: row.status,
      name: row.name,
      email: row.email,
      phone: row.phone,
      channels: row.channels,
      temperature: row.temperature,
      score: row.score,
      assignee: row.assigneeId ? { id: row.assigneeId, name: names.get(row.assigneeId) ?? 'Former agent' } : null,
      outcomeNote: row.outcomeNote,
      lastTouch: touch ? { kind: touch.kind, summary: touch.summary, at: touch.at.toISOString() } : null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  });
}

/** After commit: pushes `lead:updated` (summary) to the site's agents over the Realtime port. */
export async function publishLead(deps: Pick<AppDeps, 'db' | 'realtime'>, leadId: string): Promise<void> {
  const [row] = await deps.db.select().from(leadsTable).where(eq(leadsTable.id, leadId));
  if (!row) return;
  const [summary] = await summariseLeads(deps.db, [row]);
  deps.realtime.toSite(row.siteId, 'lead:updated', summary!);
}
