import { describe, expect, it } from 'vitest';
import { BatchItemError, createBatcher } from './batcher.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('createBatcher', () => {
  it('hands the items of one turn to one run and answers each with its own result', async () => {
    const runs: number[][] = [];
    const batcher = createBatcher<number, number>(async (items) => (runs.push(items), items.map((n) => n * 2)));
    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    expect(results).toEqual([2, 4, 6]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('keeps one batch in flight per key: what arrives meanwhile leaves together in the next', async () => {
    const runs: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = createBatcher<string>(async (items) => {
      runs.push(items);
      if (runs.length === 1) await gate;
    });
    const first = batcher.submit('a');
    await turn();
    const later = [batcher.submit('b'), batcher.submit('c')];
    await turn();
    expect(runs).toEqual([['a']]);
    expect(batcher.queued).toBe(2);
    release();
    await Promise.all([first, ...later]);
    expect(runs).toEqual([['a'], ['b', 'c']]);
  });

  it('batches keys apart and lets their runs overlap', async () => {
    const runs: string[] = [];
    const batcher = createBatcher<{ site: string; n: number }>(
      async (items, key) => void runs.push(`${key}:${items.map((item) => item.n).join(',')}`),
      {
        keyOf: (item) => item.site,
      },
    );
    await Promise.all([
      batcher.submit({ site: 'x', n: 1 }),
      batcher.submit({ site: 'y', n: 2 }),
      batcher.submit({ site: 'x', n: 3 }),
    ]);
    expect(runs.sort()).toEqual(['x:1,3', 'y:2']);
  });

  it('bounds a batch by size and sends a full queue at once', async () => {
    const runs: number[][] = [];
    const batcher = createBatcher<number>(async (items) => void runs.push(items), {
      maxBatch: 5,
      sizeOf: (n) => n,
      wait: 60_000,
      maxInFlight: 2,
    });
    await Promise.all([batcher.submit(2), batcher.submit(2), batcher.submit(3)]);
    // 2 + 2 + 3 ≥ 5 flushed without waiting the minute: [2, 2] fits, 3 goes next.
    expect(runs).toEqual([[2, 2], [3]]);
  });

  it('waits a window in milliseconds when asked', async () => {
    const runs: number[][] = [];
    const batcher = createBatcher<number>(async (items) => void runs.push(items), { wait: 30 });
    const first = batcher.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = batcher.submit(2);
    await Promise.all([first, second]);
    expect(runs).toEqual([[1, 2]]);
  });

  it('rejects one item alone with BatchItemError, and the whole batch when the run throws', async () => {
    const batcher = createBatcher<number, number>(async (items) => {
      if (items.includes(0)) throw new Error('down');
      return items.map((n) => (n < 0 ? new BatchItemError(new Error(`bad ${n}`)) : n));
    });
    const [good, bad] = await Promise.allSettled([batcher.submit(1), batcher.submit(-1)]);
    expect(good).toEqual({ status: 'fulfilled', value: 1 });
    expect(bad).toMatchObject({ status: 'rejected', reason: { message: 'bad -1' } });
    const failed = await Promise.allSettled([batcher.submit(0), batcher.submit(2)]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
