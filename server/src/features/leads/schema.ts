// Tables of the leads feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { LeadChannel, LeadStatus, LeadTemperature, LostReason } from '@beckon/sdk/protocol';
import { createdAt } from '../../db/columns.js';
import { personsTable } from '../persons/schema.js';
import { sitesTable } from '../sites/schema.js';
import { agentsTable } from '../team/schema.js';

// ---- Leads inbox -------------------------------------------------------------------------------

/** One person per site, across chat, callbacks and feedback. Never deleted by agents (closed or spam instead). */
export const leadsTable = pgTable(
  'leads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    status: text('status').$type<LeadStatus>().notNull().default('new'),
    name: text('name'),
    /** Lowercased and trimmed: the dedupe key. */
    email: text('email'),
    /** E.164: the other dedupe key. */
    phone: text('phone'),
    channels: jsonb('channels').$type<LeadChannel[]>().notNull().default(sql`'[]'::jsonb`),
    assigneeId: uuid('assignee_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    outcomeNote: text('outcome_note'),
    /** Filled by lead scoring. */
    temperature: text('temperature').$type<LeadTemperature>(),
    score: integer('score'),
    /** The person this lead is (features/persons): set by every touch. */
    personId: uuid('person_id').references((): AnyPgColumn => personsTable.id, { onDelete: 'set null' }),
    /** The CRM's own id for this lead (set through the API), unique per site. */
    externalId: text('external_id'),
    /** Reports: when an agent first moved the lead out of `new`, and its temperature then (does the score predict?). */
    firstContactedAt: timestamp('first_contacted_at', { withTimezone: true }),
    firstContactTemperature: text('first_contact_temperature').$type<LeadTemperature>(),
    /** Reports: when it was last marked won or lost (null while open), and why it was lost. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    lostReason: text('lost_reason').$type<LostReason>(),
    lostReasonText: text('lost_reason_text'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('leads_site_updated_idx').on(table.siteId, table.updatedAt),
    uniqueIndex('leads_site_external_id_uq')
      .on(table.siteId, table.externalId)
      .where(sql`${table.externalId} is not null`),
    index('leads_person_idx').on(table.personId),
    index('leads_site_email_idx').on(table.siteId, table.email),
    index('leads_site_phone_idx').on(table.siteId, table.phone),
  ],
);

/** What the person did: a callback request, a feedback answer, a chat. */
export const leadTouchesTable = pgTable(
  'lead_touches',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leadsTable.id, { onDelete: 'cascade' }),
    channel: text('channel').$type<LeadChannel>().notNull(),
    kind: text('kind').notNull(),
    summary: text('summary').notNull(),
    refType: text('ref_type').$type<'callback' | 'feedback' | 'conversation'>(),
    refId: text('ref_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (table) => [index('lead_touches_lead_idx').on(table.leadId, table.createdAt)],
);

/** Every change to a lead: who (null = Beckon), when, which field, from → to. */
export const leadAuditTable = pgTable(
  'lead_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leadsTable.id, { onDelete: 'cascade' }),
    byAgentId: uuid('by_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    field: text('field').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
    note: text('note'),
    createdAt: createdAt(),
  },
  (table) => [index('lead_audit_lead_idx').on(table.leadId, table.createdAt)],
);

/** Tracker visitor ids of a lead: its pages and behaviour. A visitor id belongs to one lead per site. */
export const leadVisitorsTable = pgTable(
  'lead_visitors',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leadsTable.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.siteId, table.visitorId] }),
    index('lead_visitors_lead_idx').on(table.leadId),
  ],
);

export type LeadRow = typeof leadsTable.$inferSelect;
