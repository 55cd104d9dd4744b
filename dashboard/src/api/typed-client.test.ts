/// <reference types="node" />
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The property the typed client exists for (issue 17): a field renamed in a server route's answer breaks the
 * dashboard's build. `tsc -b` compiles the client against the server's emitted `AppType` (server/dist/app.d.ts);
 * here it is compiled against the same types with one answer field renamed.
 */
const dashboardDir = fileURLToPath(new URL('../../', import.meta.url));
const serverDist = fileURLToPath(new URL('../../../server/dist/', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/.bin/tsc', import.meta.url));

let fixture: string;

/** Writes the server's app.d.ts (edited by `change`) and compiles the dashboard's client against it. */
function compileClientAgainst(change: (appTypes: string) => string) {
  const appTypes = readFileSync(join(serverDist, 'app.d.ts'), 'utf8').replaceAll(
    "'./app-env.js'",
    JSON.stringify(join(serverDist, 'app-env.js')),
  );
  writeFileSync(join(fixture, 'server.d.ts'), change(appTypes));
  writeFileSync(
    join(fixture, 'tsconfig.json'),
    JSON.stringify({
      extends: '../tsconfig.json',
      compilerOptions: {
        composite: false,
        declaration: false,
        declarationMap: false,
        emitDeclarationOnly: false,
        incremental: false,
        noEmit: true,
        rootDir: '..',
        paths: { '@beckon/server': ['./server.d.ts'] },
      },
      files: ['../src/api/client.ts'],
      include: [],
      references: [],
    }),
  );
  const run = spawnSync(tsc, ['-p', join(fixture, 'tsconfig.json')], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

beforeAll(() => {
  if (!existsSync(join(serverDist, 'app.d.ts')))
    throw new Error('server/dist/app.d.ts is missing: build the server first (npx tsc -b server)');
  // Inside dashboard/, so hono, zod and @beckon/sdk resolve as they do for the real build.
  fixture = mkdtempSync(join(dashboardDir, '.typed-client-fixture-'));
});
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

describe("the dashboard's client against the server's route types", () => {
  it('fails to compile when a route renames a field of its answer, and for that reason only', () => {
    // GET /api/sites/:id/canned-responses answers `{ cannedResponses }`; the client unwraps that field.
    const { status, output } = compileClientAgainst((types) => {
      expect(types.match(/\bcannedResponses:/g)).toHaveLength(1);
      return types.replace(/\bcannedResponses:/, 'cannedReplies:');
    });
    expect(status).not.toBe(0);
    // Every error is the rename: the fixture itself compiles (as `tsc -b` shows for the unchanged types).
    const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors) expect(line).toMatch(/src\/api\/client\.ts.*'cannedResponses'/);
  }, 120_000);
});
