import { and, asc, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { LeadChannel, LeadStatus, LeadSummary, LostReason, PersonRef } from '@beckon/sdk/protocol';
import { formerAgentName } from '@beckon/sdk/protocol';
import type { AppDeps } from '../../app-env.js';
import { inTransaction, type DbOrTx } from '../../db/client.js';
import {
  agentsTable,
  leadAuditTable,
  leadTouchesTable,
  leadVisitorsTable,
  leadsTable,
  type LeadRow,
} from '../../db/schema.js';
import { syncLeadScore } from './scoring-link.js';
import { enqueueWebhookEvent } from '../webhooks/index.js';
import { truncate, truncateReadable } from '@beckon/sdk/core';
import {
  cleanName,
  identifyPerson,
  lockIdentities,
  normaliseEmail,
  normalisePhone,
  personRef,
  personRefsById,
} from '../persons/index.js';

export interface LeadTouch {
  siteId: string;
  channel: 'chat' | 'callback' | 'feedback';
  /** Timeline entry kind, e.g. 'callback.requested', 'callback.outcome', 'feedback.submitted', 'chat.started', 'chat.offline_message'. */
  kind: string;
  contact: { name?: string | null; email?: string | null; phone?: string | null }; // phone E.164 when known
  /** Behaviour-stream visitor id (the tracker's visitorId), when known: links the lead to its pages and score. */
  visitorId?: string | null;
  /** The chat visitor of a chat touch, and the other tracker ids it had: the person's browser. */
  chatVisitorId?: string | null;
  otherVisitorIds?: readonly string[];
  /** What a new person's label derives from: the label the inbox already shows for this chat visitor. */
  labelSeed?: string | null;
  ref?: { type: 'callback' | 'feedback' | 'conversation'; id: string };
  summary: string; // one line for the timeline
  data?: Record<string, unknown>; // details for the lead page
}

export { normaliseEmail, normalisePhone } from '../persons/index.js';

/**
 * Finds the lead by normalised email / E.164 phone (dedupe; merges contact fields), or by visitorId,
 * else creates one; appends the touch to its timeline; enqueues lead.created / lead.updated webhooks —
 * all inside the caller's transaction. Returns null when the touch carries no identity at all
 * (anonymous NPS without email or visitor id is not a lead).
 */
export async function recordLeadTouch(
  db: DbOrTx,
  touch: LeadTouch,
): Promise<{ leadId: string; personId: string; created: boolean; summary: LeadSummary } | null> {
  const email = normaliseEmail(touch.contact.email);
  const phone = normalisePhone(touch.contact.phone);
  const name = cleanName(touch.contact.name);
  const visitorId = truncate(touch.visitorId?.trim() ?? '', 100) || null;
  if (!email && !phone && !visitorId) return null;

  // Inside the caller's transaction, or a transaction of its own when given the database.
  return inTransaction(db, async (tx) => {
    const locked = lockIdentities(
      tx,
      'lead',
      touch.siteId,
      [email && `email:${email}`, phone && `phone:${phone}`, visitorId && `visitor:${visitorId}`].filter(
        (key): key is string => Boolean(key),
      ),
    );
    // The person first (its own locks, always after the lead's: issued after them on the transaction's
    // connection, they leave in the same round trip and PostgreSQL takes them in that order): a lead is one
    // person's, so a person merged from another browser brings that browser's touches to the same lead.
    const [, identified] = await Promise.all([
      locked,
      identifyPerson(tx, {
        siteId: touch.siteId,
        visitorIds: [visitorId, ...(touch.otherVisitorIds ?? [])],
        chatVisitorId: touch.chatVisitorId ?? null,
        contact: { name, email, phone },
        source: touch.channel,
        labelSeed: touch.labelSeed,
      }),
    ]);
    const person = identified!;

    const contactMatch: SQL[] = [];
    if (email) contactMatch.push(eq(leadsTable.email, email));
    if (phone) contactMatch.push(eq(leadsTable.phone, phone));
    // The three look-ups leave together (one round trip); which one decides is chosen here.
    const [byContact, visitorLeads, personLeads] = await Promise.all([
      contactMatch.length
        ? tx
            .select()
            .from(leadsTable)
            .where(and(eq(leadsTable.siteId, touch.siteId), or(...contactMatch)))
            .orderBy(asc(leadsTable.createdAt), asc(leadsTable.id))
        : Promise.resolve([] as LeadRow[]),
      visitorId
        ? tx
            .select({ lead: leadsTable })
            .from(leadVisitorsTable)
            .innerJoin(leadsTable, eq(leadsTable.id, leadVisitorsTable.leadId))
            .where(and(eq(leadVisitorsTable.siteId, touch.siteId), eq(leadVisitorsTable.visitorId, visitorId)))
            .then((rows) => rows.map((row) => row.lead))
        : Promise.resolve([] as LeadRow[]),
      tx
        .select()
        .from(leadsTable)
        .where(and(eq(leadsTable.siteId, touch.siteId), eq(leadsTable.personId, person.personId)))
        .orderBy(asc(leadsTable.createdAt), asc(leadsTable.id)),
    ]);
    // A visitor id only decides when the contact does not: a shared computer must not merge two people who
    // gave their emails; and someone else on that browser (another email or phone than the lead has) is
    // another person.
    const byVisitor = byContact.length
      ? []
      : visitorLeads.filter(
          (lead) => !(email && lead.email && lead.email !== email) && !(phone && lead.phone && lead.phone !== phone),
        );
    const byPerson = byContact.length ? [] : personLeads;
    const matches = byContact.length ? byContact : byPerson.length ? byPerson : byVisitor;

    const now = new Date();
    let lead: LeadRow;
    let created = false;
    if (matches.length === 0) {
      [lead] = (await tx
        .insert(leadsTable)
        .values({
          siteId: touch.siteId,
          name,
          email,
          phone,
          channels: [touch.channel],
          personId: person.personId,
          createdAt: now,
          updatedAt: now,
        })
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
      const channels: LeadChannel[] = lead.channels.includes(touch.channel)
        ? lead.channels
        : [...lead.channels, touch.channel];
      [lead] = (await tx
        .update(leadsTable)
        .set({ ...changes, channels, ...(lead.personId ? {} : { personId: person.personId }), updatedAt: now })
        .where(eq(leadsTable.id, lead.id))
        .returning()) as [LeadRow];
      if (audits.length) await tx.insert(leadAuditTable).values(audits);
    }

    // The browser's link and the touch leave together; the score follows the link.
    const current = lead;
    const [synced, [inserted]] = await Promise.all([
      visitorId
        ? tx
            .insert(leadVisitorsTable)
            .values({ siteId: touch.siteId, visitorId, leadId: current.id })
            .onConflictDoNothing()
            // A new lead's only browser is this one.
            .then(() => syncLeadScore(tx, current, created ? [visitorId] : undefined))
        : Promise.resolve(current),
      tx
        .insert(leadTouchesTable)
        .values({
          leadId: current.id,
          channel: touch.channel,
          kind: truncate(touch.kind, 80),
          summary: truncateReadable(touch.summary, 500),
          refType: touch.ref?.type ?? null,
          refId: touch.ref?.id ?? null,
          data: touch.data ?? {},
          createdAt: now,
        })
        .returning(),
    ]);
    lead = synced;
    // The touch just written is the lead's latest, and its person the one just identified (unless the lead
    // matched by contact belongs to another): neither is read again.
    const [summary] = await summariseLeads(tx, [lead], {
      lastTouches: new Map([
        [
          lead.id,
          {
            kind: inserted!.kind,
            summary: inserted!.summary,
            data: inserted!.data,
            at: inserted!.createdAt.toISOString(),
          },
        ],
      ]),
      persons: new Map([[person.personId, personRef(person.person)]]),
    });
    await enqueueWebhookEvent(tx, touch.siteId, created ? 'lead.created' : 'lead.updated', {
      lead: summary!,
      touch: {
        channel: inserted!.channel,
        kind: inserted!.kind,
        summary: inserted!.summary,
        ref: touch.ref ?? null,
        data: inserted!.data,
        at: now.toISOString(),
      },
    });
    return { leadId: lead.id, personId: lead.personId ?? person.personId, created, summary: summary! };
  });
}

/** A lead's latest touch as its summary shows it. */
type LastTouch = NonNullable<LeadSummary['lastTouch']>;

/**
 * Leads as the table and the push show them: assignee names, the latest touch and the person read in
 * one round trip. What the caller already `known` (a touch it just wrote, the person it just identified)
 * is not read again.
 */
export async function summariseLeads(
  db: DbOrTx,
  rows: LeadRow[],
  known: { lastTouches?: ReadonlyMap<string, LastTouch>; persons?: ReadonlyMap<string, PersonRef> } = {},
): Promise<LeadSummary[]> {
  if (rows.length === 0) return [];
  const agentIds = [...new Set(rows.map((row) => row.assigneeId).filter((id): id is string => Boolean(id)))];
  const touchesToRead = rows.filter((row) => !known.lastTouches?.has(row.id)).map((row) => row.id);
  const personsToRead = rows.map((row) => row.personId).filter((id) => id && !known.persons?.has(id));
  // The three reads leave together: one round trip.
  const [agents, latest, persons] = await Promise.all([
    agentIds.length
      ? db
          .select({ id: agentsTable.id, name: agentsTable.name })
          .from(agentsTable)
          .where(inArray(agentsTable.id, agentIds))
      : Promise.resolve([]),
    touchesToRead.length === 0
      ? Promise.resolve([])
      : db
          .selectDistinctOn([leadTouchesTable.leadId], {
            leadId: leadTouchesTable.leadId,
            kind: leadTouchesTable.kind,
            summary: leadTouchesTable.summary,
            data: leadTouchesTable.data,
            at: leadTouchesTable.createdAt,
          })
          .from(leadTouchesTable)
          .where(inArray(leadTouchesTable.leadId, touchesToRead))
          .orderBy(leadTouchesTable.leadId, desc(leadTouchesTable.createdAt), desc(leadTouchesTable.id)),
    personRefsById(db, personsToRead),
  ]);
  const names = new Map(agents.map((a) => [a.id, a.name]));
  const lastTouch = new Map<string, LastTouch>(known.lastTouches);
  for (const touch of latest)
    lastTouch.set(touch.leadId, {
      kind: touch.kind,
      summary: touch.summary,
      data: touch.data,
      at: touch.at.toISOString(),
    });
  for (const [id, person] of known.persons ?? []) persons.set(id, person);
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
      assignee: row.assigneeId ? { id: row.assigneeId, name: names.get(row.assigneeId) ?? formerAgentName } : null,
      outcomeNote: row.outcomeNote,
      lostReason: row.lostReason,
      lostReasonText: row.lostReasonText,
      person: (row.personId && persons.get(row.personId)) || null,
      lastTouch: touch ?? null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  });
}

