/**
 * Background jobs one at a time, but never stuck behind a slow one. A job starts when nothing runs, or when
 * every job still running has run for `patienceMs` (one waiting on a lock, say), up to `max` at once. Quick
 * jobs so take one core's turn after another instead of competing with the requests someone waits on, and a
 * job that hangs costs the queue `patienceMs`, not its throughput.
 *
 * Not lib/batcher.ts: that one groups items and bounds concurrency by a fixed number; this one runs items
 * alone and decides concurrency by how long the running ones take.
 */
export interface PatientQueue<T> {
  /** Settles with the job's own outcome once it has run. */
  submit(item: T): Promise<void>;
  /** Jobs waiting to start. */
  readonly waiting: number;
}

export function createPatientQueue<T>(
  run: (item: T) => Promise<unknown>,
  { max, patienceMs }: { max: number; patienceMs: number },
): PatientQueue<T> {
  const waiting: { item: T; resolve: () => void; reject: (error: unknown) => void }[] = [];
  // When each running job started.
  const running = new Set<{ at: number }>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const pump = () => {
    clearTimeout(timer);
    timer = undefined;
    const now = performance.now();
    let youngest = Number.NEGATIVE_INFINITY;
    for (const job of running) youngest = Math.max(youngest, job.at);
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
        waiting.push({ item, resolve, reject });
        pump();
      });
    },
    get waiting() {
      return waiting.length;
    },
  };
}
