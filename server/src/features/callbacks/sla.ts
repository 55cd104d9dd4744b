import type { CallbackDeps } from './service.js';
import { pruneDailyCounts, sweepOverdue } from './service.js';
import { startIntervalJob, type IntervalJob } from '../../lib/interval-job.js';

export type SlaJob = IntervalJob;

/**
 * Flags overdue callbacks every `intervalMs`. Safe with any number of nodes: each sweep claims rows
 * with `for update skip locked` and only rows not flagged yet, so a row is escalated once per deadline.
 * A sweep that finds a full batch runs again at once, so a backlog drains quickly.
 */
export function startSlaJob(deps: CallbackDeps, publicUrl: () => string, intervalMs = 10_000): SlaJob {
  let lastPrune = 0;
  const batch = 50;
  return startIntervalJob(
    'callback SLA sweep',
    async (now, stopped) => {
      let total = 0;
      const at = now ?? new Date();
      // Once an hour is plenty: a day's counts only need to outlive that day.
      if (at.getTime() - lastPrune > 60 * 60_000) {
        lastPrune = at.getTime();
        await pruneDailyCounts(deps.db, at);
      }
      for (;;) {
        const flagged = await sweepOverdue(deps, publicUrl(), now ?? new Date(), batch);
        total += flagged.length;
        if (flagged.length < batch || stopped()) return total;
      }
    },
    { intervalMs, logger: deps.logger },
  );
}
