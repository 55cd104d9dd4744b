import { and, desc, eq, gte, isNotNull } from 'drizzle-orm';
import type { Feedback, FeedbackKind, FeedbackReport } from '@beckon/sdk/protocol';
import type { AppDeps } from '../../app-env.js';
import type { Db } from '../../db/client.js';
import {
  chatVisitorsTable,
  conversationsTable,
  feedbackTable,
  type FeedbackRow,
  type SiteRow,
} from '../../db/schema.js';
import { publishLead, recordLeadTouch } from '../leads/index.js';
import { recordSignal } from '../visitors/index.js';
import { enqueueWebhookEvent } from '../webhooks/index.js';
import { personRefsByLead } from '../persons/index.js';
import { csatOf, npsOf } from './score.js';
import { truncateReadable } from '@beckon/sdk/core';

export const toFeedback = (row: FeedbackRow): Feedback => ({
  id: row.id,
  siteId: row.siteId,
  kind: row.kind,
  score: row.score,
  text: row.text,
  email: row.email,
  pageUrl: row.pageUrl,
  leadId: row.leadId,
  createdAt: row.createdAt.toISOString(),
});

const kindLabels: Record<FeedbackKind, string> = { nps: 'NPS', csat: 'CSAT', message: 'Message' };

export interface NewFeedback {
  kind: FeedbackKind;
  score?: number | undefined;
  text?: string | undefined;
  email?: string | undefined;
  visitorId?: string | undefined;
  pageUrl?: string | undefined;
}

/**
 * Stores an answer with its lead touch (when an email or visitor id says who it is) and the
 * `feedback.submitted` webhook in one transaction; the lead push follows the commit.
 */
export async function storeFeedback(
  deps: Pick<AppDeps, 'db' | 'realtime' | 'logger'>,
  site: SiteRow,
  input: NewFeedback,
  publicUrl: string,
) {
  const { row, leadId } = await deps.db.transaction(async (tx) => {
    const [inserted] = await tx
      .insert(feedbackTable)
      .values({
        siteId: site.id,
        kind: input.kind,
        score: input.score ?? null,
        text: input.text || null,
        email: input.email ?? null,
        visitorId: input.visitorId ?? null,
        pageUrl: input.pageUrl ?? null,
      })
      .returning();
    const scorePart = input.score === undefined ? '' : ` ${input.score}${input.kind === 'csat' ? '/5' : '/10'}`;
    const lead = await recordLeadTouch(tx, {
      siteId: site.id,
      channel: 'feedback',
      kind: 'feedback.submitted',
      contact: { email: input.email ?? null },
      visitorId: input.visitorId ?? null,
      ref: { type: 'feedback', id: inserted!.id },
      summary: `${kindLabels[input.kind]}${scorePart}${input.text ? `: ${truncateReadable(input.text, 140)}` : ''}`,
      data: { kind: input.kind, score: input.score ?? null, text: input.text ?? null, pageUrl: input.pageUrl ?? null },
    });
    const row = lead
      ? (
          await tx
            .update(feedbackTable)
            .set({ leadId: lead.leadId })
            .where(eq(feedbackTable.id, inserted!.id))
            .returning()
        )[0]!
      : inserted!;
    await enqueueWebhookEvent(tx, site.id, 'feedback.submitted', {
      feedback: toFeedback(row),
      site: { id: site.id, key: site.key, name: site.name },
      leadId: row.leadId,
      dashboardUrl: `${publicUrl}/app/sites/${encodeURIComponent(site.key)}/feedback`,
    });
    return { row, leadId: lead?.leadId ?? null };
  });
  const feedback = toFeedback(row);
  deps.realtime.toSite(site.id, 'feedback:new', feedback);
  if (leadId)
    await publishLead(deps, leadId).catch((error: unknown) => deps.logger.warn('lead push failed', { error }));
  if (input.visitorId)
    await recordSignal(deps.db, site.id, input.visitorId, 'feedback_given').catch((error: unknown) =>
      deps.logger.warn('feedback signal failed', { error }),
    );
  return feedback;
}

