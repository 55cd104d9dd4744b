import { relations, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import {
  defaultCallbackSettings,
  defaultConsentSettings,
  defaultPrivacySettings,
  defaultChatSettings,
  defaultFeedbackSettings,
  type AgentRole,
  type DashboardLanguage,
  type AudienceRule,
  type ConsentSettings,
  type ConsentSource,
  type PixelConfig,
  type PrivacySettings,
  type RoutingChoice,
  type RoutingRule,
  type ScoringJobStatus,
  type BehaviourEventType,
  type CallbackOutcome,
  type CallbackSettings,
  type CallbackStatus,
  type ChatSettings,
  type ClickIdType,
  type FeedbackKind,
  type FeedbackSettings,
  type LeadChannel,
  type LeadStatus,
  type LeadTemperature,
  type Outcome,
  type ScoringRule,
  type Temperature,
  type Utm,
  type VisitContext,
  type WebhookDeliveryEventType,
  type WebhookDeliveryStatus,
  type WebhookEventType,
  type WebhookPayload,
  type WidgetSettings,
  type InvitationState,
  type TriggerAction,
  type TriggerConditions,
  type TriggerFrequency,
} from '@beckon/sdk/protocol';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const sitesTable = pgTable('sites', {
  id: uuid('id').primaryKey().defaultRandom(),
  key: text('key').notNull().unique(),
  name: text('name').notNull(),
  allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  widget: jsonb('widget').$type<WidgetSettings>().notNull(),
  template: text('template', { enum: ['shop', 'b2b'] }).notNull().default('shop'),
  chat: jsonb('chat').$type<ChatSettings>().notNull().default(defaultChatSettings),
  callbacks: jsonb('callbacks').$type<CallbackSettings>().notNull().default(defaultCallbackSettings),
  feedback: jsonb('feedback').$type<FeedbackSettings>().notNull().default(defaultFeedbackSettings),
  consent: jsonb('consent').$type<ConsentSettings>().notNull().default(defaultConsentSettings),
  privacy: jsonb('privacy').$type<PrivacySettings>().notNull().default(defaultPrivacySettings),
  /** HMAC key for verified identity (`userHash`); shown to admins once, never sent to a browser. Null until generated. */
  identitySecret: text('identity_secret'),
  identitySecretRotatedAt: timestamp('identity_secret_rotated_at', { withTimezone: true }),
  /** Pixel integrations fired when a visitor enters an audience (see features/audiences). */
  pixels: jsonb('pixels').$type<PixelConfig[]>().notNull().default(sql`'[]'::jsonb`),
  createdAt: createdAt(),
});

export const agentsTable = pgTable('agents', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: text('role').$type<AgentRole>().notNull().default('agent'),
  /** Null until an invited agent sets a password. */
  passwordHash: text('password_hash'),
  /** The dashboard language the agent chose (one of `dashboardLanguages`); null: the browser's applies. */
  language: text('language').$type<DashboardLanguage>(),
  createdAt: createdAt(),
});

/**
 * An agent's chosen presence, one row per agent who chose "away" (no row: online while a dashboard is
 * open). Kept in the database so every tab and node agrees: whether an agent is connected is socket
 * state, what they chose is this.
 */
export const agentsAwayTable = pgTable('agents_away', {
  agentId: uuid('agent_id')
    .primaryKey()
    .references(() => agentsTable.id, { onDelete: 'cascade' }),
  since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
});

export const siteMembersTable = pgTable(
  'site_members',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agentsTable.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.agentId] }), index('site_members_agent_idx').on(table.agentId)],
);

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

