import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startIntervalJob } from './interval-job.js';
import { createLogger } from './logger.js';

describe('startIntervalJob', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const logger = createLogger('error', () => {});

  /** The fake clock's times (ms after start) at which the job ran a pass. */
  async function passTimes(options: { intervalMs: number; firstAfterMs?: number }, untilMs: number) {
    const times: number[] = [];
    const started = Date.now();
    const job = startIntervalJob(
      'test job',
      async () => {
        times.push(Date.now() - started);
        return 0;
      },
      { ...options, logger },
    );
    await vi.advanceTimersByTimeAsync(untilMs);
    await job.stop();
    return times;
  }

  it('runs a pass every interval from start', async () => {
    expect(await passTimes({ intervalMs: 60_000 }, 180_000)).toEqual([60_000, 120_000, 180_000]);
  });

  it('with firstAfterMs, runs first then, and every interval after it (off the grid of jobs started with it)', async () => {
    expect(await passTimes({ intervalMs: 60_000, firstAfterMs: 45_000 }, 180_000)).toEqual([45_000, 105_000, 165_000]);
  });

  it('runs nothing after stop, the first pass included', async () => {
    const pass = vi.fn(async () => 0);
    const job = startIntervalJob('test job', pass, { intervalMs: 1_000, firstAfterMs: 500, logger });
    await job.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(pass).not.toHaveBeenCalled();
  });
});
