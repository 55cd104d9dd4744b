import { and, desc, eq, gte } from 'drizzle-orm';
import type { Feedback, FeedbackKind, FeedbackReport } from '@beckon/sdk/protocol';
import type { AppDeps } from '../../app-env.js';
import type { Db } from '../../db/client.js';
import { feedbackTable, type FeedbackRow, type SiteRow } from '../../db/schema.js';
import { publishLead, recordLeadTouch } from '../leads/service.js';
import { recordSignal } from '../scoring/service.js';
import { enqueueWebhookEvent } from '../webhooks/outbox.js';
import { personRefsByLead } from '../persons/refs.js';
import { csatOf, npsOf } from './score.js';

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
export async function storeFeedback(deps: Pick<AppDeps, 'db' | 'realtime' | 'logger'>, site: SiteRow, input: NewFeedback, publicUrl: string) {
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
      summary: `${kindLabels[input.kind]}${scorePart}${input.text ? `: ${input.text.slice(0, 140)}` : ''}`,
      data: { kind: input.kind, score: input.score ?? null, text: input.text ?? null, pageUrl: input.pageUrl ?? null },
    });
    const row = lead ? (await tx.update(feedbackTable).set({ leadId: lead.leadId }).where(eq(feedbackTable.id, inserted!.id)).returning())[0]! : inserted!;
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
  if (leadId) await publishLead(deps, leadId).catch((error: unknown) => deps.logger.warn('lead push failed', { error }));
  if (input.visitorId) await recordSignal(deps.db, site.id, input.visitorId, 'feedback_given').catch((error: unknown) => deps.logger.warn('feedback signal failed', { error }));
  return feedback;
}

const dayMs = 24 * 60 * 60 * 1000;

/** NPS and CSAT over the last `days` days (UTC), a daily series for the chart, and the answers. */
export async function feedbackReport(db: Db, siteId: string, days: number, options: { kind?: FeedbackKind | undefined; limit: number }, now = new Date()): Promise<FeedbackReport> {
  const firstDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * dayMs);
  // Scores only: a site gets at most a few thousand answers a quarter, so one narrow read is cheap.
  const scored = await db
    .select({ kind: feedbackTable.kind, score: feedbackTable.score, createdAt: feedbackTable.createdAt })
    .from(feedbackTable)
    .where(and(eq(feedbackTable.siteId, siteId), gte(feedbackTable.createdAt, firstDay)));
  const daily = Array.from({ length: days }, (_, index) => {
    const start = firstDay.getTime() + index * dayMs;
    const inDay = scored.filter((answer) => answer.createdAt.getTime() >= start && answer.createdAt.getTime() < start + dayMs);
    return {
      day: new Date(start).toISOString().slice(0, 10),
      nps: npsOf(inDay.filter((a) => a.kind === 'nps').map((a) => a.score!)).score,
      csat: csatOf(inDay.filter((a) => a.kind === 'csat').map((a) => a.score!)).average,
      answers: inDay.length,
    };
  });
  const filters = [eq(feedbackTable.siteId, siteId), gte(feedbackTable.createdAt, firstDay)];
  if (options.kind) filters.push(eq(feedbackTable.kind, options.kind));
  const answers = await db.select().from(feedbackTable).where(and(...filters)).orderBy(desc(feedbackTable.createdAt)).limit(options.limit);
  const persons = await personRefsByLead(db, answers.map((row) => row.leadId));
  return {
    days,
    nps: npsOf(scored.filter((a) => a.kind === 'nps').map((a) => a.score!)),
    csat: csatOf(scored.filter((a) => a.kind === 'csat').map((a) => a.score!)),
    daily,
    answers: answers.map((row) => ({ ...toFeedback(row), person: (row.leadId && persons.get(row.leadId)) || null })),
  };
}