export const agentInvitesTable = pgTable('agent_invites', {
  tokenHash: text('token_hash').primaryKey(),
  agentId: uuid('agent_id')
    .notNull()
    .references(() => agentsTable.id, { onDelete: 'cascade' }),
  invitedBy: uuid('invited_by').references(() => agentsTable.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

/** Raw behaviour events as the widget sent them; one row per client event id per site. */
export const eventsTable = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    clientEventId: text('client_event_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    sessionId: text('session_id').notNull(),
    /** Behaviour event types, plus `signal` for what other channels report (see scoring `recordSignal`). */
    type: text('type').$type<BehaviourEventType | 'signal'>().notNull(),
    url: text('url').notNull(),
    title: text('title'),
    referrer: text('referrer'),
    name: text('name'),
    props: jsonb('props').$type<Record<string, unknown>>(),
    /** The batch's visit context, kept only on an event that started a server session (its source). */
    context: jsonb('context').$type<VisitContext>(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('events_site_client_id_uq').on(table.siteId, table.clientEventId),
    index('events_site_received_idx').on(table.siteId, table.receivedAt),
    // Replays (score recompute) and the visitor detail page read one visitor's events in order.
    index('events_site_visitor_idx').on(table.siteId, table.visitorId, table.id),
  ],
);

/** Per-visitor running score: rule counts and decayed counts as of `asOf` (see features/scoring/engine.ts). */
export interface ScoreState {
  asOf: number;
  rules: Record<string, { n: number; d: number }>;
}

/**
 * A behaviour-stream visitor (the tracker's visitor id), derived server-side from their events:
 * identity, visits and the incrementally kept score.
 */
export const visitorsTable = pgTable(
  'visitors',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    visitCount: integer('visit_count').notNull().default(0),
    currentUrl: text('current_url'),
    currentTitle: text('current_title'),
    userId: text('user_id'),
    email: text('email'),
    name: text('name'),
    phone: text('phone'),
    scoreState: jsonb('score_state').$type<ScoreState>().notNull().default(sql`'{"asOf":0,"rules":{}}'::jsonb`),
    /** Score and temperature at `lastSeenAt` (decay moves them on; readers recompute from `scoreState`). */
    score: doublePrecision('score').notNull().default(0),
    temperature: text('temperature').$type<Temperature>().notNull().default('cold'),
    outcome: text('outcome').$type<Outcome>(),
    outcomeAt: timestamp('outcome_at', { withTimezone: true }),
    /** Set when an `identify` carried a valid `userHash` for `userId` (verified identity). */
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.siteId, table.visitorId] }),
    index('visitors_site_last_seen_idx').on(table.siteId, table.lastSeenAt),
    index('visitors_site_outcome_idx').on(table.siteId).where(sql`${table.outcome} is not null`),
  ],
);

/** A visit: a visitor's events with no gap over 30 minutes. */
export const visitorSessionsTable = pgTable(
  'visitor_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    number: integer('number').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    landingUrl: text('landing_url'),
    referrerDomain: text('referrer_domain'),
    utm: jsonb('utm').$type<Utm>().notNull().default(sql`'{}'::jsonb`),
    clickIdType: text('click_id_type').$type<ClickIdType>(),
    pageviews: integer('pageviews').notNull().default(0),
    engagedMs: integer('engaged_ms').notNull().default(0),
    /** ISO 3166 country from the trusted proxy's header (BECKON_COUNTRY_HEADER), never looked up. */
    country: text('country'),
  },
  (table) => [
    index('visitor_sessions_visitor_idx').on(table.siteId, table.visitorId, table.startedAt),
    index('visitor_sessions_site_last_seen_idx').on(table.siteId, table.lastSeenAt),
  ],
);

