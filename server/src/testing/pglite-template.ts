import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A dump of a freshly migrated PGlite data dir, for `openTestDatabase('pglite')`. */
    pgliteTemplate: string;
  }
}

/**
 * Vitest global setup: migrates one in-memory PGlite and dumps its data dir to a temp file. Each test
 * database then loads that dump (under a second of CPU) instead of creating a cluster and running every
 * migration again (about three seconds each, a few hundred times a run). Every database is still its own;
 * `openDatabase` still runs the migrator on it, which finds nothing left to apply.
 */
export default async function setup(project: TestProject) {
  const database = await openDatabase({ kind: 'pglite' });
  const dir = await mkdtemp(join(tmpdir(), 'beckon-pglite-template-'));
  try {
    const file = join(dir, 'migrated.tar');
    const raw = (database.db as unknown as { $client: { dumpDataDir(compression: 'none'): Promise<Blob> } }).$client;
    await writeFile(file, Buffer.from(await (await raw.dumpDataDir('none')).arrayBuffer()));
    project.provide('pgliteTemplate', file);
  } finally {
    await database.close();
  }
  return () => rm(dir, { recursive: true, force: true });
}
