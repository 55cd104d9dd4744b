import type { Site } from '@beckon/sdk/protocol';
import type { AgentIdentity } from '../../app-env.js';
import type { Db } from '../../db/client.js';

/** The sites an agent may see, as `Me` lists them. */
export type VisibleSites = (db: Db, agent: AgentIdentity) => Promise<Site[]>;

let visibleSites: VisibleSites | undefined;

/**
 * Port: the sites feature tells auth which sites an agent sees. Sites sits above auth (its routes use auth's
 * guards), so auth cannot import it; app.ts wires the two when it builds the app.
 * @example provideVisibleSites(async (db, agent) => (await listVisibleSites(db, agent)).map(toSite))
 */
export function provideVisibleSites(source: VisibleSites): void {
  visibleSites = source;
}

export function visibleSitesOf(db: Db, agent: AgentIdentity): Promise<Site[]> {
  if (!visibleSites)
    throw new Error('auth: no visible-sites source (app.ts calls provideVisibleSites when it builds the app)');
  return visibleSites(db, agent);
}
