import { and, asc, count, eq, sql } from 'drizzle-orm';
import { maxTriggersPerSite, type triggerInputSchema, type PublicTrigger, type Trigger } from '@beckon/sdk/protocol';
import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import { sitesTable, triggerRulesTable, type TriggerRuleRow } from '../../db/schema.js';
import { AppError, notFound } from '../../lib/errors.js';

type TriggerValues = z.output<typeof triggerInputSchema>;

export const toTrigger = (row: TriggerRuleRow): Trigger => ({
  id: row.id,
  name: row.name,
  enabled: row.enabled,
  conditions: row.conditions,
  action: row.action,
  frequency: row.frequency,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export async function listTriggers(db: Db, siteId: string): Promise<Trigger[]> {
  const rows = await db
    .select()
    .from(triggerRulesTable)
    .where(eq(triggerRulesTable.siteId, siteId))
    .orderBy(asc(triggerRulesTable.createdAt), asc(triggerRulesTable.id));
  return rows.map(toTrigger);
}

/** The enabled rules as the widget gets them in the public config: no names, nothing else of the site. */
export async function publicTriggers(db: Db, siteId: string): Promise<PublicTrigger[]> {
  const rows = await db
    .select({
      id: triggerRulesTable.id,
      conditions: triggerRulesTable.conditions,
      action: triggerRulesTable.action,
      frequency: triggerRulesTable.frequency,
    })
    .from(triggerRulesTable)
    .where(and(eq(triggerRulesTable.siteId, siteId), eq(triggerRulesTable.enabled, true)))
    .orderBy(asc(triggerRulesTable.createdAt), asc(triggerRulesTable.id));
  return rows;
}

/** Creates a rule; the site row is locked so two concurrent creates cannot pass the per-site limit together. */
export async function createTrigger(db: Db, siteId: string, input: TriggerValues): Promise<Trigger> {
  return db.transaction(async (tx) => {
    await tx.select({ id: sitesTable.id }).from(sitesTable).where(eq(sitesTable.id, siteId)).for('update');
    const [{ total } = { total: 0 }] = await tx
      .select({ total: count() })
      .from(triggerRulesTable)
      .where(eq(triggerRulesTable.siteId, siteId));
    if (Number(total) >= maxTriggersPerSite)
      throw new AppError('validation_failed', `A site has at most ${maxTriggersPerSite} triggers`);
    const [row] = await tx
      .insert(triggerRulesTable)
      .values({ siteId, ...input })
      .returning();
    return toTrigger(row!);
  });
}

export async function updateTrigger(db: Db, siteId: string, triggerId: string, input: TriggerValues): Promise<Trigger> {
  const [row] = await db
    .update(triggerRulesTable)
    .set({ ...input, updatedAt: sql`now()` })
    .where(and(eq(triggerRulesTable.siteId, siteId), eq(triggerRulesTable.id, triggerId)))
    .returning();
  if (!row) throw notFound('Trigger');
  return toTrigger(row);
}

export async function deleteTrigger(db: Db, siteId: string, triggerId: string): Promise<void> {
  const rows = await db
    .delete(triggerRulesTable)
    .where(and(eq(triggerRulesTable.siteId, siteId), eq(triggerRulesTable.id, triggerId)))
    .returning({ id: triggerRulesTable.id });
  if (!rows.length) throw notFound('Trigger');
}
