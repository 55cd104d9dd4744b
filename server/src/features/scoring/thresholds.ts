import { and, eq, gte, sql } from 'drizzle-orm';
import { thresholdWindowDays, type ComputedThresholds } from '@beckon/sdk/protocol';
import { rowsOf, type Db } from '../../db/client.js';
import { scoringSettingsTable, visitorsTable } from '../../db/schema.js';
import { forgetScoringSettings } from './settings.js';

const dayMs = 24 * 60 * 60 * 1000;

/** Percent thresholds are computed again when the last computation is older than this. */
export const thresholdsRefreshMs = 60 * 60 * 1000;

/**
 * The smallest whole-point threshold that at most `percent` % of `scores` reach (so ties at the border
 * stay out rather than pushing the hot share past what the admin asked for). Never below `floor`.
 */
function thresholdForShare(sortedDesc: readonly number[], percent: number, floor: number): number {
  const allowed = Math.floor((sortedDesc.length * percent) / 100);
  if (allowed >= sortedDesc.length) return floor;
  // Everyone above the first score left out may be in: the threshold sits just above that score.
  const firstOut = sortedDesc[allowed]!;
  return Math.max(floor, Math.floor(firstOut) + 1);
}

/**
 * Hot and warm points that put the top `hotPercent` % of the scores at hot and the top `warmPercent` % at
 * warm or hotter. Hot is at least 1 and warm stays below hot (0 at least), as the settings require.
 */
export function pointsForShares(
  scores: readonly number[],
  hotPercent: number,
  warmPercent: number,
): { hot: number; warm: number } {
  const sorted = [...scores].sort((a, b) => b - a);
  const hot = thresholdForShare(sorted, hotPercent, 1);
  const warm = Math.min(hot - 1, thresholdForShare(sorted, warmPercent, 0));
  return { hot, warm: Math.max(0, warm) };
}

/**
 * Computes a percent-mode site's hot / warm points from its visitors seen in the last 30 days (their scores
 * when last seen), stores them, and moves every visitor's stored temperature to the new points in one
 * statement. Null for a site in points mode (nothing changes) or with no recent visitor (the points stay).
 */
export async function computePercentThresholds(
  db: Db,
  siteId: string,
  now = Date.now(),
): Promise<ComputedThresholds | null> {
  const [settings] = await db.select().from(scoringSettingsTable).where(eq(scoringSettingsTable.siteId, siteId));
  if (settings?.thresholdMode !== 'percent') return null;
  const since = new Date(now - thresholdWindowDays * dayMs);
  const scores = (
    await db
      .select({ score: visitorsTable.score })
      .from(visitorsTable)
      .where(and(eq(visitorsTable.siteId, siteId), gte(visitorsTable.lastSeenAt, since)))
  ).map((row) => row.score);
  const computedAt = new Date(now);
  if (scores.length === 0) {
    await db
      .update(scoringSettingsTable)
      .set({ thresholdsComputedAt: computedAt, thresholdsVisitors: 0 })
      .where(eq(scoringSettingsTable.siteId, siteId));
    return null;
  }
  const { hot, warm } = pointsForShares(scores, settings.hotPercent ?? 20, settings.warmPercent ?? 50);
  await db.transaction(async (tx) => {
    await tx
      .update(scoringSettingsTable)
      .set({ hot, warm, thresholdsComputedAt: computedAt, thresholdsVisitors: scores.length })
      .where(eq(scoringSettingsTable.siteId, siteId));
    forgetScoringSettings();
    await tx.execute(sql`
      update visitors set temperature = case when score >= ${hot} then 'hot' when score >= ${warm} then 'warm' else 'cold' end
      where site_id = ${siteId}
        and temperature <> case when score >= ${hot} then 'hot' when score >= ${warm} then 'warm' else 'cold' end`);
  });
  return { hot, warm, visitors: scores.length, computedAt: computedAt.toISOString() };
}

/** What the last computation found, for the Scoring page (null: points mode or never computed). */
export async function computedThresholdsOf(db: Pick<Db, 'select'>, siteId: string): Promise<ComputedThresholds | null> {
  const [row] = await db.select().from(scoringSettingsTable).where(eq(scoringSettingsTable.siteId, siteId));
  if (row?.thresholdMode !== 'percent' || !row.thresholdsComputedAt) return null;
  return {
    hot: row.hot,
    warm: row.warm,
    visitors: row.thresholdsVisitors ?? 0,
    computedAt: row.thresholdsComputedAt.toISOString(),
  };
}

/**
 * Claims one percent-mode site whose thresholds are due (never computed, or older than an hour) by stamping
 * it in the same statement (`skip locked`: two nodes never take the same site), and computes it. The
 * rescoring runner calls this after each pass until it answers false.
 */
export async function refreshDueThresholds(db: Db, now = Date.now()): Promise<boolean> {
  const due = new Date(now - thresholdsRefreshMs);
  const claimed = rowsOf<{ site_id: string }>(
    await db.execute(sql`
      update scoring_settings set thresholds_computed_at = ${new Date(now).toISOString()}::timestamptz
      where site_id = (
        select site_id from scoring_settings
        where threshold_mode = 'percent' and (thresholds_computed_at is null or thresholds_computed_at < ${due.toISOString()}::timestamptz)
        limit 1
        for update skip locked)
      returning site_id`),
  );
  const siteId = claimed[0]?.site_id;
  if (!siteId) return false;
  await computePercentThresholds(db, siteId, now);
  return true;
}
