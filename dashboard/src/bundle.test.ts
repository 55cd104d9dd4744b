/// <reference types="node" />
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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
});
