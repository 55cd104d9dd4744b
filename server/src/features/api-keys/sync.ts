import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import {
  maxSyncMessages,
  type ApiCallback,
  type ApiConversation,
  type ApiFeedback,
  type ApiLead,
  type ApiMessage,
  type ApiPerson,
  type ApiScore,
  type SyncPage,
  type syncQuerySchema,
} from '@beckon/sdk/protocol';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import {
  callbacksTable,
  chatVisitorsTable,
  conversationsTable,
  feedbackTable,
  leadsTable,
  messagesTable,
  personVisitorsTable,
  personsTable,
  visitorsTable,
  type CallbackRow,
  type FeedbackRow,
  type PersonRow,
} from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';

type LeadRow = typeof leadsTable.$inferSelect;
type SyncQuery = z.output<typeof syncQuerySchema>;

/** A position in one list: the row's change time as PostgreSQL keeps it (microseconds) and its id. */
interface Cursor {
  at: string;
  id: string;
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');

function decodeCursor(value: string): Cursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof at === 'string' &&
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(at) &&
      typeof id === 'string' &&
      id.length > 0 &&
      id.length <= 200
    )
      return { at, id };
  } catch {
    // Falls through to the one answer for every bad cursor.
  }
  throw new AppError('validation_failed', 'Invalid cursor; pass back a nextCursor exactly as given');
}

