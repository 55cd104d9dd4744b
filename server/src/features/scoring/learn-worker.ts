/**
 * Worker-thread entry of the learner: fits on the input it is started with and posts the proposal back.
 * Learning is seconds of arithmetic on a big site; on the main thread it stalled every request (/healthz
 * took 2 s), here it stalls nothing. It runs at the process's CPU priority: lowered to nice 19, the fit
 * got no CPU at all for minutes on a machine busy with other work (measured), and the event loop, asleep
 * between requests, already wins the core back on waking.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { learnProposal, unpackLearnInput, type PackedLearnInput } from './learn.js';

parentPort!.postMessage(learnProposal(unpackLearnInput(workerData as PackedLearnInput)));
