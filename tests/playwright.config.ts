import { defineConfig, devices } from '@playwright/test';
import { baseURL } from './e2e/support/env.js';
import { chromiumExecutable } from './scripts/chromium.mjs';

/**
 * Browser tests against the built bundle (`npm run build` first). Global setup starts the server on
 * embedded PGlite in a temp dir, so nothing here touches a developer's data or a real database.
 * Debian's Chromium (its headless shell first, scripts/chromium.mjs) where it exists; elsewhere a
 * Playwright-downloaded browser still works.
 */
const executablePath = chromiumExecutable();

const chromium = {
  ...devices['Desktop Chrome'],
  launchOptions: {
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  },
};

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  globalSetup: './global-setup.ts',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    // A failed test keeps its trace: actions, network and a DOM snapshot per step. Without the screencast
    // of every frame, which cost a third of the suite's CPU on the 2-core CI machine (the browser's
    // compositor and its encoder: reports.spec 114 -> 81 CPU-s); the failure screenshot stays.
    trace: { mode: 'retain-on-failure', screenshots: false },
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      // Tests tagged @away put the shared admin Away, which is the agent's in every tab: they run after
      // the rest, one at a time, so no spec that needs an online agent runs meanwhile.
      grepInvert: /@away/,
      use: chromium,
    },
    { name: 'chromium-away', grep: /@away/, dependencies: ['chromium'], workers: 1, use: chromium },
  ],
});