/** Per-site scoring rules, half-life and thresholds; a site without a row uses its template's defaults. */
export const scoringSettingsTable = pgTable('scoring_settings', {
  siteId: uuid('site_id')
    .primaryKey()
    .references(() => sitesTable.id, { onDelete: 'cascade' }),
  rules: jsonb('rules').$type<ScoringRule[]>().notNull(),
  halfLifeDays: doublePrecision('half_life_days').notNull(),
  hot: integer('hot').notNull(),
  warm: integer('warm').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Background rescoring of a site (rules saved, learnt points applied). Claimed with `for update skip
 * locked` by any node; `lease_until` hands a job of a node that died to another.
 */
export const scoringJobsTable = pgTable(
  'scoring_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    reason: text('reason').$type<'rules_saved' | 'points_applied'>().notNull(),
    status: text('status').$type<ScoringJobStatus>().notNull().default('queued'),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    error: text('error'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
  },
  (t) => [index('scoring_jobs_site_idx').on(t.siteId, t.requestedAt), index('scoring_jobs_open_idx').on(t.status).where(sql`status in ('queued', 'running')`)],
);
export type ScoringJobRow = typeof scoringJobsTable.$inferSelect;

/** A visitor who opened the chat; the token (hashed here) binds their sockets to their conversations only. */
export const chatVisitorsTable = pgTable('chat_visitors', {
  id: uuid('id').primaryKey().defaultRandom(),
  siteId: uuid('site_id')
    .notNull()
    .references(() => sitesTable.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull().unique(),
  name: text('name'),
  email: text('email'),
  phone: text('phone'),
  currentUrl: text('current_url'),
  /** Behaviour-stream visitor ids this chat visitor had (one per page load until consent allows storage). */
  trackerVisitorIds: jsonb('tracker_visitor_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  /** The agent who last talked to this visitor, for sticky assignment. */
  lastAgentId: uuid('last_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
  /** Routing: the browser's language (first Accept-Language tag, lowercased) at the last socket handshake. */
  language: text('language'),
  /** The person this chat visitor is (features/persons); set when the chat becomes a lead touch. */
  personId: uuid('person_id').references((): AnyPgColumn => personsTable.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
},
  // "Which chat visitors had this tracker id" (temperature changes, invitations): `@>` through GIN, not a scan of the site.
  (table) => [
    index('chat_visitors_tracker_ids_idx').using('gin', table.trackerVisitorIds.op('jsonb_path_ops')),
    index('chat_visitors_person_idx').on(table.personId),
  ],
);

export const conversationsTable = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    chatVisitorId: uuid('chat_visitor_id')
      .notNull()
      .references(() => chatVisitorsTable.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
    channel: text('channel', { enum: ['chat', 'offline'] }).notNull().default('chat'),
    assigneeId: uuid('assignee_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    /** Highest sequence number handed out; bumped under the row lock, so numbers never repeat. */
    lastSeq: integer('last_seq').notNull().default(0),
    agentReadSeq: integer('agent_read_seq').notNull().default(0),
    visitorReadSeq: integer('visitor_read_seq').notNull().default(0),
    autoReplied: boolean('auto_replied').notNull().default(false),
    csatRating: integer('csat_rating'),
    csatComment: text('csat_comment'),
    createdAt: createdAt(),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Routing: the visitor's temperature when last known (Unassigned lists hot first; kept by a temperature listener). */
    temperature: text('temperature').$type<Temperature>(),
    /** Routing: which decision chose the current assignee (null after a manual take/transfer). */
    routing: jsonb('routing').$type<RoutingChoice>(),
    /** Routing: when the current assignee got it; the unanswered-chat sweep measures from here. */
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
  },
  (table) => [
    // Not on last_message_at: every message bumps it with last_seq, and an update that touches no indexed
    // column is HOT (no index writes). Open lists sort a site's open conversations in memory; closed
    // lists read this index backwards by closing time.
    index('conversations_site_status_closed_idx').on(table.siteId, table.status, table.closedAt),
    // The unanswered-chat sweep: open, assigned conversations by assignment time.
    index('conversations_unanswered_scan_idx').on(table.assignedAt).where(sql`${table.status} = 'open' and ${table.assigneeId} is not null`),
    index('conversations_visitor_idx').on(table.chatVisitorId),
    // Least-busy routing: an agent's open conversations on every site, read per round.
    index('conversations_open_assignee_idx').on(table.assigneeId).where(sql`${table.status} = 'open' and ${table.assigneeId} is not null`),
    // One open conversation per visitor, even when two tabs send their first message at the same moment.
    uniqueIndex('conversations_one_open_uq').on(table.chatVisitorId).where(sql`${table.status} = 'open'`),
  ],
);

export const messagesTable = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversationsTable.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    clientId: text('client_id').notNull(),
    author: text('author', { enum: ['visitor', 'agent', 'system'] }).notNull(),
    agentId: uuid('agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    internal: boolean('internal').notNull().default(false),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex('messages_conversation_seq_uq').on(table.conversationId, table.seq),
    uniqueIndex('messages_conversation_client_uq').on(table.conversationId, table.clientId),
    // A visitor's retry is looked up by client id across their conversations (see findVisitorMessage).
    index('messages_client_idx').on(table.clientId),
  ],
);

/** Audit of every assignment and status change: who, when, why. */
export const conversationEventsTable = pgTable(
  'conversation_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversationsTable.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['assigned', 'unassigned', 'taken', 'transferred', 'reassigned', 'closed', 'reopened'] }).notNull(),
    fromAgentId: uuid('from_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    toAgentId: uuid('to_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    /** Null when the system acted (automatic assignment). */
    byAgentId: uuid('by_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    reason: text('reason').notNull(),
    /** Routing: the decision behind an automatic assignment (rule, sticky or default). */
    routing: jsonb('routing').$type<RoutingChoice>(),
    createdAt: createdAt(),
  },
  (table) => [index('conversation_events_conversation_idx').on(table.conversationId)],
);

/**
 * When each agent last got a conversation automatically, per site: round-robin picks the agent whose mark
 * is oldest with one indexed read, however long the assignment history grows.
 */
export const assignmentMarksTable = pgTable(
  'assignment_marks',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agentsTable.id, { onDelete: 'cascade' }),
    lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.agentId] })],
);

export const cannedResponsesTable = pgTable(
  'canned_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    shortcut: text('shortcut').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('canned_site_shortcut_uq').on(table.siteId, table.shortcut)],
);

/** A visitor's request to be called back; worked by agents against `due_at`. */
export const callbacksTable = pgTable(
  'callbacks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    /** E.164. */
    phone: text('phone').notNull(),
    name: text('name'),
    mode: text('mode', { enum: ['now', 'scheduled'] }).notNull(),
    status: text('status').$type<CallbackStatus>().notNull().default('pending'),
    /** The slot for scheduled requests, the request time for "now". */
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    /** SLA deadline; the SLA job flags pending rows past it. */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    countdownEndsAt: timestamp('countdown_ends_at', { withTimezone: true }),
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    assigneeId: uuid('assignee_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    takenAt: timestamp('taken_at', { withTimezone: true }),
    outcome: text('outcome').$type<CallbackOutcome>(),
    note: text('note'),
    attempts: integer('attempts').notNull().default(0),
    leadId: uuid('lead_id').references(() => leadsTable.id, { onDelete: 'set null' }),
    visitorId: text('visitor_id'),
    pageUrl: text('page_url'),
    /** SHA-256 of the token the visitor's browser reads the status with. */
    visitorTokenHash: text('visitor_token_hash').notNull(),
    /** Routing: the visitor's temperature when last known (the queue puts hot first). */
    temperature: text('temperature').$type<Temperature>(),
    /** Routing: which decision chose the current assignee (null after a manual take). */
    routing: jsonb('routing').$type<RoutingChoice>(),
    /** Routing: the browser's language (first Accept-Language tag, lowercased) of the request. */
    language: text('language'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('callbacks_site_status_due_idx').on(table.siteId, table.status, table.dueAt),
    index('callbacks_site_visitor_idx').on(table.siteId, table.visitorId),
    // Least-busy routing: an agent's open callbacks on every site, read per round.
    index('callbacks_open_assignee_idx').on(table.assigneeId).where(sql`${table.status} <> 'done' and ${table.assigneeId} is not null`),
    // The SLA job's scan: pending rows not yet flagged, by deadline.
    index('callbacks_overdue_scan_idx').on(table.dueAt).where(sql`${table.status} = 'pending' and ${table.overdueAt} is null`),
  ],
);

/** Audit of every change to a callback: who, when, what. */
export const callbackEventsTable = pgTable(
  'callback_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    callbackId: uuid('callback_id')
      .notNull()
      .references(() => callbacksTable.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['requested', 'assigned', 'taken', 'outcome', 'overdue', 'reassigned'] }).notNull(),
    byAgentId: uuid('by_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    toAgentId: uuid('to_agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (table) => [index('callback_events_callback_idx').on(table.callbackId)],
);

/**
 * Requests per phone number per site per UTC day. In PostgreSQL (not node memory) because the limit
 * protects a third party from call-bombing: it must hold across restarts and nodes.
 */
export const callbackPhoneCountsTable = pgTable(
  'callback_phone_counts',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    phone: text('phone').notNull(),
    day: text('day').notNull(),
    count: integer('count').notNull(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.phone, table.day] })],
);

