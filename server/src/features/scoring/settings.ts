import { eq, inArray } from 'drizzle-orm';
import type { ScoringSettings } from '@beckon/sdk/protocol';
import type { Db } from '../../db/client.js';
import { scoringSettingsTable, sitesTable } from '../../db/schema.js';
import { defaultScoringSettings } from './defaults.js';

type Executor = Pick<Db, 'select'>;

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
    result.set(
      row.siteId,
      row.settings
        ? {
            rules: row.settings.rules,
            halfLifeDays: row.settings.halfLifeDays,
            hot: row.settings.hot,
            warm: row.settings.warm,
          }
        : defaultScoringSettings(row.template),
    );
  }
  return result;
}

export async function scoringSettingsOf(db: Executor, siteId: string): Promise<ScoringSettings> {
  const settings = (await scoringSettingsFor(db, [siteId])).get(siteId);
  if (!settings) throw new Error(`no site ${siteId}`);
  return settings;
}
