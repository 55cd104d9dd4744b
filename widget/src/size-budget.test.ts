// @vitest-environment node
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** gzip -9 budgets in bytes; scripts/size-report.mjs prints the same numbers on every build. */
const budgets = { loader: 6144, ui: 12288 } as const;

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

function read(path: string): string {
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: build the widget first (npm run build -w sdk && npm run build -w widget)`);
  }
  return readFileSync(path, 'utf8');
}

function uiChunk(): string {
  const dir = `${dist}widget`;
  const files = existsSync(dir) ? readdirSync(dir).filter((file) => /^ui-[\w-]+\.js$/.test(file)) : [];
  if (files.length !== 1) throw new Error(`expected one UI chunk in ${dir}, found ${files.length}: build the widget first`);
  return read(`${dir}/${files[0]}`);
}

const gzip = (code: string) => gzipSync(code, { level: 9 }).length;

// Strings that only appear in these libraries' minified builds.
const preactMarker = 'acit|ex(?:s|g|n|p|$)|rph|grid'; // Preact's non-dimensional style regexp
const zodMarkers = ['ZodError', 'invalid_type', 'too_small'];
const socketMarkers = ['socket.io', 'engine.io', 'EIO=', 'transports'];

describe('size budget', () => {
  it(`keeps the loader beckon.js within ${budgets.loader} bytes gzipped`, () => {
    expect(gzip(read(`${dist}beckon.js`))).toBeLessThanOrEqual(budgets.loader);
  });

  it('keeps Preact, zod and socket.io out of the loader', () => {
    const loader = read(`${dist}beckon.js`);
    expect(uiChunk()).toContain(preactMarker); // the marker is real: the UI chunk has it
    expect(loader).not.toContain(preactMarker);
    expect(loader).not.toContain('__H'); // Preact hooks state
    for (const marker of [...zodMarkers, ...socketMarkers]) expect(loader).not.toContain(marker);
  });

  it('injects the UI chunk name into the loader', () => {
    expect(read(`${dist}beckon.js`)).toMatch(/widget\/ui-[\w-]+\.js/);
  });

  it(`keeps the UI chunk within ${budgets.ui} bytes gzipped`, () => {
    const ui = uiChunk();
    expect(gzip(ui)).toBeLessThanOrEqual(budgets.ui);
    for (const marker of zodMarkers) expect(ui).not.toContain(marker);
  });
});
