import { describe, expect, it } from 'vitest';
import { createPatientQueue } from './patient-queue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Jobs that record when they ran, at most how many ran at once, and finish when told (or after `ms`). */
function recorder() {
  const log: string[] = [];
  let active = 0;
  let most = 0;
  const gates = new Map<string, () => void>();
  const run = async ({ name, ms }: { name: string; ms?: number }) => {
    active++;
    most = Math.max(most, active);
    log.push(`start ${name}`);
    await (ms === undefined ? new Promise<void>((resolve) => gates.set(name, resolve)) : sleep(ms));
    log.push(`end ${name}`);
    active--;
  };
  return { log, run, most: () => most, finish: (name: string) => gates.get(name)?.() };
}

describe('patient queue', () => {
  it('runs quick jobs one at a time, in order', async () => {
    const { log, run, most } = recorder();
    const queue = createPatientQueue(run, { max: 4, patienceMs: 200 });
    await Promise.all(['a', 'b', 'c'].map((name) => queue.submit({ name, ms: 5 })));
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(most()).toBe(1);
  });

  it('starts the next job once the running one has taken its patience, and keeps going past a stuck one', async () => {
    const { log, run, finish } = recorder();
    const queue = createPatientQueue(run, { max: 4, patienceMs: 50 });
    const stuck = queue.submit({ name: 'stuck' });
    const quick = ['b', 'c', 'd'].map((name) => queue.submit({ name, ms: 5 }));
    await sleep(20);
    expect(log).toEqual(['start stuck']);
    // After the patience, the quick ones run one after the other beside the stuck one.
    await Promise.all(quick);
    expect(log).toEqual(['start stuck', 'start b', 'end b', 'start c', 'end c', 'start d', 'end d']);
    finish('stuck');
    await stuck;
    expect(log.at(-1)).toBe('end stuck');
  });

  it('never runs more than max at once, however slow the jobs', async () => {
    const { run, most, finish } = recorder();
    const queue = createPatientQueue(run, { max: 2, patienceMs: 10 });
    const jobs = ['a', 'b', 'c'].map((name) => queue.submit({ name }));
    await sleep(80);
    expect(most()).toBe(2);
    expect(queue.waiting).toBe(1);
    for (const name of ['a', 'b', 'c']) finish(name);
    await sleep(30);
    finish('c');
    await Promise.all(jobs);
    expect(most()).toBe(2);
  });

  it("settles each job's promise with its own outcome", async () => {
    const queue = createPatientQueue(
      async (fail: boolean) => {
        if (fail) throw new Error('refused');
      },
      { max: 2, patienceMs: 10 },
    );
    await expect(queue.submit(true)).rejects.toThrow('refused');
    await expect(queue.submit(false)).resolves.toBeUndefined();
  });

  it('starts nothing while held, resumes when told, and never holds a job longer than maxHoldMs', async () => {
    const { log, run } = recorder();
    let urgent = true;
    const queue = createPatientQueue(run, { max: 4, patienceMs: 10, holdWhile: () => urgent, maxHoldMs: 150 });
    const a = queue.submit({ name: 'a', ms: 1 });
    await sleep(40);
    expect(log).toEqual([]);
    urgent = false;
    queue.resume();
    await a;
    expect(log).toEqual(['start a', 'end a']);
    // Held for good: the job starts anyway once it has waited maxHoldMs.
    urgent = true;
    const started = performance.now();
    await queue.submit({ name: 'b', ms: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });
});
