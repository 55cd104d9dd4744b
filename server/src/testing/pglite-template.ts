import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A dump of a freshly migrated PGlite data dir, for `openTestDatabase('pglite')`. */
    pgliteTemplate: string;
    /** With TEST_DATABASE_URL: a migrated PostgreSQL database that each test database is copied from. */
    postgresTemplate: string | undefined;
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
  const dropPostgresTemplate = await postgresTemplate(project);
  return async () => {
    await dropPostgresTemplate();
    await rm(dir, { recursive: true, force: true });
  };
}

/**
 * With TEST_DATABASE_URL, the same for PostgreSQL: one migrated database, closed, that each test database
 * is created from (`create database … template …`, 0.15-0.25 s) instead of being migrated (about 0.5 s,
 * a few hundred times a run). Returns what drops it.
 */
async function postgresTemplate(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    project.provide('postgresTemplate', undefined);
    return async () => {};
  }
  const name = `beckon_template_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // Migrated, then closed: PostgreSQL copies only a database nobody is connected to.
  await (await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections: 1 })).close();
  project.provide('postgresTemplate', name);
  return async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
}
