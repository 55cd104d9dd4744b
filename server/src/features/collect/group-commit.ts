/**
 * Group commit: concurrent callers' items are gathered for a short window (or until `maxRows`) and
 * written by one `run` call — one transaction, one multi-row statement — instead of one transaction
 * each. Every caller's promise settles only after the run holding its item has finished: resolved
 * after commit, or rejected with the run's error (then nothing of that run was stored).
 */
export interface GroupCommitOptions {
  /** How long the first item of a group waits for company. */
  windowMs?: number;
  /** A group is flushed at once when its items hold this many rows. */
  maxRows?: number;
  /** Groups written at the same time (each holds one database connection). */
  maxInFlight?: number;
}

interface Pending<I, R> {
  item: I;
  rows: number;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitStats {
  /** Runs (transactions) so far. */
  flushes: number;
  items: number;
  failed: number;
}

export class GroupCommitter<I, R> {
  private queue: Pending<I, R>[] = [];
  private queuedRows = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = 0;
  private readonly windowMs: number;
  private readonly maxRows: number;
  private readonly maxInFlight: number;
  readonly stats: GroupCommitStats = { flushes: 0, items: 0, failed: 0 };

  /** `run` gets a group's items and returns one result per item, in order. */
  constructor(
    private readonly run: (items: I[]) => Promise<R[]>,
    { windowMs = 4, maxRows = 1000, maxInFlight = 4 }: GroupCommitOptions = {},
  ) {
    this.windowMs = windowMs;
    this.maxRows = maxRows;
    this.maxInFlight = maxInFlight;
  }

  submit(item: I, rows = 1): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, rows, resolve, reject });
      this.queuedRows += rows;
      if (this.queuedRows >= this.maxRows) this.flushNow();
      else this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flushNow();
      }, this.windowMs);
    });
  }

  private flushNow() {
    if (this.inFlight >= this.maxInFlight || this.queue.length === 0) return; // a finishing run flushes again
    clearTimeout(this.timer);
    this.timer = undefined;
    // Take whole items up to maxRows (at least one, however large).
    let rows = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || rows + this.queue[count]!.rows <= this.maxRows)) rows += this.queue[count++]!.rows;
    const group = this.queue.splice(0, count);
    this.queuedRows -= rows;
    this.inFlight++;
    this.stats.flushes++;
    this.stats.items += group.length;
    void this.run(group.map((pending) => pending.item)).then(
      (results) => group.forEach((pending, i) => pending.resolve(results[i]!)),
      (error: unknown) => {
        this.stats.failed++;
        for (const pending of group) pending.reject(error);
      },
    ).finally(() => {
      this.inFlight--;
      // What queued up meanwhile goes at once: it has already waited at least as long as the run.
      if (this.queue.length > 0) this.flushNow();
    });
  }
}
