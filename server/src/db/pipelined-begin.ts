import type postgres from 'postgres';
import { DatabaseUnavailableError } from './availability.js';

/** What a transaction's statements go through: the calls drizzle makes on a postgres-js transaction client. */
export interface TransactionClient {
  unsafe(text: string, parameters?: unknown[], options?: { prepare?: boolean }): ReturnType<postgres.Sql['unsafe']>;
  savepoint<T>(fn: (client: TransactionClient) => Promise<T>): Promise<T>;
}

/**
 * `begin` for a postgres-js pool, with BEGIN sent together with the transaction's first statements.
 *
 * postgres-js's own `begin` waits for BEGIN's answer before it runs the callback: one round trip more per
 * transaction, and on this kind of machine a round trip costs the node about 80 µs of CPU and PostgreSQL a
 * wake-up (bench:ingest: socket writes were a fifth of the node's CPU). Here the transaction reserves a
 * connection and issues BEGIN without waiting; the statements the callback issues in the same turn leave
 * in the same socket write (postgres-js holds them; as patched, also behind a large one: ARCHITECTURE.md).
 *
 * What postgres-js's `begin` guarantees is kept:
 * - A statement that failed fails the transaction even when the callback caught its error: PostgreSQL has
 *   aborted it, and COMMIT would answer ROLLBACK without an error. Each scope remembers its first failure
 *   and rolls back with it; a COMMIT that answers anything but COMMIT is an error too.
 * - `savepoint(fn)` runs `fn` in a savepoint; its failure rolls back to the savepoint only.
 * - A `commit` statement the callback issues is the transaction's COMMIT, sent right behind the statements
 *   before it (no round trip waits between them): when one of those failed, PostgreSQL answers it with
 *   ROLLBACK, and the transaction fails with that statement's error.
 * - The connection waits at most `acquireTimeoutMs` to be reserved (a query waiting for a connection is
 *   cancelled after that time too), and goes back to the pool afterwards, whatever happened.
 */
export async function beginPipelined<T>(
  pool: postgres.Sql,
  fn: (client: TransactionClient) => Promise<T>,
  acquireTimeoutMs: number,
): Promise<T> {
  const reserved = await reserveWithin(pool, acquireTimeoutMs);
  const connection: Connection = { sql: reserved, broken: false, savepoints: 0 };
  try {
    return await runScope(connection, fn, null);
  } finally {
    // A connection that died is already back in postgres-js's closed set (it reconnects it on demand);
    // released, it would join the open ones.
    if (!connection.broken) reserved.release();
  }
}

interface Connection {
  sql: postgres.ReservedSql;
  /** A statement failed because the connection did (closed, destroyed, reset): nothing more goes on it. */
  broken: boolean;
  savepoints: number;
}

/** postgres-js's own connection errors and the socket's (ECONNRESET, EPIPE, …), as opposed to PostgreSQL's. */
const isConnectionError = (error: unknown) => {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (/^CONNECT(ION_[A-Z]+|_TIMEOUT)$/.test(code) || /^E[A-Z]+$/.test(code));
};

async function reserveWithin(pool: postgres.Sql, ms: number): Promise<postgres.ReservedSql> {
  const reserving = pool.reserve();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DatabaseUnavailableError('unreachable', `No database connection within ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([reserving, timedOut]);
  } catch (error) {
    // A connection that arrives after the deadline goes straight back to the pool.
    void reserving.then((late) => late.release()).catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function runScope<T>(
  connection: Connection,
  fn: (client: TransactionClient) => Promise<T>,
  savepoint: string | null,
): Promise<T> {
  let failure: { error: unknown } | undefined;
  const send = (text: string, parameters?: unknown[], options?: { prepare?: boolean }) => {
    if (connection.broken) throw new Error('The transaction’s connection to the database was lost');
    const query = connection.sql.unsafe(text, parameters as postgres.ParameterOrJSON<never>[], options);
    query.catch((error: unknown) => {
      if (isConnectionError(error)) connection.broken = true;
    });
    return query;
  };
  // A transaction's own `commit` statement (a collect group's, see `writeGroupOnce`) is its COMMIT: it leaves with the
  // statements before it, and the scope answers with its outcome instead of sending another.
  let earlyCommit: ReturnType<typeof send> | undefined;
  const issue: TransactionClient['unsafe'] = (text, parameters, options) => {
    if (!savepoint && text === 'commit') return (earlyCommit ??= send('commit'));
    const query = send(text, parameters, options);
    // Attached now (postgres-js sends a query one microtask after it is first awaited, so `.values()` and
    // friends chained by the caller still apply): a failure the caller swallows still fails the scope.
    query.catch((error: unknown) => {
      failure ??= { error };
    });
    return query;
  };
  const client: TransactionClient = {
    unsafe: issue,
    savepoint: (inner) => runScope(connection, inner, `s${connection.savepoints++}`),
  };
  // Not awaited: BEGIN (or SAVEPOINT) leaves with the callback's first statements.
  const opened = issue(savepoint ? `savepoint ${savepoint}` : 'begin');
  try {
    const result = await fn(client);
    await opened;
    if (failure) throw failure.error;
    if (savepoint) await send(`release savepoint ${savepoint}`);
    else {
      const committed = await (earlyCommit ?? send('commit'));
      if (committed.command !== 'COMMIT') throw new Error(`The transaction was not committed (${committed.command})`);
    }
    return result;
  } catch (error) {
    if (!connection.broken) {
      await Promise.resolve()
        .then(() => send(savepoint ? `rollback to savepoint ${savepoint}` : 'rollback'))
        .catch(() => {});
    }
    throw failure && error !== failure.error && isAbortedTransaction(error) ? failure.error : error;
  }
}

/** 25P02: "current transaction is aborted" — the statement failed because an earlier one did. */
const isAbortedTransaction = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '25P02';
