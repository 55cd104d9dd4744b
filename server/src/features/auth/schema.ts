// Tables of the auth feature (drizzle). Other features read them through db/schema.ts; writes go through this
// feature's functions. See ARCHITECTURE.md, "Module boundaries".
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from '../../db/columns.js';
import { agentsTable } from '../team/schema.js';

export const agentSessionsTable = pgTable(
  'agent_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** SHA-256 of the cookie value: a database leak does not hand out live sessions. */
    tokenHash: text('token_hash').notNull().unique(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agentsTable.id, { onDelete: 'cascade' }),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [index('agent_sessions_agent_idx').on(table.agentId)],
);
