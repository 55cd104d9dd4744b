import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
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
    const client = preparingStatements(
      postgres(options.url, {
        max: Math.max(2, options.maxConnections ?? 10),
        onnotice: () => {},
        connection: { application_name: 'beckon' },
        // Connections are replaced after 30 to 60 minutes, which also bounds each one's prepared statements.
        max_lifetime: 60 * (30 + Math.random() * 30),
      }),
    );
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


/** Statements with more parameters are bulk writes whose text varies with their row count: not worth keeping. */
const maxPreparedParameters = 100;

type Unsafe = (text: string, parameters?: unknown[], options?: { prepare?: boolean }) => unknown;

/**
 * The postgres-js client, made to send drizzle's parameterised statements as named prepared statements.
 * Drizzle sends them unnamed, and for an unnamed statement with parameters postgres-js asks the server to
 * describe it first: two round trips, and a parse and a plan by PostgreSQL, on every query. Prepared, a
 * statement is parsed once per connection, its plan can be cached, and it takes one round trip (bench:chat:
 * PostgreSQL CPU 0.64 → 0.27 cores at 1,000 messages/s). Each connection keeps every distinct statement text
 * it ran; `max_lifetime` replaces connections, so that set cannot grow without bound. Transactions and
 * savepoints get their own client from postgres-js: they are wrapped the same way.
 */
function preparingStatements<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'unsafe') {
        return (text: string, parameters: unknown[] = [], options: { prepare?: boolean } = {}) =>
          (value as Unsafe).call(target, text, parameters, { ...options, prepare: parameters.length > 0 && parameters.length <= maxPreparedParameters });
      }
      if (property === 'begin' || property === 'savepoint') {
        // begin([options], fn) and savepoint([name], fn): the scoped client is the callback's argument.
        return (...args: unknown[]) => {
          const scoped = args.pop() as (inner: object) => unknown;
          return (value as (...all: unknown[]) => unknown).call(target, ...args, (inner: object) => scoped(preparingStatements(inner)));
        };
      }
      return value;
    },
  });
}
