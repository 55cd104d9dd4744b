import { eq, inArray } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { ScoringSettings } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import { scoringSettingsTable, sitesTable } from '../../db/schema.js';
import { defaultScoringSettings } from './defaults.js';

type Executor = Pick<Db, 'select'>;

/** The settings a row holds (percent fields only in percent mode, so a points site reads as before). */
export function settingsOfRow(row: typeof scoringSettingsTable.$inferSelect): ScoringSettings {
  return {
    rules: row.rules,
    halfLifeDays: row.halfLifeDays,
    hot: row.hot,
    warm: row.warm,
    ...(row.thresholdMode === 'percent'
      ? { thresholdMode: 'percent' as const, hotPercent: row.hotPercent ?? 20, warmPercent: row.warmPercent ?? 50 }
      : {}),
  };
}

/**
 * The settings each transaction has read, by site: a chat's lead touch needs them twice in one transaction (the
 * lead's score, then the chat's scoring signal), a statement each. Only transactions keep them, and only while
 * they run. A write of settings on this node (`forgetScoringSettings`) voids every transaction's copy: a write in
 * a nested transaction (a savepoint is a transaction object of its own) reaches its parent's readers too.
 */
const readInTransaction = new WeakMap<object, { generation: number; sites: Map<string, ScoringSettings> }>();
let generation = 0;

/** After writing scoring settings: reads in transactions go to the table again. */
export function forgetScoringSettings(): void {
  generation++;
}

/** Each site's scoring settings: its own row, else its template's defaults. */
export async function scoringSettingsFor(
  db: Executor,
  siteIds: readonly string[],
): Promise<Map<string, ScoringSettings>> {
  const result = new Map<string, ScoringSettings>();
  if (siteIds.length === 0) return result;
  let known: Map<string, ScoringSettings> | undefined;
  if (db instanceof PgTransaction) {
    let read = readInTransaction.get(db);
    if (read?.generation !== generation) readInTransaction.set(db, (read = { generation, sites: new Map() }));
    known = read.sites;
  }
  const ids: string[] = [];
  for (const id of new Set(siteIds)) {
    const settings = known?.get(id);
    if (settings) result.set(id, settings);
    else ids.push(id);
  }
  if (ids.length === 0) return result;
  const rows = await db
    .select({ siteId: sitesTable.id, template: sitesTable.template, settings: scoringSettingsTable })
    .from(sitesTable)
    .leftJoin(scoringSettingsTable, eq(scoringSettingsTable.siteId, sitesTable.id))
    .where(inArray(sitesTable.id, ids));
  for (const row of rows) {
    const settings = row.settings ? settingsOfRow(row.settings) : defaultScoringSettings(row.template);
    result.set(row.siteId, settings);
    known?.set(row.siteId, settings);
  }
  return result;
}

export async function scoringSettingsOf(db: Executor, siteId: string): Promise<ScoringSettings> {
  const settings = (await scoringSettingsFor(db, [siteId])).get(siteId);
  if (!settings) throw new Error(`no site ${siteId}`);
  return settings;
}
