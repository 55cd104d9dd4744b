import { existsSync } from 'node:fs';

/**
 * The Chromium the browser tests and scripts launch, in order: `PLAYWRIGHT_CHROMIUM_PATH`; Debian's headless
 * shell (`apt-get install chromium-headless-shell`), the browser Playwright itself runs headless tests in,
 * which took two thirds of the full browser's CPU over the e2e suite (1,223 → 806 core-seconds on 2 vCPUs);
 * Debian's full Chromium; else undefined, for the browser `npx playwright install chromium` downloads.
 */
export function chromiumExecutable() {
  if (process.env.PLAYWRIGHT_CHROMIUM_PATH) return process.env.PLAYWRIGHT_CHROMIUM_PATH;
  return ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((path) => existsSync(path));
}
