import { readFile, readdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../testing/harness.js';

const folder = fileURLToPath(new URL('../../../drizzle', import.meta.url));

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

/**
 * Rows written while timeline touches and person audit lines were English sentences only: after the
 * migration they carry the values the dashboard words in the agent's language (issue 20).
 */
describe.each(databaseKinds)('migration texts_as_codes on %s', (kind) => {
  let db: Raw;
  const site = '00000000-0000-4000-8000-000000000001';
  const lead = '00000000-0000-4000-8000-0000000000a1';
  const agent = '00000000-0000-4000-8000-0000000000a9';
  const person = '00000000-0000-4000-8000-0000000000b1';
  const callback = '00000000-0000-4000-8000-0000000000c1';
  const chatVisitor = '00000000-0000-4000-8000-0000000000d1';
  const conversation = '00000000-0000-4000-8000-0000000000d2';

  beforeAll(async () => {
    db = await openRaw(kind);
    const files = (await readdir(folder)).filter((file) => file.endsWith('.sql')).sort();
    const codes = files.findIndex((file) => file.endsWith('_texts_as_codes.sql'));
    expect(codes).toBeGreaterThan(0);
    await migrate(db, files.slice(0, codes));
    await db.run(`
      insert into sites (id, key, name, widget) values ('${site}', 'shop', 'Shop', '{}');
      insert into agents (id, email, name) values ('${agent}', 'ilze@example.com', 'Ilze');
      insert into leads (id, site_id, phone, status) values ('${lead}', '${site}', '+37120000000', 'new');
      insert into callbacks (id, site_id, phone, mode, requested_at, due_at, visitor_token_hash)
        values ('${callback}', '${site}', '+37120000000', 'now', now(), now(), 'hash');
      insert into chat_visitors (id, site_id, token_hash) values ('${chatVisitor}', '${site}', 'hash');
      insert into conversations (id, site_id, chat_visitor_id) values ('${conversation}', '${site}', '${chatVisitor}');
      insert into messages (conversation_id, seq, client_id, author, text)
        values ('${conversation}', 1, 'c1', 'visitor', 'Vai piegādājat uz Rīgu?'),
               ('${conversation}', 2, 'c2', 'system', 'Paldies!');
      insert into lead_touches (lead_id, channel, kind, summary, ref_type, ref_id, data) values
        ('${lead}', 'callback', 'callback.requested', 'Asked to be called now at +37120000000', 'callback', '${callback}', '{"mode":"now"}'),
        ('${lead}', 'callback', 'callback.outcome', 'Reached (Ilze)', 'callback', '${callback}', '{"outcome":"reached","agentId":"${agent}"}'),
        ('${lead}', 'chat', 'chat.started', 'Started a chat: Vai piegādājat uz Rīgu?', 'conversation', '${conversation}', '{}'),
        ('${lead}', 'feedback', 'feedback.submitted', 'NPS 9/10', null, null, '{"kind":"nps","score":9}');
      insert into persons (id, site_id, label_seed) values ('${person}', '${site}', 'seed');
      insert into person_audit (person_id, by_agent_id, action, detail) values
        ('${person}', null, 'created', 'First seen through chat'),
        ('${person}', null, 'identified', 'email ilze@example.com (from verified identify)'),
        ('${person}', '${agent}', 'outcome', 'Marked won'),
        ('${person}', '${agent}', 'outcome', 'Outcome cleared'),
        ('${person}', null, 'merged', 'Merged into Ana (x) through chat');
    `);
    await migrate(db, files.slice(codes, codes + 1));
  });
  afterAll(() => db?.close());

  it('gives old timeline touches the values their records hold', async () => {
    const touches = await db.rows<{ kind: string; data: Record<string, unknown> }>(
      `select kind, data from lead_touches order by id`,
    );
    expect(touches).toEqual([
      { kind: 'callback.requested', data: { mode: 'now', phone: '+37120000000' } },
      { kind: 'callback.outcome', data: { outcome: 'reached', agentId: agent, agentName: 'Ilze' } },
      { kind: 'chat.started', data: { text: 'Vai piegādājat uz Rīgu?' } },
      { kind: 'feedback.submitted', data: { kind: 'nps', score: 9 } },
    ]);
  });

  it('reads the values of old audit lines with one fixed form, and leaves the others to their sentence', async () => {
    const audit = await db.rows<{ action: string; data: Record<string, unknown> }>(
      `select action, data from person_audit order by id`,
    );
    expect(audit).toEqual([
      { action: 'created', data: { source: 'chat' } },
      { action: 'identified', data: { field: 'email', value: 'ilze@example.com', source: 'verified identify' } },
      { action: 'outcome', data: { outcome: 'won' } },
      { action: 'outcome', data: { outcome: null } },
      { action: 'merged', data: {} },
    ]);
  });
});
