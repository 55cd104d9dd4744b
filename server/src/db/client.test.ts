import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { databaseKinds, openTestDatabase } from '../testing/harness.js';
import { executePrepared, rowsOf } from './client.js';

describe.each(databaseKinds)('executePrepared on %s', (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database.dispose());

  it('answers like db.execute, inside and outside a transaction', async () => {
    const query = (n: number) => sql`select ${n}::int + 1 as next, ${'text'}::text as word`;
    expect(rowsOf(await executePrepared(database.db, query(1)))).toEqual(rowsOf(await database.db.execute(query(1))));
    const inTransaction = await database.db.transaction(async (tx) => rowsOf<{ next: number }>(await executePrepared(tx, query(41))));
    expect(inTransaction).toEqual([{ next: 42, word: 'text' }]);
  });

  it.runIf(kind === 'postgres')('keeps the statement prepared on the connection, so PostgreSQL plans it once', async () => {
    // The statement finds itself among the session's prepared statements while it runs. (The driver sends a
    // statement without parameters as a simple query, so this one takes one.)
    const rows = rowsOf<{ n: number }>(
      await executePrepared(database.db, sql`select count(*)::int as n from pg_prepared_statements where statement like '%executePrepared marker%' and ${1}::int = 1`),
    );
    expect(rows[0]?.n).toBe(1);
  });
});
