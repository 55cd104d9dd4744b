import type { Logger } from './logger.js';

/** A job every node runs on an interval (sweeps that claim rows with `for update skip locked`). */
export interface IntervalJob {
  /** Runs one pass now, or joins the one running (tests, and the interval). Resolves with its count. */
  runOnce(now?: Date): Promise<number>;
  /** Stops the interval and waits for a running pass. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `intervalMs` on this node, never two at once; a pass that fails is logged and the
 * next tick tries again. `pass` gets `stopped()` so a pass that loops over a backlog can end early on
 * shutdown. The timer does not keep the process alive.
 * @example const job = startIntervalJob('callback SLA sweep', (now) => sweepOverdue(deps, now), { intervalMs: 10_000, logger })
 */
export function startIntervalJob(
  name: string,
  pass: (now: Date | undefined, stopped: () => boolean) => Promise<number>,
  { intervalMs, logger }: { intervalMs: number; logger: Logger },
): IntervalJob {
  let running: Promise<number> | undefined;
  let stopped = false;
  const runOnce = (now?: Date) => (running ??= pass(now, () => stopped).finally(() => (running = undefined)));
  const timer = setInterval(() => {
    if (stopped || running) return;
    runOnce().catch((error: unknown) => logger.error(`${name} failed`, { error }));
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