/** Microsecond text of a timestamp, so a cursor never rounds and skips or repeats a row. */
const microText = (expr: SQL) => sql<string>`to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface Source<Row> {
  table: PgTable;
  /** When the row last changed. */
  updated: SQL;
  id: PgColumn;
  idType: 'uuid' | 'text';
  siteId: PgColumn;
  select: Record<string, unknown>;
  extraWhere?: SQL;
  toRow: (selected: Record<string, unknown>) => Row;
}

/**
 * One page of a site's rows in (updated, id) order, after the cursor and from `updated_since` on. Rows
 * changed in the last `settleMs` wait for the next poll: a write's stamp is from before its commit, so a
 * row could otherwise commit behind a cursor that already passed its stamp and never be seen.
 */
async function page<Row, Item>(
  db: Db,
  siteId: string,
  query: SyncQuery,
  settleMs: number,
  source: Source<Row>,
  toItems: (rows: Row[]) => Promise<Item[]>,
): Promise<SyncPage<Item>> {
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const idCast = source.idType === 'uuid' ? sql`::uuid` : sql``;
  const conditions: (SQL | undefined)[] = [
    eq(source.siteId, siteId),
    sql`${source.updated} <= now() - make_interval(secs => ${settleMs / 1000})`,
    query.updated_since
      ? sql`${source.updated} >= ${new Date(query.updated_since).toISOString()}::timestamptz`
      : undefined,
    cursor ? sql`(${source.updated}, ${source.id}) > (${cursor.at}::timestamptz, ${cursor.id}${idCast})` : undefined,
    source.extraWhere,
  ];
  if (cursor && source.idType === 'uuid' && !/^[0-9a-f-]{36}$/i.test(cursor.id))
    throw new AppError('validation_failed', 'Invalid cursor; pass back a nextCursor exactly as given');
  const rows = await db
    .select({
      ...source.select,
      syncAt: microText(source.updated),
      syncId: sql<string>`${source.id}::text`,
    } as unknown as Record<string, SQL>)
    .from(source.table)
    .where(and(...conditions))
    .orderBy(asc(source.updated), asc(source.id))
    .limit(query.limit + 1);
  const hasMore = rows.length > query.limit;
  const kept = rows.slice(0, query.limit) as Record<string, unknown>[];
  const last = kept.at(-1);
  const after = last ? encodeCursor({ at: last.syncAt as string, id: last.syncId as string }) : (query.cursor ?? null);
  return {
    items: await toItems(kept.map(source.toRow)),
    nextCursor: hasMore ? after : null,
    resumeCursor: after,
    hasMore,
  };
}

const iso = (value: Date) => value.toISOString();
const isoOrNull = (value: Date | null) => value?.toISOString() ?? null;

export const toApiLead = (row: LeadRow): ApiLead => ({
  id: row.id,
  siteId: row.siteId,
  externalId: row.externalId,
  status: row.status,
  name: row.name,
  email: row.email,
  phone: row.phone,
  channels: row.channels,
  temperature: row.temperature,
  score: row.score,
  personId: row.personId,
  assigneeId: row.assigneeId,
  outcomeNote: row.outcomeNote,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});

export const toApiCallback = (row: CallbackRow): ApiCallback => ({
  id: row.id,
  siteId: row.siteId,
  phone: row.phone,
  name: row.name,
  mode: row.mode,
  status: row.status,
  requestedAt: iso(row.requestedAt),
  dueAt: iso(row.dueAt),
  assigneeId: row.assigneeId,
  outcome: row.outcome,
  note: row.note,
  attempts: row.attempts,
  leadId: row.leadId,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});

const toApiPerson = (row: PersonRow): ApiPerson => ({
  id: row.id,
  siteId: row.siteId,
  name: row.name,
  email: row.email,
  phone: row.phone,
  userId: row.userId,
  outcome: row.outcome,
  mergedInto: row.mergedInto,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
});

const toApiFeedback = (row: FeedbackRow): ApiFeedback => ({
  id: row.id,
  siteId: row.siteId,
  kind: row.kind,
  score: row.score,
  text: row.text,
  email: row.email,
  leadId: row.leadId,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.createdAt),
});

const same = async <T>(rows: T[]) => rows;

export const syncLeads = (db: Db, siteId: string, query: SyncQuery, settleMs: number) =>
  page(
    db,
    siteId,
    query,
    settleMs,
    {
      table: leadsTable,
      updated: sql`${leadsTable.updatedAt}`,
      id: leadsTable.id,
      idType: 'uuid',
      siteId: leadsTable.siteId,
      select: { row: leadsTable },
      toRow: (r) => toApiLead(r.row as LeadRow),
    },
    same,
  );

export const syncPersons = (db: Db, siteId: string, query: SyncQuery, settleMs: number) =>
  page(
    db,
    siteId,
    query,
    settleMs,
    {
      table: personsTable,
      updated: sql`${personsTable.updatedAt}`,
      id: personsTable.id,
      idType: 'uuid',
      siteId: personsTable.siteId,
      select: { row: personsTable },
      toRow: (r) => toApiPerson(r.row as PersonRow),
    },
    same,
  );

export const syncCallbacks = (db: Db, siteId: string, query: SyncQuery, settleMs: number) =>
  page(
    db,
    siteId,
    query,
    settleMs,
    {
      table: callbacksTable,
      updated: sql`${callbacksTable.updatedAt}`,
      id: callbacksTable.id,
      idType: 'uuid',
      siteId: callbacksTable.siteId,
      select: { row: callbacksTable },
      toRow: (r) => toApiCallback(r.row as CallbackRow),
    },
    same,
  );

export const syncFeedback = (db: Db, siteId: string, query: SyncQuery, settleMs: number) =>
  page(
    db,
    siteId,
    query,
    settleMs,
    {
      table: feedbackTable,
      updated: sql`${feedbackTable.createdAt}`,
      id: feedbackTable.id,
      idType: 'uuid',
      siteId: feedbackTable.siteId,
      select: { row: feedbackTable },
      toRow: (r) => toApiFeedback(r.row as FeedbackRow),
    },
    same,
  );

const scoreUpdated = sql`greatest(${visitorsTable.lastSeenAt}, coalesce(${visitorsTable.outcomeAt}, ${visitorsTable.lastSeenAt}))`;

export const syncScores = (db: Db, siteId: string, query: SyncQuery, settleMs: number) =>
  page(
    db,
    siteId,
    query,
    settleMs,
    {
      table: visitorsTable,
      updated: scoreUpdated,
      id: visitorsTable.visitorId,
      idType: 'text',
      siteId: visitorsTable.siteId,
      select: {
        visitorId: visitorsTable.visitorId,
        score: visitorsTable.score,
        temperature: visitorsTable.temperature,
        outcome: visitorsTable.outcome,
        lastSeenAt: visitorsTable.lastSeenAt,
        updatedAt: sql<string>`${scoreUpdated}`.mapWith(visitorsTable.lastSeenAt),
      },
      toRow: (r) =>
        ({
          visitorId: r.visitorId as string,
          siteId,
          personId: null,
          score: Math.round((r.score as number) * 100) / 100,
          temperature: r.temperature as ApiScore['temperature'],
          outcome: r.outcome as ApiScore['outcome'],
          lastSeenAt: iso(r.lastSeenAt as Date),
          updatedAt: iso(r.updatedAt as Date),
        }) satisfies ApiScore,
    },
    async (rows) => {
      if (rows.length === 0) return rows;
      const links = await db
        .select({ visitorId: personVisitorsTable.visitorId, personId: personVisitorsTable.personId })
        .from(personVisitorsTable)
        .where(
          and(
            eq(personVisitorsTable.siteId, siteId),
            inArray(
              personVisitorsTable.visitorId,
              rows.map((row) => row.visitorId),
            ),
          ),
        );
      const personOf = new Map(links.map((link) => [link.visitorId, link.personId]));
      return rows.map((row) => ({ ...row, personId: personOf.get(row.visitorId) ?? null }));
    },
  );

const conversationUpdated = sql`greatest(${conversationsTable.lastMessageAt}, coalesce(${conversationsTable.closedAt}, ${conversationsTable.lastMessageAt}))`;

export const syncConversations = (db: Db, siteId: string, query: SyncQuery, settleMs: number) =>
  page(
    db,
    siteId,
    query,
    settleMs,
    {
      table: conversationsTable,
      updated: conversationUpdated,
      id: conversationsTable.id,
      idType: 'uuid',
      siteId: conversationsTable.siteId,
      select: {
        id: conversationsTable.id,
        status: conversationsTable.status,
        channel: conversationsTable.channel,
        assigneeId: conversationsTable.assigneeId,
        csatRating: conversationsTable.csatRating,
        createdAt: conversationsTable.createdAt,
        closedAt: conversationsTable.closedAt,
        lastSeq: conversationsTable.lastSeq,
        updatedAt: sql`${conversationUpdated}`.mapWith(conversationsTable.lastMessageAt),
        personId: sql<
          string | null
        >`(select ${chatVisitorsTable.personId} from ${chatVisitorsTable} where ${chatVisitorsTable.id} = ${conversationsTable.chatVisitorId})`,
      },
      toRow: (r) =>
        r as {
          id: string;
          status: 'open' | 'closed';
          channel: 'chat' | 'offline';
          assigneeId: string | null;
          csatRating: number | null;
          createdAt: Date;
          closedAt: Date | null;
          lastSeq: number;
          updatedAt: Date;
          personId: string | null;
        },
    },
    async (rows): Promise<ApiConversation[]> => {
      const messages = rows.length
        ? await db
            .select({
              conversationId: messagesTable.conversationId,
              id: messagesTable.id,
              seq: messagesTable.seq,
              author: messagesTable.author,
              agentId: messagesTable.agentId,
              text: messagesTable.text,
              createdAt: messagesTable.createdAt,
            })
            .from(messagesTable)
            .innerJoin(conversationsTable, eq(conversationsTable.id, messagesTable.conversationId))
            .where(
              and(
                inArray(
                  messagesTable.conversationId,
                  rows.map((row) => row.id),
                ),
                eq(messagesTable.internal, false),
                // Sequence numbers are dense per conversation: the last 500 without a window function.
                gt(messagesTable.seq, sql`${conversationsTable.lastSeq} - ${maxSyncMessages}`),
              ),
            )
            .orderBy(asc(messagesTable.conversationId), asc(messagesTable.seq))
        : [];
      const byConversation = new Map<string, ApiMessage[]>();
      for (const { conversationId, createdAt, ...message } of messages) {
        const list = byConversation.get(conversationId) ?? [];
        list.push({ ...message, createdAt: iso(createdAt) });
        byConversation.set(conversationId, list);
      }
      return rows.map((row) => ({
        id: row.id,
        siteId,
        status: row.status,
        channel: row.channel,
        assigneeId: row.assigneeId,
        personId: row.personId,
        csatRating: row.csatRating,
        createdAt: iso(row.createdAt),
        closedAt: isoOrNull(row.closedAt),
        updatedAt: iso(row.updatedAt),
        messages: byConversation.get(row.id) ?? [],
      }));
    },
  );
