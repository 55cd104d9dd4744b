import net from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, rowsOf, type Database } from './client.js';

/**
 * `scripts/patches/postgres+3.4.9.patch` (applied by `npm install`'s postinstall) changes two things in
 * postgres-js; each test here fails without its part. ARCHITECTURE.md, "Decisions worth knowing".
 */
const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)('postgres-js as patched', () => {
  let database: Database | undefined;
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => void unhandled.push(reason);
  const socketWrite = net.Socket.prototype.write;
  afterEach(async () => {
    process.off('unhandledRejection', record);
    net.Socket.prototype.write = socketWrite;
    await database?.close();
    database = undefined;
  });

  // postgres-js asks every new connection for the array types and dropped that query's promise, so a connection
  // that failed while asking (cut during an outage, or the query cancelled) became an unhandled rejection, which
  // ends a Node process (porsager/postgres#1192, #1205; CI hit it in `outage.test.ts`).
  it('a connection whose array-type lookup fails fails only its own queries: the process sees no unhandled rejection', async () => {
    // A statement_timeout of 1 ms cancels the lookup (a catalog join) as the connection opens.
    database = await openDatabase({
      kind: 'postgres',
      url: adminUrl!,
      maxConnections: 3,
      timeouts: { statementTimeoutMs: 1 },
    });
    process.on('unhandledRejection', record);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 3 }, () => database!.db.execute(sql`select array[1, 2]::int[] as ids`)),
    );
    // Let a dropped rejection surface (Node reports them after the microtask queue drains).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
    for (const outcome of outcomes) {
      // Each query either ran or was itself cancelled by the 1 ms timeout; none hangs or crashes the process.
      if (outcome.status === 'rejected') {
        const cause = (outcome.reason as { cause?: unknown }).cause ?? outcome.reason;
        expect(String(cause)).toMatch(/statement timeout/);
      }
    }
  });

  // A statement of 1 KB or more was written at once, and the small ones issued right behind it (a collect
  // group's answers read and its COMMIT) left in a second write: one more wake-up of PostgreSQL's backend per
  // transaction. Now such a message leaves at the end of the run of microtasks, with what they add.
  it("a transaction's statements and its COMMIT leave in one socket write, a large statement among them", async () => {
    database = await openDatabase({ kind: 'postgres', url: adminUrl!, maxConnections: 2 });
    const writes: Buffer[] = [];
    // Every socket opened from here on (the link watch wraps each socket's write as it opens it).
    net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
      const [data] = args;
      if (Buffer.isBuffer(data)) writes.push(data);
      return (socketWrite as (...all: unknown[]) => boolean).apply(this, args);
    } as typeof socketWrite;
    const large = 'x'.repeat(4_000);
    const group = (n: number) =>
      database!.ackDb.transaction(async (tx) => {
        // As a collect group issues them: statements in one turn, then its own `commit` (pipelined-begin.ts).
        const stored = tx.execute(sql`select length(${large}::text) as length`).then((result) => rowsOf(result));
        const answer = tx.execute(sql`select ${n}::int as n`).then((result) => rowsOf(result));
        void tx.execute(sql.raw('commit')).catch(() => {});
        return Promise.all([stored, answer]);
      });
    // The first run on a connection prepares its statements (round trips of their own); the second is the one.
    for (let n = 0; n < 2; n++) await group(n);
    writes.length = 0;
    expect(await group(2)).toEqual([[{ length: 4_000 }], [{ n: 2 }]]);
    const sent = writes.map((data) => data.toString('latin1'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^Q\0\0\0\nbegin\0.*x{4000}.*commit\0$/s);
  });
});
