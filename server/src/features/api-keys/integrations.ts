/**
 * The integration endpoints' writes, and the one module of this feature that calls into other features
 * (sites, leads, persons, callbacks, webhooks): upsert by external id, closing a callback, bulk outcomes.
 */
import { and, asc, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type {
  bulkOutcomesSchema,
  callbackCloseSchema,
  leadUpsertSchema,
  ApiLead,
  BulkOutcomeResult,
  Outcome,
} from '@beckon/sdk/protocol';
import type { z } from 'zod';
import type { AgentIdentity, AppDeps } from '../../app-env.js';
import {
  callbacksTable,
  leadAuditTable,
  leadsTable,
  personsTable,
  type PersonRow,
  type SiteRow,
} from '../../db/schema.js';
import { AppError, notFound } from '../../lib/errors.js';
import { recordCallbackOutcome as recordOutcome } from '../callbacks/index.js';
import { labelVisitorsOfLead, publishLead, setPersonOutcome, summariseLeads, updateLead } from '../leads/index.js';
import { findPersonByContact, normaliseEmail, normalisePhone } from '../persons/index.js';
import { getVisibleSite } from '../sites/index.js';
import { enqueueWebhookEvent } from '../webhooks/index.js';
import { toApiCallback, toApiLead } from './sync.js';

export { getVisibleSite };
export { applyOutcomes } from '../scoring/index.js';
export { publicUrlOf } from '../callbacks/index.js';

type LeadRow = typeof leadsTable.$inferSelect;
type Deps = Pick<AppDeps, 'db' | 'realtime' | 'logger'>;

export async function leadByExternalId(deps: Pick<AppDeps, 'db'>, site: SiteRow, externalId: string): Promise<ApiLead> {
  const [row] = await deps.db
    .select()
    .from(leadsTable)
    .where(and(eq(leadsTable.siteId, site.id), eq(leadsTable.externalId, externalId)));
  if (!row) throw notFound('Lead');
  return toApiLead(row);
}

/**
 * Creates or changes the lead a CRM knows by `externalId`. A new id first claims the site's oldest lead
 * with the same email or phone that has no external id yet (the lead Beckon already made from a chat or
 * a callback), else creates a lead. Only the fields sent change; every change is audited as the key's
 * creator and sent as `lead.created` / `lead.updated`. Serialised per external id by an advisory lock.
 */
export async function upsertLeadByExternalId(
  deps: Deps,
  site: SiteRow,
  by: AgentIdentity,
  externalId: string,
  input: z.output<typeof leadUpsertSchema>,
): Promise<{ lead: ApiLead; created: boolean }> {
  const email = input.email === undefined ? undefined : input.email === null ? null : normaliseEmail(input.email);
  const phone = input.phone === undefined ? undefined : input.phone === null ? null : normalisePhone(input.phone);
  if (input.email && !email)
    throw new AppError('validation_failed', 'email is not a valid address', [{ path: ['email'], message: 'invalid' }]);
  if (input.phone && !phone)
    throw new AppError('validation_failed', 'phone must be in international format, like +4930123456', [
      { path: ['phone'], message: 'not E.164' },
    ]);
  const who = { id: by.id, name: by.name };
  const note = 'through the API';

  const { lead, created } = await deps.db.transaction(async (tx) => {
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${`lead-external:${site.id}:${externalId}`}, 0))`,
    );
    let [lead] = await tx
      .select()
      .from(leadsTable)
      .where(and(eq(leadsTable.siteId, site.id), eq(leadsTable.externalId, externalId)))
      .for('update');
    let created = false;
    if (!lead) {
      const byContact: SQL[] = [];
      if (email) byContact.push(eq(leadsTable.email, email));
      if (phone) byContact.push(eq(leadsTable.phone, phone));
      const [match] = byContact.length
        ? await tx
            .select()
            .from(leadsTable)
            .where(and(eq(leadsTable.siteId, site.id), isNull(leadsTable.externalId), or(...byContact)))
            .orderBy(asc(leadsTable.createdAt), asc(leadsTable.id))
            .limit(1)
            .for('update')
        : [];
      if (match) {
        [lead] = (await tx
          .update(leadsTable)
          .set({ externalId, updatedAt: new Date() })
          .where(eq(leadsTable.id, match.id))
          .returning()) as [LeadRow];
      } else {
        [lead] = (await tx
          .insert(leadsTable)
          .values({
            siteId: site.id,
            externalId,
            name: input.name ?? null,
            email: email ?? null,
            phone: phone ?? null,
            status: input.status ?? 'new',
            outcomeNote: input.outcomeNote ?? null,
          })
          .returning()) as [LeadRow];
        created = true;
      }
      await tx.insert(leadAuditTable).values({
        leadId: lead!.id,
        byAgentId: by.id,
        field: 'externalId',
        fromValue: null,
        toValue: externalId,
        note,
      });
    }
    let current = lead!;
    if (!created) {
      const contact: Partial<Pick<LeadRow, 'name' | 'email' | 'phone'>> = {};
      if (input.name !== undefined && input.name !== current.name) contact.name = input.name;
      if (email !== undefined && email !== current.email) contact.email = email;
      if (phone !== undefined && phone !== current.phone) contact.phone = phone;
      const changes = Object.entries(contact) as [keyof typeof contact, string | null][];
      if (changes.length) {
        await tx.insert(leadAuditTable).values(
          changes.map(([field, to]) => ({
            leadId: current.id,
            byAgentId: by.id,
            field,
            fromValue: current[field],
            toValue: to,
            note,
          })),
        );
        [current] = (await tx
          .update(leadsTable)
          .set({ ...contact, updatedAt: new Date() })
          .where(eq(leadsTable.id, current.id))
          .returning()) as [LeadRow];
        const [summary] = await summariseLeads(tx, [current]);
        await enqueueWebhookEvent(tx, site.id, 'lead.updated', {
          lead: summary!,
          changes: changes.map(([field, to]) => ({ field, to })),
          by: who,
        });
      }
      if (input.status !== undefined || input.outcomeNote !== undefined) {
        await updateLead(tx, current.id, who, { status: input.status, outcomeNote: input.outcomeNote }, note);
        [current] = (await tx.select().from(leadsTable).where(eq(leadsTable.id, current.id))) as [LeadRow];
      }
    } else {
      const [summary] = await summariseLeads(tx, [current]);
      await enqueueWebhookEvent(tx, site.id, 'lead.created', { lead: summary!, touch: null, by: who });
    }
    return { lead: current, created };
  });
  if (input.status !== undefined) await labelVisitorsOfLead(deps.db, lead, lead.status);
  await publishLead(deps, lead.id);
  return { lead: toApiLead(lead), created };
}

/** Closes a callback with an outcome through the callbacks feature's own `recordOutcome` (audited, webhook). */
export async function closeCallback(
  deps: Deps,
  site: SiteRow,
  by: AgentIdentity,
  callbackId: string,
  input: z.output<typeof callbackCloseSchema>,
  publicUrl: string,
) {
  await recordOutcome(deps, site, by, callbackId, input, publicUrl);
  const [row] = await deps.db.select().from(callbacksTable).where(eq(callbacksTable.id, callbackId));
  return toApiCallback(row!);
}

async function livePerson(
  deps: Pick<AppDeps, 'db'>,
  siteId: string,
  personId: string | null,
): Promise<PersonRow | null> {
  if (!personId) return null;
  let [person] = await deps.db
    .select()
    .from(personsTable)
    .where(and(eq(personsTable.id, personId), eq(personsTable.siteId, siteId)));
  for (let hops = 0; person?.mergedInto && hops < 10; hops++)
    [person] = await deps.db.select().from(personsTable).where(eq(personsTable.id, person.mergedInto));
  return person ?? null;
}

/**
 * Won / lost (or cleared) for each match, in order, through the persons feature's `setPersonOutcome` (the
 * person's lead, the person and every browser, audited) — or, for a lead without a person, the lead's
 * status. Unknown matches are reported, not errors.
 */
export async function bulkOutcomes(
  deps: Deps,
  site: SiteRow,
  by: AgentIdentity,
  input: z.output<typeof bulkOutcomesSchema>,
): Promise<BulkOutcomeResult[]> {
  const results: BulkOutcomeResult[] = [];
  const who = { id: by.id, name: by.name };
  for (const [index, item] of input.outcomes.entries()) {
    const { match } = item;
    let lead: LeadRow | undefined;
    let person: PersonRow | null = null;
    if ('leadId' in match)
      [lead] = await deps.db
        .select()
        .from(leadsTable)
        .where(and(eq(leadsTable.siteId, site.id), eq(leadsTable.id, match.leadId)));
    else if ('externalId' in match)
      [lead] = await deps.db
        .select()
        .from(leadsTable)
        .where(and(eq(leadsTable.siteId, site.id), eq(leadsTable.externalId, match.externalId)));
    else if ('personId' in match) person = await livePerson(deps, site.id, match.personId);
    else {
      person = await findPersonByContact(deps.db, site.id, { email: match.email });
      if (!person) {
        const email = normaliseEmail(match.email);
        [lead] = email
          ? await deps.db
              .select()
              .from(leadsTable)
              .where(and(eq(leadsTable.siteId, site.id), eq(leadsTable.email, email)))
              .orderBy(asc(leadsTable.createdAt))
              .limit(1)
          : [];
      }
    }
    if (lead && !person) person = await livePerson(deps, site.id, lead.personId);
    if (person) {
      await setPersonOutcome(deps, person, who, item.outcome as Outcome | null);
      const [personLead] = lead
        ? [lead]
        : await deps.db
            .select({ id: leadsTable.id })
            .from(leadsTable)
            .where(eq(leadsTable.personId, person.id))
            .orderBy(asc(leadsTable.createdAt))
            .limit(1);
      results.push({ index, status: 'updated', personId: person.id, leadId: personLead?.id ?? null });
    } else if (lead) {
      const status = item.outcome ?? 'open';
      await deps.db.transaction((tx) => updateLead(tx, lead.id, who, { status }, 'Outcome through the API'));
      await labelVisitorsOfLead(deps.db, lead, status);
      await publishLead(deps, lead.id);
      results.push({ index, status: 'updated', personId: null, leadId: lead.id });
    } else {
      results.push({ index, status: 'not_found', personId: null, leadId: null });
    }
  }
  return results;
}
