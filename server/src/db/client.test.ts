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

  it('commits nothing of a transaction whose statement failed, even when the callback caught the error', async () => {
    await database.db.execute(sql`create table if not exists tx_probe (id int primary key, note text)`);
    await database.db.execute(sql`delete from tx_probe`);
    const attempt = database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into tx_probe values (1, 'first')`);
      // A duplicate key: PostgreSQL aborts the transaction; a COMMIT after it would roll back in silence.
      await tx.execute(sql`insert into tx_probe values (1, 'again')`).catch(() => {});
      return 'done';
    });
    await expect(attempt).rejects.toThrow();
    expect(rowsOf(await database.db.execute(sql`select id from tx_probe`))).toEqual([]);
  });

  it('rolls a failed savepoint back alone and commits the rest of the transaction', async () => {
    await database.db.execute(sql`create table if not exists tx_probe (id int primary key, note text)`);
    await database.db.execute(sql`delete from tx_probe`);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into tx_probe values (1, 'kept')`);
      await expect(
        tx.transaction(async (nested) => {
          await nested.execute(sql`insert into tx_probe values (2, 'undone')`);
          await nested.execute(sql`insert into tx_probe values (1, 'duplicate')`);
        }),
      ).rejects.toThrow();
      await tx.execute(sql`insert into tx_probe values (3, 'after')`);
    });
    expect(rowsOf(await database.db.execute(sql`select id, note from tx_probe order by id`))).toEqual([
      { id: 1, note: 'kept' },
      { id: 3, note: 'after' },
    ]);
  });

  it('rolls back when the callback throws, and the connection serves the next transaction', async () => {
    await database.db.execute(sql`create table if not exists tx_probe (id int primary key, note text)`);
    await database.db.execute(sql`delete from tx_probe`);
    await expect(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`insert into tx_probe values (1, 'undone')`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    // Many at once: every pool connection is reserved and given back.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        database.db.transaction((tx) => tx.execute(sql`insert into tx_probe values (${i + 10}, 'ok')`)),
      ),
    );
    expect(rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from tx_probe`))).toEqual([
      { n: 20 },
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