/** NPS, CSAT and free-text answers from the widget or the SDK. */
export const feedbackTable = pgTable(
  'feedback',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<FeedbackKind>().notNull(),
    score: integer('score'),
    text: text('text'),
    email: text('email'),
    visitorId: text('visitor_id'),
    pageUrl: text('page_url'),
    leadId: uuid('lead_id').references(() => leadsTable.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [index('feedback_site_created_idx').on(table.siteId, table.createdAt)],
);

export type CallbackRow = typeof callbacksTable.$inferSelect;
export type FeedbackRow = typeof feedbackTable.$inferSelect;

export type ChatVisitorRow = typeof chatVisitorsTable.$inferSelect;
export type ConversationRow = typeof conversationsTable.$inferSelect;
export type MessageRow = typeof messagesTable.$inferSelect;

export const sitesRelations = relations(sitesTable, ({ many }) => ({ members: many(siteMembersTable) }));
export const agentsRelations = relations(agentsTable, ({ many }) => ({ memberships: many(siteMembersTable) }));
export const siteMembersRelations = relations(siteMembersTable, ({ one }) => ({
  site: one(sitesTable, { fields: [siteMembersTable.siteId], references: [sitesTable.id] }),
  agent: one(agentsTable, { fields: [siteMembersTable.agentId], references: [agentsTable.id] }),
}));

export type SiteRow = typeof sitesTable.$inferSelect;
export type AgentRow = typeof agentsTable.$inferSelect;
export type EventRow = typeof eventsTable.$inferSelect;
export type VisitorRow = typeof visitorsTable.$inferSelect;
export type VisitorSessionRow = typeof visitorSessionsTable.$inferSelect;

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
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('leads_site_updated_idx').on(table.siteId, table.updatedAt),
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
  (table) => [primaryKey({ columns: [table.siteId, table.visitorId] }), index('lead_visitors_lead_idx').on(table.leadId)],
);

