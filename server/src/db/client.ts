import { mkdir, statfs } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { PgTransaction, type PgDatabase, type PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { Availability, DatabaseUnavailableError, type AvailabilityStatus } from './availability.js';
import { createLinkWatch } from './link-watch.js';
import { beginPipelined } from './pipelined-begin.js';
import { postgresTarget } from './postgres-url.js';

export { DatabaseUnavailableError, isDatabaseUnavailable, type AvailabilityStatus } from './availability.js';

/**
 * The one database type features see; both drivers satisfy it, so features never branch on the driver.
 * Without drizzle's schema: nothing uses its relational queries (`db.query.*`), and with a schema every
 * transaction built a query builder per table (61 of them), a tenth of a small ingest group's node time.
 */
export type Db = PgDatabase<PgQueryResultHKT>;

export interface Database {
  db: Db;
  /**
   * The same database through connections kept for writes someone is waiting on (a chat message's ack, a
   * collect answer): they never queue behind background work for a connection. On PGlite it is `db`.
   */
  ackDb: Db;
  kind: 'pglite' | 'postgres';
  /** Round-trips to the database within `timeoutMs`; throws when it is unreachable, full or too slow. */
  ping(timeoutMs?: number): Promise<void>;
  /** Whether queries are being accepted, and if not why (known without a round trip). */
  availability(): AvailabilityStatus;
  /** Called on every change of availability (the server logs them). */
  onAvailabilityChange(listener: (status: AvailabilityStatus) => void): () => void;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));
// Any constant works; it only has to be the same on every node so migrations run one at a time.
const migrationLockId = 727_160_001;

/**
 * Bounds on every wait for PostgreSQL, so an outage gives errors (503 `unavailable`) instead of hangs.
 * README "Operations" lists them with their environment variables.
 */
export interface PostgresTimeouts {
  /** Opening a connection (TCP, startup, authentication). */
  connectTimeoutMs: number;
  /** PostgreSQL's `statement_timeout`: the longest one statement may run (or wait for a lock). */
  statementTimeoutMs: number;
  /** PostgreSQL's `idle_in_transaction_session_timeout`: a transaction whose client went silent frees its locks. */
  idleInTransactionTimeoutMs: number;
  /** A query still waiting for a free connection after this fails instead of queueing on. */
  acquireTimeoutMs: number;
  /** A connection waiting this long for an answer has the server probed (see `link-watch.ts`). */
  stallMs: number;
  /** How long that probe, and each recovery probe while unreachable, may take. */
  probeTimeoutMs: number;
}

export const defaultPostgresTimeouts: PostgresTimeouts = {
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 15_000,
  idleInTransactionTimeoutMs: 10_000,
  acquireTimeoutMs: 5_000,
  stallMs: 2_000,
  probeTimeoutMs: 1_000,
};

/** Below this much free space on the data directory's disk, embedded PostgreSQL takes no more work. */
export const defaultMinFreeBytes = 64 * 1024 * 1024;

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; maxConnections?: number; timeouts?: Partial<PostgresTimeouts> }
  | {
      kind: 'pglite';
      /** `dataDir` undefined keeps the database in memory (tests). */
      dataDir?: string;
      /**
       * Starts from this dump of a data dir (PGlite's `dumpDataDir`) instead of an empty cluster; migrations
       * still run and apply whatever it lacks. Tests start each in-memory database from one migrated dump.
       */
      loadDataDir?: Blob;
      /**
       * Free space kept on the data directory's disk: PGlite cannot survive failing to create its next
       * WAL segment (it spins forever), so it stops taking work before that can happen. 16 MB per segment.
       */
      minFreeBytes?: number;
      /** Reads the free bytes of the data directory's disk (tests replace it). */
      freeBytes?: (dataDir: string) => Promise<number>;
      /** How often the free space is read. */
      diskCheckMs?: number;
      /**
       * The embedded database hit an error it cannot come back from (its WAL could not be written): the
       * process must restart (the server exits). Every later query fails with that error either way.
       */
      onFatal?: (error: Error) => void;
    };

