import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client.js';

/**
 * Holds a table the way a slow commit does, until the returned function is called: a real `exclusive`
 * table lock on PostgreSQL (writers wait for it, readers do not), and PGlite's one connection on PGlite
 * (every statement waits for the open transaction).
 */
export async function holdTable(db: Db, table: PgTable): Promise<() => Promise<void>> {
  let release!: () => void;
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const done = db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${table} in exclusive mode`);
    locked();
    await released;
  });
  await Promise.race([isLocked, done]);
  return async () => {
    release();
    await done;
  };
}

/**
 * Holds the transaction-scoped advisory lock a feature takes on `key` (`pg_advisory_xact_lock(hashtextextended(key, 0))`,
 * as leads and persons lock an identity) until the returned function is called: a transaction that needs
 * it waits, as behind a slow one on another node. PostgreSQL only: on PGlite's one connection the open
 * transaction would hold every statement.
 */
export async function holdAdvisoryLock(db: Db, key: string): Promise<() => Promise<void>> {
  let release!: () => void;
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const done = db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    locked();
    await released;
  });
  await Promise.race([isLocked, done]);
  return async () => {
    release();
    await done;
  };
}