/** After commit: pushes `lead:updated` (summary) to the site's agents over the Realtime port. */
/**
 * Pushes a lead to its site's dashboards as a touch's transaction left it (`recordLeadTouch`'s summary):
 * after the commit, with no query. A change made since then is pushed by whoever made it.
 */
export function announceLead(deps: Pick<AppDeps, 'realtime'>, summary: LeadSummary): void {
  deps.realtime.toSite(summary.siteId, 'lead:updated', summary);
}

export async function publishLead(deps: Pick<AppDeps, 'db' | 'realtime'>, leadId: string): Promise<void> {
  const [row] = await deps.db.select().from(leadsTable).where(eq(leadsTable.id, leadId));
  if (!row) return;
  const [summary] = await summariseLeads(deps.db, [row]);
  deps.realtime.toSite(row.siteId, 'lead:updated', summary!);
}

/** Statuses that mean an agent has been in touch (the first one reached is the lead's first contact). */
const contactStatuses = new Set<LeadStatus>(['open', 'contacted', 'won', 'lost']);

/**
 * Changes a lead's status, assignee or outcome note inside the caller's transaction: the row lock orders
 * concurrent edits (so each audit row's "from" is what the editor replaced), one audit row per changed
 * field, and `lead.updated`. `by` null is Beckon itself. Returns whether anything changed.
 */
