import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgDialect, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema.js';

/** The one database type features see; both drivers satisfy it, so features never branch on the driver. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Round-trips to the database; throws when it is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));
// Any constant works; it only has to be the same on every node so migrations run one at a time.
const migrationLockId = 727_160_001;

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; maxConnections?: number }
  /** `dataDir` undefined keeps the database in memory (tests). */
  | { kind: 'pglite'; dataDir?: string };

/** Opens the database and brings its schema up to date with the committed migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === 'postgres') {
    const client = postgres(options.url, {
      max: Math.max(2, options.maxConnections ?? 10),
      onnotice: () => {},
      connection: { application_name: 'beckon' },
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    // Several nodes may start at once: the advisory lock, held on its own connection while the pool
    // migrates, makes the second node wait for the first's migrations.
    const lock = await client.reserve();
    try {
      await lock`select pg_advisory_lock(${migrationLockId})`;
      await migratePostgres(drizzlePostgres(client), { migrationsFolder });
    } finally {
      await lock`select pg_advisory_unlock(${migrationLockId})`;
      lock.release();
    }
    return {
      db,
      kind: 'postgres',
      ping: async () => void (await client`select 1`),
      close: () => client.end({ timeout: 5 }),
    };
  }

  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.close(),
  };
}

/** Rows of a raw `db.execute`, whichever driver answered (postgres-js returns an array, PGlite `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** A database or an open transaction: services that must join the caller's transaction take this. */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

interface PreparingClient {
  unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<unknown>;
}

/**
 * `db.execute` for the hot paths' fixed statements, as a named prepared statement on PostgreSQL. Drizzle
 * sends raw SQL unnamed, so PostgreSQL parses and plans it on every call: for the chat writer's batch
 * statement that was 1.5 ms of its 2.1 ms of database CPU per batch. A prepared statement is parsed once
 * per connection and its plan is cached. Only for statements whose text never varies (no variable-length
 * lists): the driver keeps every distinct text prepared on each connection, forever. PGlite runs in
 * process, where `db.execute` already is the fast path.
 */
export function executePrepared(db: Pick<Db, 'execute'>, query: SQL): Promise<unknown> {
  const { session, dialect } = db as unknown as { session?: { client?: Partial<PreparingClient> }; dialect: PgDialect };
  const client = session?.client;
  if (typeof client?.unsafe !== 'function') return db.execute(query);
  const { sql: text, params } = dialect.sqlToQuery(query);
  return client.unsafe(text, params, { prepare: true });
}
