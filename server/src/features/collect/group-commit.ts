/**
 * Group commit: concurrent callers' items are gathered for a short window (or until `maxRows`) and
 * written by one `run` call — one transaction, one multi-row statement — instead of one transaction
 * each. Every caller's promise settles only after the run holding its item has finished: resolved
 * after commit, or rejected with the run's error (then nothing of that run was stored).
 *
 * One caller's bad item must not fail the others: `screen` refuses an item the run would choke on
 * before it joins a group, and a run that fails with an error `isolate` blames on the data is run again
 * in halves, down to single items, so only the guilty item fails and every other commits.
 */
export interface GroupCommitOptions {
  /** How long the first item of a group waits for company. */
  windowMs?: number;
  /** A group is flushed at once when its items hold this many rows. */
  maxRows?: number;
  /** Groups written at the same time (each holds one database connection). */
  maxInFlight?: number;
}

export interface GroupIsolation<I> {
  /** Checks an item before it joins a group: an error returned here rejects that item alone, at once. */
  screen?: (item: I) => unknown;
  /**
   * True when a failed run's error comes from one of its items (the database refused a value), not from
   * the database itself: the group is then split and run again. An outage must answer false, or every
   * item would be tried alone against a database that is down.
   */
  isolate?: (error: unknown) => boolean;
}

interface Pending<I, R> {
  item: I;
  rows: number;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitStats {
  /** Runs (transactions) so far, the halves of split groups included. */
  flushes: number;
  items: number;
  /** Runs that failed. */
  failed: number;
  /** Items refused alone: by `screen`, or as the guilty item of a split group. */
  refused: number;
}

export class GroupCommitter<I, R> {
  private queue: Pending<I, R>[] = [];
  private queuedRows = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = 0;
  private readonly windowMs: number;
  private readonly maxRows: number;
  private readonly maxInFlight: number;
  readonly stats: GroupCommitStats = { flushes: 0, items: 0, failed: 0, refused: 0 };

  /** `run` gets a group's items and returns one result per item, in order. */
  constructor(
    private readonly run: (items: I[]) => Promise<R[]>,
    { windowMs = 4, maxRows = 1000, maxInFlight = 4 }: GroupCommitOptions = {},
    private readonly isolation: GroupIsolation<I> = {},
  ) {
    this.windowMs = windowMs;
    this.maxRows = maxRows;
    this.maxInFlight = maxInFlight;
  }

  submit(item: I, rows = 1): Promise<R> {
    const refusal = this.isolation.screen?.(item);
    if (refusal !== undefined) {
      this.stats.refused++;
      return Promise.reject(refusal);
    }
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
    this.stats.items += group.length;
    void this.write(group).finally(() => {
      this.inFlight--;
      // What queued up meanwhile goes at once: it has already waited at least as long as the run.
      if (this.queue.length > 0) this.flushNow();
    });
  }

  /**
   * Runs a group and settles its items. When the data is to blame, the halves are run one after the
   * other (in parallel they could wait on each other's row locks): one bad item among n costs about
   * 2·log2(n) extra runs, and only while a bad item is there.
   */
  private async write(group: Pending<I, R>[]): Promise<void> {
    this.stats.flushes++;
    try {
      const results = await this.run(group.map((pending) => pending.item));
      group.forEach((pending, i) => pending.resolve(results[i]!));
    } catch (error) {
      this.stats.failed++;
      const dataError = this.isolation.isolate?.(error) ?? false;
      if (dataError && group.length > 1) {
        const half = Math.ceil(group.length / 2);
        await this.write(group.slice(0, half));
        await this.write(group.slice(half));
        return;
      }
      if (dataError) this.stats.refused++;
      for (const pending of group) pending.reject(error);
    }
  }
}
