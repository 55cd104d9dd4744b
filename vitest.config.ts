import { defineConfig } from 'vitest/config';

// Each package brings its own project config (environment, setup); this file only lists them.
export default defineConfig({
  test: {
    projects: ['{sdk,server,widget,dashboard}/vitest.config.ts'],
  },
});