const dayMs = 24 * 60 * 60 * 1000;

/** NPS and CSAT over the last `days` days (UTC), a daily series for the chart, and the answers. */
export async function feedbackReport(
  db: Db,
  siteId: string,
  days: number,
  options: { kind?: FeedbackKind | undefined; limit: number },
  now = new Date(),
): Promise<FeedbackReport> {
  const firstDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * dayMs);
  // Scores only: a site gets at most a few thousand answers a quarter, so one narrow read is cheap.
  const scored = await db
    .select({ kind: feedbackTable.kind, score: feedbackTable.score, createdAt: feedbackTable.createdAt })
    .from(feedbackTable)
    .where(and(eq(feedbackTable.siteId, siteId), gte(feedbackTable.createdAt, firstDay)));
  const daily = Array.from({ length: days }, (_, index) => {
    const start = firstDay.getTime() + index * dayMs;
    const inDay = scored.filter(
      (answer) => answer.createdAt.getTime() >= start && answer.createdAt.getTime() < start + dayMs,
    );
    return {
      day: new Date(start).toISOString().slice(0, 10),
      nps: npsOf(inDay.filter((a) => a.kind === 'nps').map((a) => a.score!)).score,
      csat: csatOf(inDay.filter((a) => a.kind === 'csat').map((a) => a.score!)).average,
      answers: inDay.length,
    };
  });
  const filters = [eq(feedbackTable.siteId, siteId), gte(feedbackTable.createdAt, firstDay)];
  if (options.kind) filters.push(eq(feedbackTable.kind, options.kind));
  const rows = await db
    .select()
    .from(feedbackTable)
    .where(and(...filters))
    .orderBy(desc(feedbackTable.createdAt))
    .limit(options.limit);
  const persons = await personRefsByLead(
    db,
    rows.map((row) => row.leadId),
  );
  const answers = rows.map((row) => ({ ...toFeedback(row), person: (row.leadId && persons.get(row.leadId)) || null }));
  // Chat ratings are CSAT answers too: listed with the form's, newest first, within the same limit.
  const chats = !options.kind || options.kind === 'csat' ? await chatRatings(db, siteId, firstDay, options.limit) : [];
  const merged = [...answers, ...chats].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, options.limit);
  return {
    days,
    nps: npsOf(scored.filter((a) => a.kind === 'nps').map((a) => a.score!)),
    csat: csatOf(scored.filter((a) => a.kind === 'csat').map((a) => a.score!)),
    chatRatings: csatOf(await chatRatingScores(db, siteId, firstDay)),
    daily,
    answers: merged,
  };
}

/** Only a closed chat can be rated (the widget offers the stars then): its close dates the rating. */
const ratedAt = conversationsTable.closedAt;
const ratedSince = (siteId: string, since: Date) =>
  and(eq(conversationsTable.siteId, siteId), isNotNull(conversationsTable.csatRating), gte(ratedAt, since));

async function chatRatingScores(db: Db, siteId: string, since: Date): Promise<number[]> {
  const rows = await db
    .select({ rating: conversationsTable.csatRating })
    .from(conversationsTable)
    .where(ratedSince(siteId, since));
  return rows.map((row) => row.rating!);
}

async function chatRatings(db: Db, siteId: string, since: Date, limit: number): Promise<Feedback[]> {
  const rows = await db
    .select({
      id: conversationsTable.id,
      rating: conversationsTable.csatRating,
      comment: conversationsTable.csatComment,
      at: ratedAt,
      email: chatVisitorsTable.email,
      url: chatVisitorsTable.currentUrl,
    })
    .from(conversationsTable)
    .leftJoin(chatVisitorsTable, eq(chatVisitorsTable.id, conversationsTable.chatVisitorId))
    .where(ratedSince(siteId, since))
    .orderBy(desc(ratedAt))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    siteId,
    kind: 'csat',
    score: row.rating,
    text: row.comment,
    email: row.email,
    pageUrl: row.url,
    leadId: null,
    createdAt: row.at!.toISOString(),
    source: 'chat',
  }));
}
