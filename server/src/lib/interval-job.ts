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
 * shutdown. The timers do not keep the process alive.
 *
 * `firstAfterMs` runs the first pass that long after start and the next ones every `intervalMs` after it,
 * so a job can keep out of the seconds when other jobs started with the process tick.
 * @example const job = startIntervalJob('callback SLA sweep', (now) => sweepOverdue(deps, now), { intervalMs: 10_000, logger })
 */
export function startIntervalJob(
  name: string,
  pass: (now: Date | undefined, stopped: () => boolean) => Promise<number>,
  { intervalMs, logger, firstAfterMs }: { intervalMs: number; logger: Logger; firstAfterMs?: number },
): IntervalJob {
  let running: Promise<number> | undefined;
  let stopped = false;
  const runOnce = (now?: Date) => (running ??= pass(now, () => stopped).finally(() => (running = undefined)));
  const tick = () => {
    if (stopped || running) return;
    runOnce().catch((error: unknown) => logger.error(`${name} failed`, { error }));
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  const repeat = () => {
    timer = setInterval(tick, intervalMs);
    timer.unref();
  };
  const first =
    firstAfterMs === undefined
      ? undefined
      : setTimeout(() => {
          repeat();
          tick();
        }, firstAfterMs);
  first?.unref();
  if (!first) repeat();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
