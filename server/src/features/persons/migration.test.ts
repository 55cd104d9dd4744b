import { readFile, readdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../testing/harness.js';

const folder = fileURLToPath(new URL('../../../drizzle', import.meta.url));

/** Raw SQL on either database: the migration is checked as committed, statement by statement. */
interface Raw {
  run(sql: string): Promise<void>;
  rows<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

async function openRaw(kind: 'pglite' | 'postgres'): Promise<Raw> {
  if (kind === 'pglite') {
    const client = await PGlite.create();
    return {
      run: async (sql) => void (await client.exec(sql)),
      rows: async <T>(sql: string) => (await client.query<T>(sql)).rows,
      close: () => client.close(),
    };
  }
  const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const name = `beckon_mig_${randomBytes(6).toString('hex')}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
  return {
    run: async (sql) => void (await client.unsafe(sql)),
    rows: async <T>(sql: string) => (await client.unsafe(sql)) as unknown as T[],
    async close() {
      await client.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function migrate(db: Raw, files: string[]) {
  for (const file of files) {
    for (const statement of (await readFile(`${folder}/${file}`, 'utf8')).split('--> statement-breakpoint'))
      if (statement.trim()) await db.run(statement);
  }
}

describe.each(databaseKinds)('migration 0013_persons on %s', (kind) => {
  let db: Raw;
  const site = '00000000-0000-4000-8000-000000000001';
  const ana = '00000000-0000-4000-8000-0000000000a1';
  const bo = '00000000-0000-4000-8000-0000000000b0';
  const chat = '00000000-0000-4000-8000-0000000000c1';
  const conversation = '00000000-0000-4000-8000-0000000000c2';

  beforeAll(async () => {
    db = await openRaw(kind);
    const files = (await readdir(folder)).filter((file) => file.endsWith('.sql')).sort();
    const persons = files.findIndex((file) => file.startsWith('0013_'));
    await migrate(db, files.slice(0, persons));
    // Data as an installation before persons holds it.
    await db.run(`
      insert into sites (id, key, name, widget) values ('${site}', 'shop', 'Shop', '{}');
      insert into leads (id, site_id, name, email, phone, status) values ('${ana}', '${site}', 'Ana', 'ana@example.com', '+34612345678', 'new'), ('${bo}', '${site}', null, null, '+4915112345678', 'won');
      insert into lead_visitors (site_id, visitor_id, lead_id) values ('${site}', 'visitor_ana_desk', '${ana}'), ('${site}', 'visitor_bo_0001', '${bo}');
      insert into chat_visitors (id, site_id, token_hash, tracker_visitor_ids) values ('${chat}', '${site}', 'hash', '["visitor_ana_desk"]');
      insert into conversations (id, site_id, chat_visitor_id) values ('${conversation}', '${site}', '${chat}');
      insert into lead_touches (lead_id, channel, kind, summary, ref_type, ref_id) values ('${ana}', 'chat', 'chat.started', 'Hi', 'conversation', '${conversation}');
      insert into visitors (site_id, visitor_id, first_seen_at, last_seen_at, email, user_id, verified_at) values
        ('${site}', 'visitor_ana_desk', now(), now(), null, null, null),
        ('${site}', 'visitor_ana_phone', now(), now(), 'ANA@example.com', 'shop-user-1', now()),
        ('${site}', 'visitor_zoe_one', now() - interval '1 day', now(), 'zoe@example.com', 'unverified-zoe', null),
        ('${site}', 'visitor_zoe_two', now(), now(), 'zoe@example.com', null, null),
        ('${site}', 'visitor_nobody', now(), now(), null, null, null);
    `);
    await migrate(db, files.slice(persons, persons + 1));
  });
  afterAll(() => db?.close());

  const personOf = async (visitorId: string) =>
    (await db.rows<{ person_id: string }>(`select person_id from person_visitors where visitor_id = '${visitorId}'`))[0]
      ?.person_id;

  it('keeps every lead, visitor and conversation and gives each lead a person', async () => {
    expect(await db.rows(`select id, person_id from leads order by id`)).toEqual([
      { id: ana, person_id: ana },
      { id: bo, person_id: bo },
    ]);
    expect((await db.rows(`select visitor_id from visitors`)).length).toBe(5);
    expect((await db.rows(`select id from conversations`)).length).toBe(1);
    expect(await db.rows(`select person_id from chat_visitors`)).toEqual([{ person_id: ana }]);
    expect(await db.rows(`select outcome from persons where id = '${bo}'`)).toEqual([{ outcome: 'won' }]);
  });

  it('joins identified visitors by email, one person per email, and links nobody anonymous', async () => {
    expect(await personOf('visitor_ana_desk')).toBe(ana);
    expect(await personOf('visitor_ana_phone')).toBe(ana);
    const zoe = await personOf('visitor_zoe_one');
    expect(zoe).toBeDefined();
    expect(await personOf('visitor_zoe_two')).toBe(zoe);
    expect(await db.rows(`select label_seed from persons where id = '${zoe}'`)).toEqual([
      { label_seed: 'visitor_zoe_one' },
    ]);
    expect(await personOf('visitor_nobody')).toBeUndefined();
    // Only a verified user id becomes the person's.
    expect(await db.rows(`select id, user_id from persons where user_id is not null`)).toEqual([
      { id: ana, user_id: 'shop-user-1' },
    ]);
    expect((await db.rows(`select id from persons`)).length).toBe(3);
  });
});
