import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { baseURL, fixturesDir } from './env.js';

/**
 * Serves `tests/fixtures/<name>` at `<server>/fixtures/<name>` for this page only. The page then has
 * the server's own origin, which the demo site allows, and loads the real `/beckon.js` from it.
 */
export async function openFixture(page: Page, name: string, options: { waitUntil?: 'load' | 'domcontentloaded' } = {}) {
  const url = `${baseURL}/fixtures/${name}`;
  const body = await readFile(join(fixturesDir, name), 'utf8');
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }));
  await page.goto(url, { waitUntil: options.waitUntil ?? 'load' });
}

/** Holds every request for `/beckon.js` until `release()`, to look at the page before the widget runs. */
export async function holdLoader(page: Page): Promise<{ release(): void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/beckon.js', async (route) => {
    await released;
    await route.continue();
  });
  return { release };
}
