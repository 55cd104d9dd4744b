// Tables of the persons feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Outcome, PersonAuditData } from '@beckon/sdk/protocol';
import { createdAt } from '../../db/columns.js';
import { sitesTable } from '../sites/schema.js';
import { agentsTable } from '../team/schema.js';

// ---- Persons (issue 15: one person, one story) ---------------------------------------------------

/**
 * One human on one site: the visitor ids of their browsers and devices, their chat visitors and their
 * lead point here. Found by normalised email / E.164 phone under advisory locks (features/persons).
 * A person merged into another keeps its row (`mergedInto`), so history is never deleted by a merge.
 */
export const personsTable = pgTable(
  'persons',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    name: text('name'),
    /** Lowercased and trimmed. */
    email: text('email'),
    /** E.164. */
    phone: text('phone'),
    /** The site's own user id, only from a verified identity (`userHash`): the strongest identity key. */
    userId: text('user_id'),
    /** The id the stable "Visitor 7F3K" label derives from: the first visitor id the person was seen with. */
    labelSeed: text('label_seed').notNull(),
    /** Won / lost, for scoring (mirrored on the visitors' `outcome`). */
    outcome: text('outcome').$type<Outcome>(),
    /** Set when this person was merged into another; readers follow it. */
    mergedInto: uuid('merged_into').references((): AnyPgColumn => personsTable.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('persons_site_email_idx').on(table.siteId, table.email).where(sql`${table.mergedInto} is null`),
    index('persons_site_phone_idx').on(table.siteId, table.phone).where(sql`${table.mergedInto} is null`),
    index('persons_site_user_idx').on(table.siteId, table.userId).where(sql`${table.mergedInto} is null`),
  ],
);

/** Which person a tracker visitor id (a browser or device) belongs to: one person per visitor id per site. */
export const personVisitorsTable = pgTable(
  'person_visitors',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    personId: uuid('person_id')
      .notNull()
      .references(() => personsTable.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.siteId, table.visitorId] }),
    index('person_visitors_person_idx').on(table.personId),
  ],
);

/** Every change to a person: identities linked, merges, outcomes (who: null = Beckon). Append-only. */
export const personAuditTable = pgTable(
  'person_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    personId: uuid('person_id')
      .notNull()
      .references(() => personsTable.id, { onDelete: 'cascade' }),
    byAgentId: uuid('by_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    /** An English sentence for readers of the raw table; the dashboard words `data` in the agent's language. */
    detail: text('detail').notNull(),
    /** What happened as codes and values (`PersonAuditData`); `{}` on rows older than it that it could not be read from. */
    data: jsonb('data').$type<PersonAuditData>().notNull().default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (table) => [index('person_audit_person_idx').on(table.personId, table.createdAt)],
);

export type PersonRow = typeof personsTable.$inferSelect;