// ---- Webhooks -----------------------------------------------------------------------------------

export const webhookEndpointsTable = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    events: jsonb('events').$type<WebhookEventType[]>().notNull(),
    /** `whsec_<base64>`; kept readable because every delivery is signed with it. */
    secret: text('secret').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('webhook_endpoints_site_idx').on(table.siteId)],
);

/**
 * The durable outbox: one row per event per endpoint, written in the transaction that made the event.
 * A worker claims due rows with a lease (`for update skip locked`), so several nodes never send the same
 * row at once, and a crashed worker's rows come back when its lease runs out.
 */
export const webhookDeliveriesTable = pgTable(
  'webhook_deliveries',
  {
    /** `msg_...`: the `webhook-id` header, the same on every retry. */
    id: text('id').primaryKey(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpointsTable.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    eventType: text('event_type').$type<WebhookDeliveryEventType>().notNull(),
    payload: jsonb('payload').$type<WebhookPayload>().notNull(),
    status: text('status').$type<WebhookDeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** Retries stop (status failed) after this; a redelivery moves it 24 h on. */
    retryUntil: timestamp('retry_until', { withTimezone: true }).notNull(),
    /** Set while a worker is sending; another worker may take the row only after it passed. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** Which claim holds the lease: a worker whose lease ran out cannot overwrite a newer claim's result. */
    claimToken: text('claim_token'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (table) => [
    index('webhook_deliveries_due_idx').on(table.nextAttemptAt).where(sql`${table.status} = 'pending'`),
    index('webhook_deliveries_endpoint_idx').on(table.endpointId, table.createdAt),
  ],
);

/** One row per HTTP attempt: the delivery log. */
export const webhookAttemptsTable = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveriesTable.id, { onDelete: 'cascade' }),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: createdAt(),
  },
  (table) => [index('webhook_attempts_delivery_idx').on(table.deliveryId)],
);

