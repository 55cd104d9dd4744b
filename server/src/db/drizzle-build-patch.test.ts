import { and, eq, inArray, sql, SQL } from 'drizzle-orm';
import { alias, PgDialect } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import { describe, expect, it } from 'vitest';
import { eventsTable } from '../features/collect/schema.js';
import { visitorsTable } from '../features/visitors/schema.js';

/**
 * `scripts/patches/drizzle-orm+0.45.4.patch` also rewrites `SQL.buildQueryFromSourceParams`, which turns a
 * statement's pieces into its text and parameters: it wrote every piece into an object of its own and merged
 * them level by level, and building queries was most of what a chat message allocated (bench:chat's heap
 * profile: a fifth of the bytes; scavenges pause every socket). The patched one appends into one accumulator.
 * Checked against the original on 460,000 statements of bench:ingest and bench:chat (identical text,
 * parameters and typings); here, each kind of piece, as drizzle always built it.
 */
const dialect = new PgDialect();
const build = (query: SQL) => dialect.sqlToQuery(query);
// A driver-less database: its builders only build (`toSQL`), nothing is sent.
const db = drizzle.mock();

describe("drizzle's query building with the patched accumulator", () => {
  it('is the patched version (npm install ran its postinstall)', () => {
    expect(SQL.prototype.buildQueryFromSourceParams.toString()).toContain('appendChunks');
    expect(dialect.prepareTyping.toString()).toContain('typingByConstructor');
  });

  it('writes text, tables, columns, parameters and nested statements in order', () => {
    const inner = sql`${eventsTable.type} = ${'pageview'}`;
    const query = build(
      sql`select ${eventsTable.id} from ${eventsTable} where ${eventsTable.siteId} = ${'site-1'} and (${inner}) limit ${5}`,
    );
    expect(query).toEqual({
      sql: 'select "events"."id" from "events" where "events"."site_id" = $1 and ("events"."type" = $2) limit $3',
      params: ['site-1', 'pageview', 5],
      typings: ['none', 'none', 'none'],
    });
  });

  it('writes arrays as lists, names as identifiers, raw text as it is, and an empty statement as nothing', () => {
    const query = build(
      sql`select ${sql.identifier('n')} from t where id in ${[1, 2, 3]} ${sql.raw('order by 1')}${sql.empty()}`,
    );
    expect(query).toEqual({
      sql: 'select "n" from t where id in ($1, $2, $3) order by 1',
      params: [1, 2, 3],
      typings: ['none', 'none', 'none'],
    });
    expect(build(sql`select 1`)).toEqual({ sql: 'select 1', params: [] });
  });

  it('inlines the parameters of an inlined statement, also when nested, and numbers the rest on', () => {
    const inlined = sql`limit ${10}`.inlineParams();
    expect(build(sql`select ${'a'} ${inlined} offset ${'b'}`)).toEqual({
      sql: 'select $1 limit 10 offset $2',
      params: ['a', 'b'],
      typings: ['none', 'none'],
    });
    expect(build(sql`select ${"it's"}`.inlineParams())).toEqual({ sql: "select 'it''s'", params: [] });
  });

  it("types each parameter by its column's class, the same every time (cached per class)", () => {
    const at = new Date('2026-12-06T10:00:00.000Z');
    for (let round = 0; round < 2; round++) {
      const query = build(
        sql`select ${sql.param({ a: 1 }, eventsTable.props)}, ${sql.param(at, eventsTable.occurredAt)}, ${sql.param('00000000-0000-4000-8000-000000000001', eventsTable.siteId)}, ${sql.param('https://shop.test/', eventsTable.url)}, ${7}`,
      );
      expect(query.params).toEqual([
        '{"a":1}',
        '2026-12-06T10:00:00.000Z',
        '00000000-0000-4000-8000-000000000001',
        'https://shop.test/',
        7,
      ]);
      expect(query.typings).toEqual(['json', 'timestamp', 'uuid', 'none', 'none']);
    }
  });

  it('keeps placeholders as parameters for prepared statements', () => {
    const query = build(sql`select * from t where a = ${sql.placeholder('a')} and b = ${2}`);
    expect(query.sql).toBe('select * from t where a = $1 and b = $2');
    expect(query.params).toHaveLength(2);
    expect(query.params[1]).toBe(2);
    expect(query.typings).toEqual(['none', 'none']);
  });

  it('builds query-builder statements: columns mapped to the driver, aliases, subqueries, conflicts', () => {
    const at = new Date('2026-12-06T10:00:00.000Z');
    const insert = db
      .insert(eventsTable)
      .values({
        siteId: '00000000-0000-4000-8000-000000000001',
        clientEventId: 'e1',
        visitorId: 'v1',
        sessionId: 's1',
        type: 'track',
        url: 'https://shop.test/',
        props: { plan: 'pro' },
        occurredAt: at,
      })
      .onConflictDoNothing()
      .toSQL();
    expect(insert.sql).toBe(
      'insert into "events" ("id", "site_id", "client_event_id", "visitor_id", "session_id", "type", "url", "title", "referrer", "name", "props", "context", "occurred_at", "received_at") values (default, $1, $2, $3, $4, $5, $6, default, default, default, $7, default, $8, default) on conflict do nothing',
    );
    expect(insert.params).toEqual([
      '00000000-0000-4000-8000-000000000001',
      'e1',
      'v1',
      's1',
      'track',
      'https://shop.test/',
      '{"plan":"pro"}',
      '2026-12-06T10:00:00.000Z',
    ]);

    const latest = db
      .select({ visitorId: eventsTable.visitorId })
      .from(eventsTable)
      .where(eq(eventsTable.type, 'pageview'))
      .as('latest');
    const v = alias(visitorsTable, 'v');
    const select = db
      .select({ id: v.visitorId, seen: latest.visitorId })
      .from(v)
      .innerJoin(latest, eq(latest.visitorId, v.visitorId))
      .where(and(eq(v.siteId, '00000000-0000-4000-8000-000000000001'), inArray(v.visitorId, ['a', 'b'])))
      .toSQL();
    expect(select.sql).toBe(
      'select "v"."visitor_id", "latest"."visitor_id" from "visitors" "v" inner join (select "visitor_id" from "events" where "events"."type" = $1) "latest" on "latest"."visitor_id" = "v"."visitor_id" where ("v"."site_id" = $2 and "v"."visitor_id" in ($3, $4))',
    );
    expect(select.params).toEqual(['pageview', '00000000-0000-4000-8000-000000000001', 'a', 'b']);
  });
});
