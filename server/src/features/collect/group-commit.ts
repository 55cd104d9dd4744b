import { BatchItemError, createBatcher, type Batcher } from '../../lib/batcher.js';

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

export interface GroupCommitStats {
  /** Runs (transactions) so far, the halves of split groups included. */
  flushes: number;
  items: number;
  /** Runs that failed. */
  failed: number;
  /** Items refused alone: by `screen`, or as the guilty item of a split group. */
  refused: number;
}

/** Built on the one micro-batcher (lib/batcher.ts), adding isolation by halving and the stats. */
export class GroupCommitter<I, R> {
  private readonly batcher: Batcher<{ item: I; rows: number }, R>;
  readonly stats: GroupCommitStats = { flushes: 0, items: 0, failed: 0, refused: 0 };

  /** `run` gets a group's items and returns one result per item, in order (a `BatchItemError` refuses that item alone). */
  constructor(
    private readonly run: (items: I[]) => Promise<(R | BatchItemError)[]>,
    { windowMs = 4, maxRows = 1000, maxInFlight = 4 }: GroupCommitOptions = {},
    private readonly isolation: GroupIsolation<I> = {},
  ) {
    this.batcher = createBatcher<{ item: I; rows: number }, R>(
      async (group) => {
        this.stats.items += group.length;
        return this.write(group.map(({ item }) => item));
      },
      { wait: windowMs, maxBatch: maxRows, sizeOf: ({ rows }) => rows, maxInFlight },
    );
  }

  submit(item: I, rows = 1): Promise<R> {
    const refusal = this.isolation.screen?.(item);
    if (refusal !== undefined) {
      this.stats.refused++;
      return Promise.reject(refusal);
    }
    return this.batcher.submit({ item, rows });
  }

  /**
   * Runs a group and answers its items. When the data is to blame, the halves are run one after the
   * other (in parallel they could wait on each other's row locks): one bad item among n costs about
   * 2·log2(n) extra runs, and only while a bad item is there.
   */
  private async write(group: I[]): Promise<(R | BatchItemError)[]> {
    this.stats.flushes++;
    try {
      const results = await this.run(group);
      for (const result of results) if (result instanceof BatchItemError) this.stats.refused++;
      return results;
    } catch (error) {
      this.stats.failed++;
      const dataError = this.isolation.isolate?.(error) ?? false;
      if (dataError && group.length > 1) {
        const half = Math.ceil(group.length / 2);
        return [...(await this.write(group.slice(0, half))), ...(await this.write(group.slice(half)))];
      }
      if (dataError) this.stats.refused++;
      return group.map(() => new BatchItemError(error));
    }
  }
}
