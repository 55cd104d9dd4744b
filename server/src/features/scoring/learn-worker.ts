/**
 * Worker-thread entry of the learner: fits on the input it is started with and posts the proposal back.
 * Learning is seconds of arithmetic on a big site; on the main thread it stalled every request (/healthz
 * took 2 s), here it stalls nothing.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { learnProposal, type LearnInput } from './learn.js';

parentPort!.postMessage(learnProposal(workerData as LearnInput));