export async function updateLead(
  tx: DbOrTx,
  leadId: string,
  by: { id: string; name: string } | null,
  patch: {
    status?: LeadStatus | undefined;
    assigneeId?: string | null | undefined;
    outcomeNote?: string | null | undefined;
    /** With status `lost` only (the route validates it); `other` comes with `lostReasonText`. */
    lostReason?: LostReason | undefined;
    lostReasonText?: string | undefined;
  },
  note: string | null = null,
): Promise<boolean> {
  const [lead] = await tx.select().from(leadsTable).where(eq(leadsTable.id, leadId)).for('update');
  if (!lead) return false;
  const changes: {
    field: 'status' | 'assignee' | 'outcomeNote' | 'lostReason';
    from: string | null;
    to: string | null;
  }[] = [];
  const set: Partial<
    Pick<
      LeadRow,
      | 'status'
      | 'assigneeId'
      | 'outcomeNote'
      | 'firstContactedAt'
      | 'firstContactTemperature'
      | 'closedAt'
      | 'lostReason'
      | 'lostReasonText'
    >
  > = {};
  const now = new Date();
  if (patch.status !== undefined && patch.status !== lead.status) {
    changes.push({ field: 'status', from: lead.status, to: patch.status });
    set.status = patch.status;
    // Reports: the first move out of `new` is the first contact; keep the temperature it had then.
    if (lead.firstContactedAt === null && lead.status === 'new' && contactStatuses.has(patch.status)) {
      set.firstContactedAt = now;
      set.firstContactTemperature = lead.temperature;
    }
    set.closedAt = patch.status === 'won' || patch.status === 'lost' ? now : null;
  }
  // A reason describes the current loss: kept while lost, replaced by a new one, cleared on leaving `lost`.
  const nextStatus = set.status ?? lead.status;
  const lostReason = nextStatus === 'lost' ? (patch.lostReason ?? (set.status ? null : lead.lostReason)) : null;
  const lostReasonText = lostReason === 'other' ? (patch.lostReasonText ?? lead.lostReasonText) : null;
  if (lostReason !== lead.lostReason || lostReasonText !== lead.lostReasonText) {
    changes.push({
      field: 'lostReason',
      from: lead.lostReason && [lead.lostReason, lead.lostReasonText].filter(Boolean).join(': '),
      to: lostReason && [lostReason, lostReasonText].filter(Boolean).join(': '),
    });
    set.lostReason = lostReason;
    set.lostReasonText = lostReasonText;
  }
  if (patch.assigneeId !== undefined && patch.assigneeId !== lead.assigneeId) {
    changes.push({ field: 'assignee', from: lead.assigneeId, to: patch.assigneeId });
    set.assigneeId = patch.assigneeId;
  }
  const outcomeNote = patch.outcomeNote === undefined ? undefined : patch.outcomeNote || null;
  if (outcomeNote !== undefined && outcomeNote !== lead.outcomeNote) {
    changes.push({ field: 'outcomeNote', from: lead.outcomeNote, to: outcomeNote });
    set.outcomeNote = outcomeNote;
  }
  if (changes.length === 0) return false;
  const [updated] = (await tx
    .update(leadsTable)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(leadsTable.id, lead.id))
    .returning()) as [LeadRow];
  await tx.insert(leadAuditTable).values(
    changes.map((change) => ({
      leadId: lead.id,
      byAgentId: by?.id ?? null,
      field: change.field,
      fromValue: change.from,
      toValue: change.to,
      note,
    })),
  );
  const [summary] = await summariseLeads(tx, [updated]);
  // Only who it was: callers pass the whole agent, whose email and role are not the CRM's business.
  await enqueueWebhookEvent(tx, lead.siteId, 'lead.updated', {
    lead: summary!,
    changes,
    by: by && { id: by.id, name: by.name },
  });
  return true;
}
