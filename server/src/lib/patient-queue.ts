/**
 * Background jobs one at a time, but never stuck behind a slow one. A job starts when nothing runs, or when
 * every job still running has run for `patienceMs` (one waiting on a lock, say), up to `max` at once. Quick
 * jobs so take one core's turn after another instead of competing with the requests someone waits on, and a
 * job that hangs costs the queue `patienceMs`, not its throughput.
 *
 * With `holdWhile`, no job starts while it answers true (more urgent work of the caller is waiting or
 * running) unless the oldest waiting job has waited `maxHoldMs`; the caller calls `resume()` when that
 * work is done.
 *
 * Not lib/batcher.ts: that one groups items and bounds concurrency by a fixed number; this one runs items
 * alone and decides concurrency by how long the running ones take.
 */
export interface PatientQueue<T> {
  /** Settles with the job's own outcome once it has run. */
  submit(item: T): Promise<void>;
  /** Jobs waiting to start. */
  readonly waiting: number;
  /** Looks again whether a job may start (after the work `holdWhile` waits for is done). */
  resume(): void;
}

export interface PatientQueueOptions {
  max: number;
  patienceMs: number;
  holdWhile?: () => boolean;
  maxHoldMs?: number;
}

export function createPatientQueue<T>(
  run: (item: T) => Promise<unknown>,
  { max, patienceMs, holdWhile = () => false, maxHoldMs = Number.POSITIVE_INFINITY }: PatientQueueOptions,
): PatientQueue<T> {
  const waiting: { item: T; at: number; resolve: () => void; reject: (error: unknown) => void }[] = [];
  // When each running job started.
  const running = new Set<{ at: number }>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const pump = () => {
    clearTimeout(timer);
    timer = undefined;
    const now = performance.now();
    let youngest = Number.NEGATIVE_INFINITY;
    for (const job of running) youngest = Math.max(youngest, job.at);
    const oldest = waiting[0];
    if (oldest && now - oldest.at < maxHoldMs && holdWhile()) {
      // Look again when the oldest has waited long enough, unless `resume()` comes first.
      if (Number.isFinite(maxHoldMs)) {
        timer = setTimeout(pump, oldest.at + maxHoldMs - now);
        timer.unref?.();
      }
      return;
    }
    while (waiting.length > 0 && running.size < max && now - youngest >= patienceMs) {
      const next = waiting.shift()!;
      const job = { at: now };
      running.add(job);
      youngest = now;
      Promise.resolve()
        .then(() => run(next.item))
        .then(() => next.resolve(), next.reject)
        .finally(() => {
          running.delete(job);
          pump();
        });
    }
    // Look again when the youngest running job has used up its patience.
    if (waiting.length > 0 && running.size < max) {
      timer = setTimeout(pump, youngest + patienceMs - now);
      timer.unref?.();
    }
  };

  return {
    submit(item) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ item, at: performance.now(), resolve, reject });
        pump();
      });
    },
    get waiting() {
      return waiting.length;
    },
    resume: pump,
  };
}
