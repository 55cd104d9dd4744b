import { and, asc, count, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import {
  minOutcomesToLearn,
  type LearnResult,
  type ProposedNewRule,
  type ScoringRule,
  type Outcome,
  type ScoringJob,
  type ScoringSettings,
  type VisitorScore,
} from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import { eventsTable, scoringSettingsTable, visitorsTable, type ScoreState } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { replay, ruleCount, scoreOf, type EventFacts } from './engine.js';
import { minLabelledHits } from './learn.js';
import { learnInWorker } from './learn-runner.js';
import { candidateConditions } from './candidates.js';
import { forgetScoringSettings, scoringSettingsOf } from './settings.js';
import { enqueueRescore } from './jobs.js';

/** Current scores (decayed to now) of the given visitors of one site; unknown visitors are absent. */
export async function scoresFor(
  db: Db,
  siteId: string,
  visitorIds: readonly string[],
  now = Date.now(),
): Promise<Map<string, VisitorScore>> {
  const result = new Map<string, VisitorScore>();
  if (visitorIds.length === 0) return result;
  // Both issued at once: one round trip.
  const [settings, rows] = await Promise.all([
    scoringSettingsOf(db, siteId),
    db
      .select({ visitorId: visitorsTable.visitorId, state: visitorsTable.scoreState })
      .from(visitorsTable)
      .where(and(eq(visitorsTable.siteId, siteId), inArray(visitorsTable.visitorId, [...new Set(visitorIds)]))),
  ]);
  for (const row of rows) result.set(row.visitorId, scoreOf(row.state, settings, now));
  return result;
}

/**
 * Labels visitors won or lost (null clears it); the learner fits on these. Visitors the site has no
 * events for are created, so a lead from another channel can still be labelled.
 */
export async function recordOutcome(
  db: Db,
  siteId: string,
  visitorIds: readonly string[],
  outcome: Outcome | null,
  at = new Date(),
): Promise<void> {
  if (visitorIds.length === 0) return;
  await db
    .insert(visitorsTable)
    .values(
      [...new Set(visitorIds)].map((visitorId) => ({
        siteId,
        visitorId,
        firstSeenAt: at,
        lastSeenAt: at,
        outcome,
        outcomeAt: outcome ? at : null,
      })),
    )
    .onConflictDoUpdate({
      target: [visitorsTable.siteId, visitorsTable.visitorId],
      set: { outcome: sql`excluded.outcome`, outcomeAt: sql`excluded.outcome_at` },
    });
}

/** Labels one visitor the site has seen (the dashboard's won/lost); false for a visitor never seen: nothing is created. */
export async function setVisitorOutcome(
  db: Db,
  siteId: string,
  visitorId: string,
  outcome: Outcome | null,
  at = new Date(),
): Promise<boolean> {
  const labelled = await db
    .update(visitorsTable)
    .set({ outcome, outcomeAt: outcome ? at : null })
    .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, visitorId)))
    .returning({ visitorId: visitorsTable.visitorId });
  if (labelled.length > 0) return true;
  // Seen, not derived yet: a batch is answered when its events are stored, and its visitor derived a moment
  // later (ARCHITECTURE.md, "Derivation after the answer"). The row is created as derivation creates one
  // (visit_count 0: derivation sets its times from the events) and keeps the outcome. Never seen: nothing.
  const [seen] = await db
    .select({ id: eventsTable.id })
    .from(eventsTable)
    .where(and(eq(eventsTable.siteId, siteId), eq(eventsTable.visitorId, visitorId)))
    .limit(1);
  if (!seen) return false;
  await db
    .insert(visitorsTable)
    .values({ siteId, visitorId, firstSeenAt: at, lastSeenAt: at, outcome, outcomeAt: outcome ? at : null })
    .onConflictDoUpdate({
      target: [visitorsTable.siteId, visitorsTable.visitorId],
      set: { outcome, outcomeAt: outcome ? at : null },
    });
  return true;
}

const recomputeChunk = 200;
const replaySlice = 50;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface RecomputeProgress {
  /** Told how many visitors there are before the first chunk. */
  onStart?(total: number): Promise<void>;
  /** Told after each committed chunk; answering false stops the recompute there. */
  onChunk?(done: number): Promise<boolean>;
}

/**
 * Replays every visitor's stored events under the site's current settings (after a rule or half-life
 * change). Visitor rows are locked chunk by chunk, so ingestion that runs meanwhile waits for the chunk
 * and then adds its events on top of the recomputed state. Runs inside a rescoring job (`jobs.ts`).
 */
