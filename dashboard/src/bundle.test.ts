/// <reference types="node" />
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('./', import.meta.url));
const assets = fileURLToPath(new URL('../dist/assets/', import.meta.url));

// Strings that only appear in zod's build (its error codes and class names).
const zodMarkers = ['ZodError', '$ZodObject', 'invalid_type', 'too_small'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(`${dir}${entry.name}/`)
      : /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts')
        ? [`${dir}${entry.name}`]
        : [],
  );
}

/**
 * Browsers get the protocol as types only (ARCHITECTURE, goal 4): zod in the dashboard is dead weight, and
 * its runtime probes `new Function`, which the dashboard's CSP (`script-src 'self'`) reports on every load.
 */
describe('dashboard bundle', () => {
  it('imports the protocol as types only; runtime values come from @beckon/sdk/protocol/constants', () => {
    const offenders = sourceFiles(src).filter((file) =>
      // Any import from the protocol barrel that is not `import type { … }`.
      [...readFileSync(file, 'utf8').matchAll(/import\s+(type\s+)?[^;]*?from\s+'@beckon\/sdk\/protocol'/g)].some(
        (match) => !match[1],
      ),
    );
    expect(offenders.map((file) => file.slice(src.length))).toEqual([]);
  });

  it('ships no zod runtime', () => {
    if (!existsSync(assets)) throw new Error(`${assets} is missing: build the dashboard first (npm run build)`);
    const scripts = readdirSync(assets).filter((file) => file.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      const code = readFileSync(`${assets}${file}`, 'utf8');
      for (const marker of zodMarkers) expect(code.includes(marker), `${marker} in ${file}`).toBe(false);
    }
  });

  /** What index.html makes the browser fetch before the first paint: the entry, its module preloads, its styles. */
  const firstLoad = () => {
    const html = readFileSync(fileURLToPath(new URL('../dist/index.html', import.meta.url)), 'utf8');
    return [...html.matchAll(/(?:src|href)="\/app\/assets\/([^"]+)"/g)].map((match) => match[1]!);
  };
  const gzip = (file: string) => gzipSync(readFileSync(`${assets}${file}`), { level: 9 }).length;

  // Sign-in, the shell and the Inbox (scripts and styles, gzip -9); scripts/size-report.mjs prints the same sum.
  // Issue 21's 80 KiB: 82.4 KiB before the `/agent` socket opened WebSocket first (socket.io's long-polling is a
  // lazy chunk, fetched after a WebSocket failed) and the new-site and transfer dialogs became lazy; 79.7 KiB after.
  const firstLoadBudget = 80 * 1024;

  it(`loads sign-in, the shell and the Inbox within ${firstLoadBudget} bytes gzipped, scripts and styles together`, () => {
    if (!existsSync(assets)) throw new Error(`${assets} is missing: build the dashboard first (npm run build)`);
    const files = firstLoad();
    expect(files.some((file) => file.endsWith('.js'))).toBe(true);
    expect(files.some((file) => file.endsWith('.css'))).toBe(true);
    const total = files.reduce((sum, file) => sum + gzip(file), 0);
    expect(total).toBeLessThanOrEqual(firstLoadBudget);
  });

  it('fetches every other page, and every language but English, only when needed', () => {
    const pages = sourceFiles(`${src}features/`)
      .filter((file) => file.endsWith('/page.ts'))
      .map((file) => /features\/([^/]+)\/page\.ts$/.exec(file)![1]!);
    expect(pages.length).toBeGreaterThan(10);
    const chunks = readdirSync(assets);
    const first = new Set(firstLoad());
    for (const feature of pages) {
      // Each page entry became its own chunk (named after the feature by vite.config.ts), out of the first load.
      const chunk = chunks.find((file) => new RegExp(`^page-${feature}-[\\w-]+\\.js$`).test(file));
      expect(chunk, `a lazy chunk for features/${feature}/page.ts`).toBeDefined();
      expect(first.has(chunk!), `${chunk} in the first load`).toBe(false);
    }
    const languages = chunks.filter((file) => /^i18n-[a-z]{2}-/.test(file));
    expect(languages).toHaveLength(6);
    for (const chunk of languages) expect(first.has(chunk), `${chunk} in the first load`).toBe(false);
    // The Inbox itself is in the first load (its conversation list's markup is in the first scripts).
    const firstScripts = [...first].filter((file) => file.endsWith('.js'));
    const inboxWords = firstScripts.some((file) => readFileSync(`${assets}${file}`, 'utf8').includes('inbox-list'));
    expect(inboxWords).toBe(true);
  });
});