/** Opens the database and brings its schema up to date with the committed migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === 'postgres' ? openPostgres(options) : openPglite(options);
}

async function openPostgres(options: Extract<DatabaseOptions, { kind: 'postgres' }>): Promise<Database> {
  const timeouts = { ...defaultPostgresTimeouts, ...options.timeouts };
  const availability = new Availability();
  const unreachable = (message: string) => availability.markDown('unreachable', message);
  const link = createLinkWatch({
    stallMs: timeouts.stallMs,
    probeTimeoutMs: timeouts.probeTimeoutMs,
    // A statement may legitimately run until statement_timeout; silence beyond that is a dead connection.
    deadMs: timeouts.statementTimeoutMs + 5_000,
    onFailure: unreachable,
  });
  // A `host` parameter that is a directory names a Unix socket, as in libpq's URLs.
  const { url, path } = postgresTarget(options.url);
  const socketPath = path ? { path } : {};
  const pool = (max: number, applicationName: string) =>
    postgres(url, {
      max,
      ...socketPath,
      onnotice: () => {},
      connection: {
        application_name: applicationName,
        statement_timeout: timeouts.statementTimeoutMs,
        idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs,
      },
      connect_timeout: timeouts.connectTimeoutMs / 1000,
      // postgres-js waits up to 20 s before reconnecting after repeated failures; the recovery probe below
      // already paces retries, so a returning database is used within a second.
      backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
      // Connections are replaced after 30 to 60 minutes, which also bounds each one's prepared statements.
      max_lifetime: 60 * (30 + Math.random() * 30),
      // postgres-js takes a socket factory (documented, missing from its types): each connection is watched.
      ...({ socket: link.socket } as object),
    });
  const raw = pool(Math.max(2, options.maxConnections ?? 10), 'beckon');
  // Writes a client is waiting on (chat acks, collect group commits) have connections of their own: on the
  // shared pool a burst of background work (welcome rounds, lead touches, rescoring) held every
  // connection, and a batch of acks queued behind it (bench:chat, 1,000 conversations opening in a second).
  // Six: the chat writer's batch in flight, the collect group commit's four groups in flight, and one spare
  // (collect's derivations, background work, run on the shared pool).
  const ackRaw = pool(6, 'beckon-ack');

  // While unreachable, one probe at a time tries the database; the first answer opens the gate again.
  let probing: NodeJS.Timeout | undefined;
  let closed = false;
  const probeUntilReachable = () => {
    if (probing || closed) return;
    probing = setTimeout(async () => {
      try {
        await withDeadline(raw`select 1`.execute(), timeouts.connectTimeoutMs + timeouts.probeTimeoutMs, 'probe');
        availability.markUp();
      } catch {
        // still unreachable
      }
      probing = undefined;
      if (!availability.status.available) probeUntilReachable();
    }, 250);
    probing.unref();
  };
  availability.onChange((status) => {
    if (status.available) return;
    // Queries already sent on a connection to an unreachable server would wait for TCP to give up.
    link.destroyWaiting('The database server is unreachable');
    probeUntilReachable();
  });

  const client = guardedClient(raw, availability, timeouts.acquireTimeoutMs);
  const db = drizzlePostgres(client) as unknown as Db;
  const ackDb = drizzlePostgres(guardedClient(ackRaw, availability, timeouts.acquireTimeoutMs)) as unknown as Db;
  // Migrations run on a client of their own, without the timeouts: building an index on a large table may
  // take longer than any request should, and a node waits for another node's migrations as long as they take.
  // Several nodes may start at once: the advisory lock, held on its own connection while the client
  // migrates, makes the second node wait for the first's migrations.
  const migrator = postgres(url, {
    max: 2,
    ...socketPath,
    onnotice: () => {},
    connection: { application_name: 'beckon-migrate' },
  });
  try {
    const lock = await migrator.reserve();
    try {
      await lock`select pg_advisory_lock(${migrationLockId})`;
      await migratePostgres(drizzlePostgres(migrator), { migrationsFolder });
    } finally {
      await lock`select pg_advisory_unlock(${migrationLockId})`;
      lock.release();
    }
  } finally {
    await migrator.end();
  }
  return {
    db,
    ackDb,
    kind: 'postgres',
    ping: (timeoutMs = timeouts.connectTimeoutMs) =>
      withDeadline(client`select 1`.execute(), timeoutMs, 'ping').then(() => undefined),
    availability: () => availability.status,
    onAvailabilityChange: (listener) => availability.onChange(listener),
    async close() {
      closed = true;
      clearTimeout(probing);
      link.stop();
      // In-flight statements get 2 s to finish; a connection stuck on an unreachable server is not waited for.
      const timeout = availability.status.available ? 2 : 0;
      await Promise.all([raw.end({ timeout }), ackRaw.end({ timeout })]);
    },
  };
}

async function openPglite(options: Extract<DatabaseOptions, { kind: 'pglite' }>): Promise<Database> {
  const availability = new Availability();
  const {
    dataDir,
    loadDataDir,
    minFreeBytes = defaultMinFreeBytes,
    freeBytes = freeBytesOf,
    diskCheckMs = 1_000,
  } = options;
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const raw = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...(loadDataDir ? { loadDataDir } : {}) });
  let fatal: Error | undefined;
  const onFatal = (error: Error) => {
    if (fatal) return;
    fatal = error;
    options.onFatal?.(error);
  };

  /** Reads free space; below the reserve nothing is sent to PGlite, above it again work resumes. */
  const checkDisk = async () => {
    if (!dataDir || fatal) return;
    const free = await freeBytes(dataDir).catch(() => Number.POSITIVE_INFINITY);
    if (free < minFreeBytes) {
      availability.markDown(
        'disk_full',
        `The disk holding ${dataDir} has ${Math.floor(free / 1048576)} MB free; embedded PostgreSQL needs ${Math.ceil(minFreeBytes / 1048576)} MB`,
      );
    } else if (availability.status.reason === 'disk_full') {
      availability.markUp();
    }
  };
  await checkDisk();
  const diskTimer = dataDir ? setInterval(() => void checkDisk(), diskCheckMs) : undefined;
  diskTimer?.unref();

  const onError = (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    if (!/No space left on device/i.test(message)) return;
    availability.markDown('disk_full', `Embedded PostgreSQL ran out of disk space: ${message}`);
    // A failed WAL write is a PANIC in PostgreSQL ("could not write to log file …"); PGlite does not exit
    // but spins on the CPU in its next query, with no way back. Nothing more may reach it.
    if (/log file|pg_wal|xlog/i.test(message))
      onFatal(
        new DatabaseUnavailableError(
          'disk_full',
          `Embedded PostgreSQL could not write its log (disk full): ${message}`,
          { cause: error },
        ),
      );
  };
  watchPgliteErrors(raw, onError, () => fatal);
  const client = guardedPglite(raw, availability, () => fatal);
  const db = drizzlePglite(client);
  await migratePglite(db, { migrationsFolder });
  return {
    db: db as unknown as Db,
    // One connection in this process: nothing to keep apart.
    ackDb: db as unknown as Db,
    kind: 'pglite',
    // PGlite runs queries one at a time in this process, so the deadline also bounds waiting behind others.
    ping: (timeoutMs = 1_000) => withDeadline(db.execute(sql`select 1`), timeoutMs, 'ping').then(() => undefined),
    availability: () => availability.status,
    onAvailabilityChange: (listener) => availability.onChange(listener),
    async close() {
      clearInterval(diskTimer);
      // A PGlite that hit a fatal error would spin in close() too; the process is exiting anyway.
      if (!fatal) await raw.close();
    },
  };
}