export type LeadRow = typeof leadsTable.$inferSelect;
export type WebhookEndpointRow = typeof webhookEndpointsTable.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveriesTable.$inferSelect;

/**
 * Every consent choice a visitor made (append-only: the latest row per visitor is their state).
 * `visitorId` is the tracker's id, or the anonymous daily hash for a choice made before any id existed.
 */
export const consentRecordsTable = pgTable(
  'consent_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    analytics: boolean('analytics').notNull(),
    marketing: boolean('marketing').notNull(),
    policyVersion: text('policy_version').notNull(),
    source: text('source').$type<ConsentSource>().notNull(),
    /** The request carried `Sec-GPC: 1` (marketing was forced off). */
    gpc: boolean('gpc').notNull().default(false),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('consent_records_visitor_idx').on(table.siteId, table.visitorId, table.recordedAt)],
);

/**
 * The salt of anonymous pre-consent counting, one per UTC day. Rows older than today are deleted by the
 * privacy job, so a day's hashes cannot be recomputed afterwards; never exported.
 */
export const anonymousSaltsTable = pgTable('anonymous_salts', {
  day: text('day').primaryKey(),
  salt: text('salt').notNull(),
});

/** Per-site audience (segment) definitions. */
export const audiencesTable = pgTable(
  'audiences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    segment: text('segment').notNull(),
    name: text('name').notNull(),
    rule: jsonb('rule').$type<AudienceRule>().notNull(),
    eventName: text('event_name').notNull(),
    pixels: boolean('pixels').notNull().default(true),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('audiences_site_segment_uq').on(table.siteId, table.segment)],
);

/** Who entered which audience, once: the primary key makes "entered" happen a single time per visitor. */
export const audienceMembersTable = pgTable(
  'audience_members',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    audienceId: uuid('audience_id')
      .notNull()
      .references(() => audiencesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.visitorId, table.audienceId] })],
);

/** Audit of visitor data exports and erasures (who, when, what). Keeps the visitor id, no personal data. */
export const privacyAuditTable = pgTable(
  'privacy_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    action: text('action', { enum: ['export', 'erase'] }).notNull(),
    visitorId: text('visitor_id').notNull(),
    agentId: uuid('agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    via: text('via', { enum: ['dashboard', 'api'] }).notNull(),
    detail: jsonb('detail').$type<Record<string, number>>(),
    createdAt: createdAt(),
  },
  (table) => [index('privacy_audit_site_idx').on(table.siteId, table.createdAt)],
);

/** When the retention job last purged a site; rows are claimed with `for update skip locked` so one node works a site. */
export const retentionMarksTable = pgTable('retention_marks', {
  siteId: uuid('site_id')
    .primaryKey()
    .references(() => sitesTable.id, { onDelete: 'cascade' }),
  lastRunAt: timestamp('last_run_at', { withTimezone: true }).notNull(),
});

// ---- Routing (issue 5: teams, routing rules) -----------------------------------------------------
// Columns added to existing tables for routing: chat_visitors.language; conversations.temperature,
// .routing, .assigned_at (+ conversations_unanswered_scan_idx); conversation_events.routing (and kind
// 'reassigned'); callbacks.temperature, .routing, .language (callback_events kind 'assigned').

/**
 * A named group of one site's agents. Per site, like routing rules: a team can only hold agents of its
 * site, and an agent's view of teams is scoped by the same site check as everything else.
 */
