import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { baseURL } from './e2e/support/env.js';

/**
 * Browser tests against the built bundle (`npm run build` first). Global setup starts the server on
 * embedded PGlite in a temp dir, so nothing here touches a developer's data or a real database.
 * Debian's Chromium is used where it exists; elsewhere a Playwright-downloaded browser still works.
 */
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

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
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
        },
      },
    },
  ],
});
