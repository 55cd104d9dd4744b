import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './client.js';

/**
 * `scripts/patches/postgres+3.4.9.patch` (applied by `npm install`'s postinstall): postgres-js asks every new
 * connection for the array types and dropped that query's promise, so a connection that failed while asking
 * (cut during an outage, or the query cancelled) became an unhandled rejection, which ends a Node process
 * (porsager/postgres#1192, #1205; CI hit it in `outage.test.ts`). With the patch the failure reaches only the
 * connection's own queries.
 */
const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)('a connection whose array-type lookup fails', () => {
  let database: Database | undefined;
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => void unhandled.push(reason);
  afterEach(async () => {
    process.off('unhandledRejection', record);
    await database?.close();
  });

  it('fails only its own queries: the process sees no unhandled rejection', async () => {
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
});
