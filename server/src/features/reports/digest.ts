import { and, eq, ne, sql } from 'drizzle-orm';
import { wallTime } from '@beckon/sdk/core';
import { type DigestFrequency, reportQuerySchema } from '@beckon/sdk/protocol';
import type { AppDeps } from '../../app-env.js';
import { agentsTable, reportDigestsTable, sitesTable } from '../../db/schema.js';
import { agentLanguage } from '../../lib/i18n.js';
import { digestTexts } from './emails/index.js';
import { feedbackReport, funnelReport, overviewReport, scopeOf, speedReport } from './queries.js';

/** Digests go out from this local hour on, for the day (or Monday–Sunday week) before. */
export const digestHour = 7;

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The period a digest sent at `now` covers in `tz`, or null before 07:00 local (and, weekly, on no day but the
 * week's first digest day: any day of the new week, so a node that was down on Monday still sends it).
 */
export function digestPeriod(
  frequency: Exclude<DigestFrequency, 'off'>,
  tz: string,
  now: Date,
): { key: string; from: string; to: string } | null {
  let wall: ReturnType<typeof wallTime>;
  try {
    wall = wallTime(now.getTime(), tz);
  } catch {
    return null;
  }
  const today = Date.UTC(wall.year, wall.month - 1, wall.day);
  const weekday = (new Date(today).getUTCDay() + 6) % 7; // Monday 0
  if (frequency === 'daily') {
    if (wall.minutes < digestHour * 60) return null;
    const day = isoDay(today - 86_400_000);
    return { key: `daily:${day}`, from: day, to: day };
  }
  if (weekday === 0 && wall.minutes < digestHour * 60) return null;
  const monday = today - weekday * 86_400_000 - 7 * 86_400_000;
  return { key: `weekly:${isoDay(monday)}`, from: isoDay(monday), to: isoDay(monday + 6 * 86_400_000) };
}

const formatMs = (ms: number | null) => {
  if (ms === null) return null;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round((ms / 3_600_000) * 10) / 10} h`;
};

/**
 * Sends every digest that is due: each opted-in admin's period is claimed first with one compare-and-set
 * (`last_period` ≠ the period → the period), so of several nodes running this at once exactly one sends it.
 * A send that fails gives the claim back, so the next run tries again. Returns the number sent.
 */
export async function sendDueDigests(deps: Pick<AppDeps, 'db' | 'mailer' | 'logger' | 'config'>, now = new Date()) {
  const { db, mailer } = deps;
  if (!mailer) return 0;
  const subscribers = await db
    .select({ agent: agentsTable, digest: reportDigestsTable })
    .from(reportDigestsTable)
    .innerJoin(agentsTable, eq(agentsTable.id, reportDigestsTable.agentId))
    .where(and(ne(reportDigestsTable.frequency, 'off'), eq(agentsTable.role, 'admin')));
  let sent = 0;
  for (const { agent, digest } of subscribers) {
    if (digest.frequency === 'off') continue;
    const period = digestPeriod(digest.frequency, digest.tz, now);
    if (!period || period.key === digest.lastPeriod) continue;
    const claimed = await db
      .update(reportDigestsTable)
      .set({ lastPeriod: period.key })
      .where(
        and(
          eq(reportDigestsTable.agentId, agent.id),
          sql`${reportDigestsTable.lastPeriod} is distinct from ${period.key}`,
        ),
      )
      .returning({ agentId: reportDigestsTable.agentId });
    if (claimed.length === 0) continue;
    try {
      await mailer.send(await digestMail(deps, agent, digest.frequency, digest.tz, period));
      sent++;
    } catch (error) {
      deps.logger.error('report digest not sent', { agentId: agent.id, error: String(error) });
      await db
        .update(reportDigestsTable)
        .set({ lastPeriod: digest.lastPeriod })
        .where(and(eq(reportDigestsTable.agentId, agent.id), eq(reportDigestsTable.lastPeriod, period.key)));
    }
  }
  return sent;
}

/** The digest itself: headline numbers of every site (an admin sees them all), in the admin's language. */
export async function digestMail(
  deps: Pick<AppDeps, 'db' | 'config'>,
  agent: typeof agentsTable.$inferSelect,
  frequency: Exclude<DigestFrequency, 'off'>,
  tz: string,
  period: { from: string; to: string },
) {
  const { db } = deps;
  const siteIds = (await db.select({ id: sitesTable.id }).from(sitesTable)).map((row) => row.id);
  const query = reportQuerySchema.parse({ from: period.from, to: period.to, tz, granularity: 'day' });
  const scope = await scopeOf(db, query, siteIds, agent);
  const [overview, speed, funnel, feedback] = await Promise.all([
    overviewReport(db, scope),
    speedReport(db, scope),
    funnelReport(db, scope),
    feedbackReport(db, scope),
  ]);
  const language = agentLanguage(agent);
  const t = digestTexts(language);
  const none = t('none');
  const stage = (name: string) => funnel.stages.find((row) => row.stage === name)?.count ?? 0;
  const base = deps.config.BECKON_PUBLIC_URL ?? `http://localhost:${deps.config.PORT}`;
  const link = `${base.replace(/\/$/, '')}/app/reports?from=${period.from}&to=${period.to}`;
  const periodLabel = period.from === period.to ? period.from : `${period.from} – ${period.to}`;
  return {
    to: [agent.email],
    subject:
      frequency === 'daily'
        ? t('subjectDaily', { date: period.from })
        : t('subjectWeekly', { from: period.from, to: period.to }),
    text: [
      t('greeting', { name: agent.name }),
      '',
      t('intro', { period: periodLabel, sites: siteIds.length }),
      '',
      `• ${t('inquiries', { count: overview.total, previous: overview.previousTotal })}`,
      `• ${t('missedChats', { count: speed.chat.missed, chats: speed.chat.chats })}`,
      `• ${t('firstResponse', { value: formatMs(speed.chat.firstResponse.all.medianMs) ?? none })}`,
      `• ${t('callbacksOnTime', {
        percent: speed.callbacks.onTimePercent === null ? none : `${speed.callbacks.onTimePercent}%`,
        overdue: speed.callbacks.overdue,
      })}`,
      `• ${t('newLeads', { count: stage('new'), won: stage('won'), lost: stage('lost') })}`,
      `• ${t('nps', { value: feedback.nps.score ?? none, count: feedback.nps.count })}`,
      '',
      t('link'),
      link,
      '',
      t('unsubscribe'),
    ].join('\n'),
  };
}
