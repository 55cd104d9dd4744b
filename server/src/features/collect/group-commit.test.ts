import { describe, expect, it } from 'vitest';
import { GroupCommitter } from './group-commit.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('group commit', () => {
  it('writes concurrent submissions in few runs and settles each only after its run finished', async () => {
    const runs: number[][] = [];
    const finished = new Set<number>();
    const committer = new GroupCommitter<number, string>(
      async (items) => {
        runs.push(items);
        await tick(20);
        items.forEach((item) => finished.add(item));
        return items.map((item) => `ok ${item}`);
      },
      { windowMs: 5, maxRows: 1000, maxInFlight: 2 },
    );
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        committer.submit(i).then((answer) => {
          // The answer comes only once the run holding the item is done ("committed").
          expect(finished.has(i)).toBe(true);
          return answer;
        }),
      ),
    );
    expect(answers[42]).toBe('ok 42');
    expect(runs.length).toBeLessThanOrEqual(2);
    expect(runs.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(committer.stats).toMatchObject({ flushes: runs.length, items: 100, failed: 0 });
  });

  it('flushes at once when a group reaches maxRows, and keeps whole submissions together', async () => {
    const sizes: number[] = [];
    const committer = new GroupCommitter<number, number>(
      async (items) => {
        sizes.push(items.length);
        return items;
      },
      { windowMs: 10_000, maxRows: 30, maxInFlight: 4 },
    );
    // 10 rows each: three make a full group; nobody waits for the 10 s window.
    const started = Date.now();
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => committer.submit(i, 10)));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(sizes).toEqual([3, 3]);
  });

  it('fails every submission of a failed run, and later runs still work', async () => {
    let fail = true;
    const committer = new GroupCommitter<number, number>(async (items) => {
      if (fail) throw new Error('disk full');
      return items;
    });
    const results = await Promise.allSettled([1, 2, 3].map((i) => committer.submit(i)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    fail = false;
    await expect(committer.submit(4)).resolves.toBe(4);
    expect(committer.stats.failed).toBe(1);
  });
});

describe('group commit isolation', () => {
  const refused = Object.assign(new Error('invalid byte sequence'), { code: '22021' });
  /** A fake database: a run commits all its items, or none when one of them is negative. */
  function fakeDatabase() {
    const committed: number[] = [];
    const runs: number[][] = [];
    const run = async (items: number[]) => {
      runs.push(items);
      await tick(1);
      if (items.some((item) => item < 0)) throw refused;
      committed.push(...items);
      return items.map((item) => item * 10);
    };
    return { committed, runs, run };
  }

  it('runs a group the data made fail again in halves, so only the guilty items fail and every other commits once', async () => {
    const db = fakeDatabase();
    const committer = new GroupCommitter<number, number>(
      db.run,
      { windowMs: 5 },
      { isolate: (error) => error === refused },
    );
    const items = Array.from({ length: 32 }, (_, i) => (i === 5 || i === 20 ? -i : i + 1));
    const results = await Promise.allSettled(items.map((item) => committer.submit(item)));
    results.forEach((result, i) => {
      if (items[i]! < 0) expect(result).toEqual({ status: 'rejected', reason: refused });
      else expect(result).toEqual({ status: 'fulfilled', value: items[i]! * 10 });
    });
    expect(db.committed.sort((a, b) => a - b)).toEqual(items.filter((item) => item > 0).sort((a, b) => a - b));
    // Two bad items in 32: far fewer runs than one per item.
    expect(db.runs.length).toBeLessThanOrEqual(1 + 2 * 2 * Math.log2(32));
    expect(committer.stats).toMatchObject({ flushes: db.runs.length, items: 32, refused: 2 });
  });

  it('fails the whole group at once when the database itself is at fault', async () => {
    const db = fakeDatabase();
    const down = Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    const committer = new GroupCommitter<number, number>(
      async (items) => (db.runs.push(items), Promise.reject(down)),
      { windowMs: 5 },
      { isolate: (error) => error === refused },
    );
    const results = await Promise.allSettled([1, 2, 3, 4].map((item) => committer.submit(item)));
    expect(results.every((result) => result.status === 'rejected' && result.reason === down)).toBe(true);
    expect(db.runs).toEqual([[1, 2, 3, 4]]);
  });

  it('refuses an item the screen rejects at once, without a run, and groups the others', async () => {
    const db = fakeDatabase();
    const committer = new GroupCommitter<number, number>(
      db.run,
      { windowMs: 5 },
      { screen: (item) => (item < 0 ? new Error(`bad ${item}`) : undefined) },
    );
    const results = await Promise.allSettled([1, -2, 3].map((item) => committer.submit(item)));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.runs).toEqual([[1, 3]]);
    expect(committer.stats.refused).toBe(1);
  });
});

describe('deadlock retry', () => {
  it('runs a group again when PostgreSQL aborted it as a deadlock victim, and only then', async () => {
    const { retryOnDeadlock } = await import('./ingest.js');
    let calls = 0;
    // drizzle wraps the driver's error; the code sits on its cause.
    const deadlock = Object.assign(new Error('Failed query'), {
      cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }),
    });
    await expect(retryOnDeadlock(async () => (++calls < 3 ? Promise.reject(deadlock) : 'stored'))).resolves.toBe(
      'stored',
    );
    expect(calls).toBe(3);
    calls = 0;
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(retryOnDeadlock(async () => (++calls, Promise.reject(unique)))).rejects.toBe(unique);
    expect(calls).toBe(1);
    calls = 0;
    await expect(retryOnDeadlock(async () => (++calls, Promise.reject(deadlock)))).rejects.toBe(deadlock);
    expect(calls).toBe(3);
  });
});
