import { eq, inArray } from 'drizzle-orm';
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

/** Each site's scoring settings: its own row, else its template's defaults. */
export async function scoringSettingsFor(
  db: Executor,
  siteIds: readonly string[],
): Promise<Map<string, ScoringSettings>> {
  const result = new Map<string, ScoringSettings>();
  if (siteIds.length === 0) return result;
  const ids = [...new Set(siteIds)];
  const rows = await db
    .select({ siteId: sitesTable.id, template: sitesTable.template, settings: scoringSettingsTable })
    .from(sitesTable)
    .leftJoin(scoringSettingsTable, eq(scoringSettingsTable.siteId, sitesTable.id))
    .where(inArray(sitesTable.id, ids));
  for (const row of rows) {
    result.set(row.siteId, row.settings ? settingsOfRow(row.settings) : defaultScoringSettings(row.template));
  }
  return result;
}

export async function scoringSettingsOf(db: Executor, siteId: string): Promise<ScoringSettings> {
  const settings = (await scoringSettingsFor(db, [siteId])).get(siteId);
  if (!settings) throw new Error(`no site ${siteId}`);
  return settings;
}
