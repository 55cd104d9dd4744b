import { createHash, randomBytes } from 'node:crypto';
import { lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { anonymousSaltsTable } from '../../db/schema.js';

/** The UTC day a salt belongs to, e.g. `2026-11-22`. */
export const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * One salt per UTC day, shared by every node through the database (the first node to need it creates it;
 * `on conflict do nothing` makes the race harmless). Cached per process for the day only.
 */
export class DailySalt {
  private cached: { day: string; salt: string } | undefined;

  constructor(private readonly db: Db) {}

  async forDay(at: Date): Promise<string> {
    const day = utcDay(at);
    if (this.cached?.day === day) return this.cached.salt;
    await this.db
      .insert(anonymousSaltsTable)
      .values({ day, salt: randomBytes(32).toString('base64url') })
      .onConflictDoNothing();
    const [row] = await this.db.select().from(anonymousSaltsTable).where(sql`${anonymousSaltsTable.day} = ${day}`);
    this.cached = { day, salt: row!.salt };
    return row!.salt;
  }
}

/** Deletes the salts of past days, so their hashes can never be recomputed (run by the privacy job). */
export async function dropOldSalts(db: Db, now: Date): Promise<number> {
  const rows = await db
    .delete(anonymousSaltsTable)
    .where(lt(anonymousSaltsTable.day, utcDay(now)))
    .returning({ day: anonymousSaltsTable.day });
  return rows.length;
}

/**
 * The visitor id of an anonymous (pre-consent) batch: H(daily salt, site, truncated IP, user agent).
 * Stable for one visitor for one day on one site, unlinkable across days and sites. It is also the
 * batch's session id: an anonymous visitor has one "session" a day.
 */
export function anonymousVisitorId(salt: string, siteId: string, truncatedIp: string, userAgent: string): string {
  const digest = createHash('sha256')
    .update(salt)
    .update('\u0000')
    .update(siteId)
    .update('\u0000')
    .update(truncatedIp)
    .update('\u0000')
    .update(userAgent)
    .digest('base64url');
  return `anon_${digest.slice(0, 27)}`;
}

export { isAnonymousVisitorId } from '@beckon/sdk/protocol';