export async function recomputeSite(
  db: Db,
  siteId: string,
  now = Date.now(),
  progress: RecomputeProgress = {},
): Promise<number> {
  const settings = await scoringSettingsOf(db, siteId);
  if (progress.onStart) {
    const [counted] = await db.select({ n: count() }).from(visitorsTable).where(eq(visitorsTable.siteId, siteId));
    await progress.onStart(counted?.n ?? 0);
  }
  let after = '';
  let done = 0;
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const visitors = await tx
        .select({ visitorId: visitorsTable.visitorId })
        .from(visitorsTable)
        .where(and(eq(visitorsTable.siteId, siteId), gt(visitorsTable.visitorId, after)))
        .orderBy(asc(visitorsTable.visitorId))
        .limit(recomputeChunk)
        .for('update');
      if (visitors.length === 0) return 0;
      const ids = visitors.map((v) => v.visitorId);
      after = ids[ids.length - 1]!;
      const events = await tx
        .select()
        .from(eventsTable)
        .where(and(eq(eventsTable.siteId, siteId), inArray(eventsTable.visitorId, ids)))
        .orderBy(asc(eventsTable.id));
      const byVisitor = new Map<string, EventFacts[]>(ids.map((id) => [id, []]));
      for (const event of events) byVisitor.get(event.visitorId)?.push(event);
      const updates = [];
      for (const [i, visitorId] of ids.entries()) {
        // A chunk's replay is tens of milliseconds of CPU: the event loop gets a turn every 50 visitors.
        if (i > 0 && i % replaySlice === 0) await yieldToLoop();
        const { visitor } = replay(byVisitor.get(visitorId)!, settings);
        const scored = scoreOf(visitor.scoreState, settings, Math.max(now, visitor.lastSeenAt ?? now));
        updates.push({
          visitor_id: visitorId,
          score_state: visitor.scoreState,
          score: scored.score,
          temperature: scored.temperature,
        });
      }
      await tx.execute(sql`
        update visitors v set score_state = u.score_state, score = u.score, temperature = u.temperature
        from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as u(visitor_id text, score_state jsonb, score double precision, temperature text)
        where v.site_id = ${siteId} and v.visitor_id = u.visitor_id`);
      return ids.length;
    });
    done += count;
    if (count > 0 && progress.onChunk && !(await progress.onChunk(done))) return done;
    if (count < recomputeChunk) return done;
  }
}

/**
 * Saves a site's scoring settings and queues the rescore of its visitors under them (in the same
 * transaction): the request answers at once, a background job (`jobs.ts`) does the replay.
 */
export async function saveScoringSettings(
  db: Db,
  siteId: string,
  settings: ScoringSettings,
  reason: ScoringJob['reason'] = 'rules_saved',
): Promise<{ settings: ScoringSettings; job: ScoringJob }> {
  const values = {
    rules: settings.rules,
    halfLifeDays: settings.halfLifeDays,
    hot: settings.hot,
    warm: settings.warm,
    thresholdMode: settings.thresholdMode ?? 'points',
    hotPercent: settings.thresholdMode === 'percent' ? (settings.hotPercent ?? null) : null,
    warmPercent: settings.thresholdMode === 'percent' ? (settings.warmPercent ?? null) : null,
    updatedAt: new Date(),
  };
  const job = await db.transaction(async (tx) => {
    await tx
      .insert(scoringSettingsTable)
      .values({ siteId, ...values })
      .onConflictDoUpdate({ target: scoringSettingsTable.siteId, set: values });
    forgetScoringSettings();
    return enqueueRescore(tx, siteId, reason);
  });
  return { settings, job };
}

