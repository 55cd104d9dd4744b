import type { CallbackDeps } from './service.js';
import { pruneDailyCounts, sweepOverdue } from './service.js';

export interface SlaJob {
  /** Runs one sweep now (tests, and the interval). Resolves with the number of callbacks flagged. */
  runOnce(now?: Date): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Flags overdue callbacks every `intervalMs`. Safe with any number of nodes: each sweep claims rows
 * with `for update skip locked` and only rows not flagged yet, so a row is escalated once per deadline.
 * A sweep that finds a full batch runs again at once, so a backlog drains quickly.
 */
export function startSlaJob(deps: CallbackDeps, publicUrl: () => string, intervalMs = 10_000): SlaJob {
  let running: Promise<number> | undefined;
  let lastPrune = 0;
  let stopped = false;
  const batch = 50;

  async function sweep(now?: Date): Promise<number> {
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
      if (flagged.length < batch || stopped) return total;
    }
  }

  function runOnce(now?: Date) {
    running ??= sweep(now).finally(() => (running = undefined));
    return running;
  }

  const timer = setInterval(() => {
    if (stopped || running) return;
    runOnce().catch((error: unknown) => deps.logger.error('callback SLA sweep failed', { error }));
  }, intervalMs);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
