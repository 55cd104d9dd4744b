import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LearnOutput, PackedLearnInput } from './learn.js';

// The built server runs `learn-worker.js` beside this file. Under vitest the sources run as they are:
// the worker then registers tsx (a dev dependency, never needed in production) before importing the
// TypeScript entry. Node 20 applies no `--import` loader to a worker's own entry, hence the bootstrap.
const fromSources = import.meta.url.endsWith('.ts');

function workerSource(): { entry: URL | string; eval: boolean } {
  if (!fromSources) return { entry: new URL('./learn-worker.js', import.meta.url), eval: false };
  const tsx = pathToFileURL(
    join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs'),
  ).href;
  const entry = new URL('./learn-worker.ts', import.meta.url).href;
  return {
    entry: `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`,
    eval: true,
  };
}

/**
 * Runs `learnProposal` in a worker thread, so the event loop keeps answering while it fits. The input's
 * buffers are transferred to the worker: after the call they are empty on this side.
 */
export function learnInWorker<Condition>(input: PackedLearnInput<Condition>): Promise<LearnOutput<Condition>> {
  const source = workerSource();
  return new Promise((resolve, reject) => {
    const worker = new Worker(source.entry, {
      eval: source.eval,
      workerData: input,
      transferList: [input.x.buffer, input.y.buffer, input.columns.buffer] as ArrayBuffer[],
    });
    let answered = false;
    worker.once('message', (output: LearnOutput<Condition>) => {
      answered = true;
      resolve(output);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`learn worker exited with code ${code} before answering`));
    });
  });
}