async function freeBytesOf(dataDir: string) {
  const stats = await statfs(dataDir);
  return stats.bavail * stats.bsize;
}

/** Rejects with an `unavailable` error when `promise` has not settled within `ms`. */
function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new DatabaseUnavailableError('unreachable', `The database did not answer the ${what} within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Rows of a raw `db.execute`, whichever driver answered (postgres-js returns an array, PGlite `{ rows }`). */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** A database or an open transaction: services that must join the caller's transaction take this. */
export type DbOrTx = Db | Tx;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Runs `fn` in the caller's transaction when given one, else in a transaction of its own. Where `db.transaction`
 * on a transaction would open a savepoint: two statements more and a round trip for its release, worth it only
 * to a caller that catches the failure and goes on, which the callers of this do not (their failure fails
 * the caller's transaction, which rolls back as a whole).
 */
export function inTransaction<T>(db: DbOrTx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db instanceof PgTransaction ? fn(db as Tx) : db.transaction(fn);
}

/** Statements with more parameters are bulk writes whose text varies with their row count: not worth keeping. */
const maxPreparedParameters = 100;

type Unsafe = (text: string, parameters?: unknown[], options?: { prepare?: boolean }) => unknown;
/** The bits of a postgres-js query the guard touches. */
interface PendingQuery {
  state: unknown;
  cancelled: unknown;
  cancel(): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** What a refused query returns: a rejected promise that also answers the query methods drizzle calls. */
function refusedQuery(error: Error) {
  const refused = Promise.reject(error);
  refused.catch(() => {});
  return Object.assign(refused, {
    values: () => refused,
    raw: () => refused,
    execute: () => refused,
    cancel: () => undefined,
  });
}

/**
 * The postgres-js client as features use it:
 * - Refused at once while the database is known to be unreachable (503 in milliseconds, not a hang).
 * - A query that got no connection within `acquireTimeoutMs` is cancelled (postgres-js would queue it
 *   for as long as the outage lasts).
 * - Drizzle's parameterised statements are sent as named prepared statements. Drizzle sends them unnamed,
 *   and for an unnamed statement with parameters postgres-js asks the server to describe it first: two
 *   round trips, and a parse and a plan by PostgreSQL, on every query. Prepared, a statement is parsed once
 *   per connection, its plan can be cached, and it takes one round trip (bench:chat: PostgreSQL CPU 0.64 →
 *   0.27 cores at 1,000 messages/s). Each connection keeps every distinct statement text it ran;
 *   `max_lifetime` replaces connections, so that set cannot grow without bound.
 * Transactions and savepoints get their own client from postgres-js: they are wrapped the same way.
 */
function guardedClient<T extends object>(client: T, availability: Availability, acquireTimeoutMs: number): T {
  const withDeadline = (query: unknown) => {
    const pending = query as PendingQuery;
    // Not started when the deadline passes: still queued for a connection. Started queries are bounded by
    // statement_timeout and the link watch instead.
    const timer = setTimeout(() => {
      if (!pending.state && !pending.cancelled) pending.cancel();
    }, acquireTimeoutMs);
    timer.unref();
    // Cleared when the query settles (postgres-js calls these), so the timer does not keep its rows alive.
    const { resolve, reject } = pending;
    pending.resolve = (value) => (clearTimeout(timer), resolve(value));
    pending.reject = (error) => (clearTimeout(timer), reject(error));
    return query;
  };
  return new Proxy(client, {
    apply(target, thisArgument, args) {
      try {
        availability.check();
      } catch (error) {
        return refusedQuery(error as Error);
      }
      return withDeadline(Reflect.apply(target as (...all: unknown[]) => unknown, thisArgument, args));
    },
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'unsafe') {
        return (text: string, parameters: unknown[] = [], options: { prepare?: boolean } = {}) => {
          try {
            availability.check();
          } catch (error) {
            return refusedQuery(error as Error);
          }
          return withDeadline(
            (value as Unsafe).call(target, text, parameters, {
              ...options,
              prepare: parameters.length > 0 && parameters.length <= maxPreparedParameters,
            }),
          );
        };
      }
      if (property === 'begin' || property === 'savepoint') {
        // begin([options], fn) and savepoint([name], fn): the scoped client is the callback's argument.
        // A pool's transactions send BEGIN with their first statements (pipelined-begin.ts).
        const pipelined = property === 'begin' && typeof (target as Partial<postgres.Sql>).reserve === 'function';
        return (...args: unknown[]) => {
          try {
            availability.check();
          } catch (error) {
            return Promise.reject(error);
          }
          const scoped = args.pop() as (inner: object) => unknown;
          const guarded = async (inner: object) => scoped(guardedClient(inner, availability, acquireTimeoutMs));
          if (!pipelined) return (value as (...all: unknown[]) => unknown).call(target, ...args, guarded);
          if (args.length > 0) throw new Error('begin takes no options here (drizzle sets them in the transaction)');
          return beginPipelined(target as unknown as postgres.Sql, guarded, acquireTimeoutMs);
        };
      }
      return value;
    },
  });
}

/**
 * Hooks into PGlite's own entry points, which every statement passes — transactions' statements and the
 * ROLLBACK PGlite sends after a failure included: each database error is shown to `onError` (a full disk is
 * noticed on the first failed write, before the next free-space check), and after a fatal error nothing
 * reaches the WebAssembly PostgreSQL any more (it would spin forever, blocking the event loop).
 */
function watchPgliteErrors(client: PGlite, onError: (error: unknown) => void, fatal: () => Error | undefined) {
  type Entry = (...args: unknown[]) => unknown;
  const instance = client as unknown as Record<'execProtocolRawSync' | 'execProtocol' | 'execProtocolStream', Entry>;
  const enter = instance.execProtocolRawSync.bind(client);
  instance.execProtocolRawSync = (...args) => {
    const fatalError = fatal();
    if (fatalError) throw fatalError;
    return enter(...args);
  };
  for (const name of ['execProtocol', 'execProtocolStream'] as const) {
    const run = instance[name].bind(client) as (...args: unknown[]) => Promise<unknown>;
    instance[name] = async (...args) => {
      try {
        return await run(...args);
      } catch (error) {
        onError(error);
        throw error;
      }
    };
  }
}

/** The PGlite client as features use it: refused at once while the disk is full or after a fatal error. */
function guardedPglite(client: PGlite, availability: Availability, fatal: () => Error | undefined): PGlite {
  const guard =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const fatalError = fatal();
      if (fatalError) throw fatalError;
      availability.check();
      return run(...args);
    };
  return new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'query' || property === 'exec' || property === 'transaction') {
        return guard((...args: unknown[]) => (value as (...all: unknown[]) => Promise<unknown>).apply(target, args));
      }
      return typeof value === 'function' ? (value as (...all: unknown[]) => unknown).bind(target) : value;
    },
  });
}
