import { defineConfig } from 'vitest/config';

// Each package brings its own project config (environment, setup); this file only lists them.
export default defineConfig({
  test: {
    projects: ['{sdk,server,widget,dashboard}/vitest.config.ts'],
    // Vitest's default is one worker below the core count: one file at a time on the 2-core CI machine,
    // leaving a core idle while a file waits on PostgreSQL, a child server or a timer. Two files at once
    // (8 server files: 59 -> 43 s); the suite already passes at a load of 10-17 with one.
    maxWorkers: 2,
    // Worker threads instead of child processes: a test file starts in a thread of a warm process
    // (server files 199 -> 151 s on one worker, 2 vCPUs). No test changes process-wide state.
    pool: 'threads',
  },
});