export const teamsTable = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('teams_site_name_uq').on(table.siteId, table.name)],
);

export const teamMembersTable = pgTable(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teamsTable.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agentsTable.id, { onDelete: 'cascade' }),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.agentId] }), index('team_members_agent_idx').on(table.agentId)],
);

/** A site's ordered routing rules and its unanswered-chat limit; a site without a row routes by default (120 s limit). */
export const routingSettingsTable = pgTable('routing_settings', {
  siteId: uuid('site_id')
    .primaryKey()
    .references(() => sitesTable.id, { onDelete: 'cascade' }),
  rules: jsonb('rules').$type<RoutingRule[]>().notNull().default(sql`'[]'::jsonb`),
  unansweredChatSeconds: integer('unanswered_chat_seconds').notNull().default(120),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type TeamRow = typeof teamsTable.$inferSelect;

// ——— Proactive triggers and chat invitations (issue 5) ———

/** A site's proactive trigger rules (≤ 20 per site), served to the widget in the public config when enabled. */
export const triggerRulesTable = pgTable(
  'trigger_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    conditions: jsonb('conditions').$type<TriggerConditions>().notNull(),
    action: jsonb('action').$type<TriggerAction>().notNull(),
    frequency: jsonb('frequency').$type<TriggerFrequency>().notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('trigger_rules_site_idx').on(table.siteId, table.createdAt)],
);

/** An agent's "Invite to chat" to one live visitor; delivered over `/visitor`, the ping or the collect answer. */
export const chatInvitationsTable = pgTable(
  'chat_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    agentId: uuid('agent_id').references(() => agentsTable.id, { onDelete: 'set null' }),
    /** The agent's display name when they invited (the visitor sees it even if the agent is renamed later). */
    agentName: text('agent_name').notNull(),
    message: text('message').notNull(),
    state: text('state').$type<InvitationState>().notNull().default('sent'),
    conversationId: uuid('conversation_id').references(() => conversationsTable.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Delivery looks up a visitor's undelivered invitations on every collect and ping: a tiny partial index.
    index('chat_invitations_pending_idx').on(table.siteId, table.visitorId).where(sql`${table.state} = 'sent'`),
    index('chat_invitations_site_idx').on(table.siteId, table.createdAt),
  ],
);

/** When a visitor last turned hot, written in the ingest transaction on the change (the loader's "became hot" time). */
export const visitorHotMarksTable = pgTable(
  'visitor_hot_marks',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    hotAt: timestamp('hot_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.visitorId] })],
);

/** The keepalive's last ping per visitor (written at most once a minute per visitor): "still on the site". */
export const visitorPresenceTable = pgTable(
  'visitor_presence',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    visitorId: text('visitor_id').notNull(),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.visitorId] }), index('visitor_presence_site_seen_idx').on(table.siteId, table.seenAt)],
);
export type TriggerRuleRow = typeof triggerRulesTable.$inferSelect;
export type ChatInvitationRow = typeof chatInvitationsTable.$inferSelect;

/**
 * What the public endpoints refused or dropped, per site, kind, origin and hour: requests from an
 * origin the site does not allow, and events from user agents classed as bots. Counted in each node's
 * memory and added here every few seconds (one upsert per key), never a write per request.
 */
export const collectDropsTable = pgTable(
  'collect_drops',
  {
    siteId: uuid('site_id')
      .notNull()
      .references(() => sitesTable.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['origin', 'bot'] }).notNull(),
    /** The refused Origin header; '' for bot drops. */
    origin: text('origin').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    requests: integer('requests').notNull(),
    events: integer('events').notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.siteId, table.kind, table.origin, table.hour] })],
);

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
  (table) => [primaryKey({ columns: [table.siteId, table.visitorId] }), index('person_visitors_person_idx').on(table.personId)],
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
    detail: text('detail').notNull(),
    createdAt: createdAt(),
  },
  (table) => [index('person_audit_person_idx').on(table.personId, table.createdAt)],
);

export type PersonRow = typeof personsTable.$inferSelect;