const hashSeed = (text: string) =>
  [...text].reduce((hash, char) => (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0, 7);

// One learn per site at a time on this node: a second click while it runs gets the same answer.
const learning = new Map<string, Promise<LearnResult>>();

/**
 * Fits L2-regularised logistic regression of won/lost on the rule counts of labelled visitors, in a
 * worker thread, and proposes points on the site's scale with a cross-validated AUC, calibration and a
 * confidence per rule. Nothing changes until an admin applies them.
 */
export function learnFromOutcomes(db: Db, siteId: string): Promise<LearnResult> {
  let running = learning.get(siteId);
  if (!running) {
    running = learnSite(db, siteId).finally(() => learning.delete(siteId));
    learning.set(siteId, running);
  }
  return running;
}

/** Labelled visitors read per query while learning: the event loop gets a turn between pages. */
const learnPage = 2000;

/**
 * The labelled visitors' rule counts, outcomes and totals, page by page (keyset on the visitor id) so no
 * single query result or loop holds the event loop: each page's score states are reduced to counts and
 * dropped before the next page is read.
 */
async function labelledCounts(db: Db, siteId: string, rules: readonly ScoringRule[]) {
  const counts: number[] = [];
  const labels: number[] = [];
  const totals: ScoreState['totals'][] = [];
  let after = '';
  for (;;) {
    const page = await db
      .select({ visitorId: visitorsTable.visitorId, state: visitorsTable.scoreState, outcome: visitorsTable.outcome })
      .from(visitorsTable)
      .where(
        and(eq(visitorsTable.siteId, siteId), isNotNull(visitorsTable.outcome), gt(visitorsTable.visitorId, after)),
      )
      .orderBy(asc(visitorsTable.visitorId))
      .limit(learnPage);
    for (const row of page) {
      for (const rule of rules) counts.push(ruleCount(row.state, rule));
      labels.push(row.outcome === 'won' ? 1 : 0);
      totals.push(row.state.totals);
    }
    if (page.length < learnPage) return { counts, labels, totals };
    after = page[page.length - 1]!.visitorId;
  }
}

async function learnSite(db: Db, siteId: string): Promise<LearnResult> {
  const settings = await scoringSettingsOf(db, siteId);
  const { counts, labels, totals } = await labelledCounts(db, siteId, settings.rules);
  const won = labels.filter((y) => y === 1).length;
  const lost = labels.length - won;
  if (labels.length < minOutcomesToLearn || won < 5 || lost < 5) {
    throw new AppError(
      'conflict',
      `Learning needs at least ${minOutcomesToLearn} visitors marked won or lost, with 5 of each; this site has ${won} won and ${lost} lost`,
      { needed: minOutcomesToLearn, won, lost },
    );
  }
  // Packed as flat typed arrays, moved to the worker without a copy (see `PackedLearnInput`).
  const conditions = candidateConditions(settings.rules, totals);
  const columns = new Float64Array(conditions.length * labels.length);
  for (const [c, condition] of conditions.entries()) {
    const candidate = { id: 'candidate', condition };
    totals.forEach((visitorTotals, i) => {
      columns[c * labels.length + i] = visitorTotals
        ? ruleCount({ asOf: 0, rules: {}, totals: visitorTotals }, candidate)
        : 0;
    });
    await yieldToLoop();
  }
  const started = performance.now();
  const output = await learnInWorker({
    rules: settings.rules.map(({ id, label, points }) => ({ id, label, points })),
    hot: settings.hot,
    seed: hashSeed(siteId),
    features: settings.rules.length,
    x: Float64Array.from(counts),
    y: Uint8Array.from(labels),
    conditions,
    columns,
  });
  return {
    outcomes: { won, lost },
    minLabelledHits,
    ...output,
    newRules: output.newRules.map((rule) => towardsMinority(rule, labels.length, won)),
    learnMs: Math.round(performance.now() - started),
  };
}

/**
 * A proposed threshold rule, stated so that it fires for the minority of labelled visitors: "time on site
 * ≥ 10 s" (nearly everyone) becomes "time on site < 10 s" with the opposite points. Both rank alike, but a
 * rule nearly everyone hits would lift nearly everyone towards hot — hot must stay the top of the
 * distribution. (Only the visitor with no visit at all, whom neither form counts, sees a difference.)
 */
function towardsMinority(rule: ProposedNewRule, labelled: number, won: number): ProposedNewRule {
  if (rule.condition.kind !== 'total' || rule.labelledHits * 2 <= labelled) return rule;
  return {
    ...rule,
    condition: { ...rule.condition, op: rule.condition.op === 'gte' ? 'lt' : 'gte' },
    points: -rule.points,
    labelledHits: labelled - rule.labelledHits,
    wonHits: won - rule.wonHits,
  };
}

const maxRules = 100;

/**
 * Sets rule points and adds the accepted new rules (an admin applying a learnt proposal), then queues the
 * rescore; unknown rule ids, or new rules whose ids are taken, are refused.
 */
export async function applyPoints(
  db: Db,
  siteId: string,
  points: Record<string, number>,
  newRules: readonly ScoringRule[] = [],
): Promise<{ settings: ScoringSettings; job: ScoringJob }> {
  const settings = await scoringSettingsOf(db, siteId);
  const known = new Set(settings.rules.map((rule) => rule.id));
  const unknown = Object.keys(points).filter((id) => !known.has(id));
  if (unknown.length > 0) throw new AppError('validation_failed', 'Unknown rule ids', { unknown });
  const clashing = newRules.filter(
    (rule, i) => known.has(rule.id) || newRules.findIndex((r) => r.id === rule.id) !== i,
  );
  if (clashing.length > 0)
    throw new AppError('validation_failed', 'New rules need ids of their own', { ids: clashing.map((r) => r.id) });
  const rules = [
    ...settings.rules.map((rule) => (Object.hasOwn(points, rule.id) ? { ...rule, points: points[rule.id]! } : rule)),
    ...newRules,
  ];
  if (rules.length > maxRules) throw new AppError('validation_failed', `A site has at most ${maxRules} rules`);
  return saveScoringSettings(db, siteId, { ...settings, rules }, 'points_applied');
}
