import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/**
 * Records when visitors turned hot (the loader's "became hot" trigger time), in the caller's transaction: collect's
 * ingest calls it on a change to hot (rare), so the mark commits with the events that caused it. One statement.
 */
export async function markTurnedHot(
  tx: Pick<Db, 'execute'>,
  turnedHot: readonly { siteId: string; visitorId: string; at: string }[],
): Promise<void> {
  if (turnedHot.length === 0) return;
  await tx.execute(sql`
    insert into visitor_hot_marks (site_id, visitor_id, hot_at)
    select h.site_id, h.visitor_id, h.hot_at from jsonb_to_recordset(${JSON.stringify(turnedHot.map((change) => ({ site_id: change.siteId, visitor_id: change.visitorId, hot_at: change.at })))}::jsonb)
      as h(site_id uuid, visitor_id text, hot_at timestamptz)
    on conflict (site_id, visitor_id) do update set hot_at = excluded.hot_at`);
}

/**
 * A `left join` that adds `<as>.hot_at` (when the visitor last turned hot, or null) to rows of `<keys>` having
 * `site_id` and `visitor_id`: lets a caller read the marks inside its own statement, with no round trip of its own.
 * @example sql`select k.visitor_id, m.hot_at from … as k(site_id uuid, visitor_id text) ${hotMarkJoin('k', 'm')}`
 */
export function hotMarkJoin(keys: string, as: string): SQL {
  const k = sql.raw(keys);
  const m = sql.raw(as);
  return sql`left join visitor_hot_marks ${m} on ${m}.site_id = ${k}.site_id and ${m}.visitor_id = ${k}.visitor_id`;
}
