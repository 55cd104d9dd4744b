import { sql } from 'drizzle-orm';
import type { AppDeps } from '../../app-env.js';
import type { Db } from '../../db/client.js';
import { sitesTable } from '../../db/schema.js';
import { onlineAgents } from '../routing/index.js';
import { sendDueDigests } from './digest.js';
import { catchUpSite } from './refresh.js';

export const reportJobOptions = {
  /** How often each node folds raw changes into the rollups (reports lag the raw data by up to this + settle). */
  catchUpEveryMs: 30_000,
  /** Presence is sampled once a minute: the heatmap's resolution. */
  presenceEveryMs: 60_000,
  digestEveryMs: 5 * 60_000,
};

/** Folds every site's recent raw changes into the rollups; sites another node is folding are skipped. */
export async function catchUpAll(db: Db): Promise<void> {
  const sites = await db.select({ id: sitesTable.id }).from(sitesTable);
  for (const site of sites) await catchUpSite(db, site.id);
}

/**
 * Records which agents are online on each site this minute: one bit per minute of the UTC hour, OR-ed in, so
 * every node can sample (they see the same agents through the socket.io adapter) without counting anyone twice.
 */
export async function samplePresence(deps: Pick<AppDeps, 'db' | 'realtime'>, now = new Date()): Promise<void> {
  const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000).toISOString();
  const bit = (1n << BigInt(now.getUTCMinutes())).toString();
  const sites = await deps.db.select({ id: sitesTable.id }).from(sitesTable);
  const rows: { site_id: string; agent_id: string }[] = [];
  for (const site of sites)
    for (const agentId of await onlineAgents(deps.realtime, site.id))
      rows.push({ site_id: site.id, agent_id: agentId });
  await recordOnline(deps.db, hour, bit, rows);
}

export async function recordOnline(
  db: Db,
  hour: string,
  bit: string,
  rows: { site_id: string; agent_id: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`
    insert into report_agent_online (site_id, agent_id, hour, minutes)
    select r.site_id, r.agent_id, ${hour}::timestamptz, ${bit}::bigint
    from json_to_recordset(${JSON.stringify(rows)}::json) as r(site_id uuid, agent_id uuid)
    where exists (select 1 from agents a where a.id = r.agent_id)
    on conflict (site_id, hour, agent_id) do update set minutes = report_agent_online.minutes | excluded.minutes`);
}

/**
 * Every node runs the report jobs; they are safe together: the catch-up claims sites with
 * `for update skip locked`, presence bits are OR-ed, digests are claimed per admin and period.
 */
export function startReportJobs(deps: Pick<AppDeps, 'db' | 'realtime' | 'mailer' | 'logger' | 'config'>): () => void {
  const timers: NodeJS.Timeout[] = [];
  const every = (name: string, ms: number, run: () => Promise<unknown>) => {
    let running = false;
    const timer = setInterval(async () => {
      if (running) return;
      running = true;
      try {
        await run();
      } catch (error) {
        deps.logger.error(`report job failed: ${name}`, { error: String(error) });
      } finally {
        running = false;
      }
    }, ms);
    timer.unref();
    timers.push(timer);
  };
  every('catch-up', reportJobOptions.catchUpEveryMs, () => catchUpAll(deps.db));
  every('presence', reportJobOptions.presenceEveryMs, () => samplePresence(deps));
  every('digest', reportJobOptions.digestEveryMs, () => sendDueDigests(deps));
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
