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
