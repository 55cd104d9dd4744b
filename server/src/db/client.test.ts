import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { databaseKinds, openTestDatabase } from '../testing/harness.js';
import { rowsOf, type DbOrTx } from './client.js';

describe.each(databaseKinds)('the database client on %s', (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database.dispose());

  it('runs parameterised statements, in and out of (nested) transactions', async () => {
    const query = (n: number) => sql`select ${n}::int + 1 as next, ${'text'}::text as word`;
    expect(rowsOf(await database.db.execute(query(1)))).toEqual([{ next: 2, word: 'text' }]);
    const inTransaction = await database.db.transaction(async (tx) => {
      const outer = rowsOf<{ next: number }>(await tx.execute(query(41)));
      const inner = await tx.transaction(async (nested) => rowsOf<{ next: number }>(await nested.execute(query(9))));
      return [...outer, ...inner];
    });
    expect(inTransaction).toEqual([
      { next: 42, word: 'text' },
      { next: 10, word: 'text' },
    ]);
  });

  it.runIf(kind === 'postgres')(
    'keeps statements prepared on their connection, so PostgreSQL parses and plans them once',
    async () => {
      // The statement finds itself among its session's prepared statements while it runs.
      const preparedCopies = async (db: DbOrTx) =>
        rowsOf<{ n: number }>(
          await db.execute(
            sql`select count(*)::int as n from pg_prepared_statements where statement like '%prepared marker%' and ${1}::int = 1`,
          ),
        )[0]?.n;
      expect(await preparedCopies(database.db)).toBe(1);
      expect(await database.db.transaction((tx) => preparedCopies(tx))).toBe(1);
      expect(await database.db.transaction((tx) => tx.transaction((nested) => preparedCopies(nested)))).toBe(1);
    },
  );
});
