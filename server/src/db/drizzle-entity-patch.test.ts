import { Column, is, SQL, sql, Table } from 'drizzle-orm';
import { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { eventsTable } from '../features/collect/schema.js';

/**
 * `scripts/patches/drizzle-orm+0.45.4.patch` (applied by `npm install`'s postinstall) backports drizzle 1.0's
 * `is()`: the entity kinds of each class are collected once, instead of walking the class chain on every check
 * that `instanceof` fails. Query building calls it for every piece of every statement: it was a seventh of the
 * node's busy time in a chat's lead touch (`bench:lead-touch`). The answers must stay drizzle's own.
 */
describe("drizzle's is() with the backported per-class cache", () => {
  it('is the patched version (npm install ran its postinstall)', () => {
    expect(is.toString()).toContain('kindsByConstructor');
  });

  it('answers as drizzle always did, also for a class seen before', () => {
    for (let round = 0; round < 2; round++) {
      expect(is(eventsTable.siteId, Column)).toBe(true);
      expect(is(eventsTable.siteId, PgColumn)).toBe(true);
      expect(is(eventsTable, Table)).toBe(true);
      expect(is(eventsTable, PgTable)).toBe(true);
      expect(is(sql`select 1`, SQL)).toBe(true);
      expect(is(sql`select 1`, Column)).toBe(false);
      expect(is(eventsTable.siteId, SQL)).toBe(false);
      expect(is({}, Column)).toBe(false);
      expect(is(null, Column)).toBe(false);
      expect(is('text', SQL)).toBe(false);
    }
  });

  it('still refuses a class that is not a drizzle entity', () => {
    class NotAnEntity {}
    expect(() => is(eventsTable.siteId, NotAnEntity as never)).toThrow(/doesn't look like a Drizzle entity/);
  });
});
