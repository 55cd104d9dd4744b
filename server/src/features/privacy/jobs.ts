import type { Db } from '../../db/client.js';
import type { Logger } from '../../lib/logger.js';
import { dropOldSalts } from './anonymous.js';
import { retentionOptions, runRetention } from './service.js';

/**
 * Every node runs the privacy jobs; they are safe together: retention claims sites with
 * `for update skip locked`, and dropping yesterday's salts is idempotent. First run one minute after
 * start (not during start-up), then every `retentionOptions.everyMs / 4` so a due site waits little.
 * `dropWholeMonths` (collect's `dropExpiredEventPartitions`, handed in by server.ts: collect depends on
 * features that depend on privacy) runs first, so a backlog goes as whole months, not as row deletes.
 */
export function startPrivacyJobs(
  db: Db,
  logger: Logger,
  {
    everyMs = retentionOptions.everyMs / 4,
    dropWholeMonths,
  }: { everyMs?: number; dropWholeMonths?: (db: Db, now: Date) => Promise<string[]> } = {},
): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const now = new Date();
      // Whole months first (a drop, not millions of deletes); the row-by-row purge then finds only the boundary
      // month. A drop that fails (its lock timed out) leaves the rows to the purge and is tried again next time.
      const dropped = await (dropWholeMonths?.(db, now) ?? Promise.resolve([])).catch((error: unknown) => {
        logger.error('dropping expired event partitions failed', { error });
        return [];
      });
      if (dropped.length > 0) logger.info('retention dropped event partitions', { partitions: dropped });
      const purged = await runRetention(db, now);
      for (const [siteId, deleted] of purged)
        if (Object.values(deleted).some((n) => n > 0))
          logger.info('retention purged visitor data', { siteId, ...deleted });
      await dropOldSalts(db, now);
    } catch (error) {
      logger.error('privacy job failed', { error });
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 60_000);
  const timer = setInterval(() => void tick(), everyMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
