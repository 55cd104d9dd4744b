import type { DbOrTx } from '../../db/client.js';
import { scoringSettingsTable, type SiteRow } from '../../db/schema.js';
import { defaultScoringSettings } from './defaults.js';
import { forgetScoringSettings } from './settings.js';

/**
 * A new site gets a copy of its template's rule set now, so later changes to the defaults never move this site's
 * scores. Runs in the transaction that creates the site (sites' `onSiteCreated`, subscribed in app.ts).
 */
export async function copyTemplateScoring(tx: DbOrTx, site: SiteRow): Promise<void> {
  await tx.insert(scoringSettingsTable).values({ siteId: site.id, ...defaultScoringSettings(site.template) });
  forgetScoringSettings();
}
