import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousSaltsTable } from '../../db/schema.js';
import { databaseKinds, openTestDatabase } from '../../testing/harness.js';
import { anonymousVisitorId, DailySalt, dropOldSalts } from './anonymous.js';

describe.each(databaseKinds)('the daily anonymous salt on %s', (kind) => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.dispose());

  const monday = new Date('2026-11-23T08:00:00Z');
  const mondayNight = new Date('2026-11-23T23:59:59Z');
  const tuesday = new Date('2026-11-24T00:00:01Z');

  it('is one salt per UTC day, shared by every node, and changes at midnight', async () => {
    const nodeA = new DailySalt(database.db);
    const nodeB = new DailySalt(database.db);
    const [a, b] = await Promise.all([nodeA.forDay(monday), nodeB.forDay(monday)]);
    expect(a).toBe(b);
    expect(await nodeA.forDay(mondayNight)).toBe(a);
    const next = await nodeB.forDay(tuesday);
    expect(next).not.toBe(a);
    expect(await nodeA.forDay(tuesday)).toBe(next);
  });

  it('makes the same visitor a different, unlinkable id the next day, and on another site', async () => {
    const salts = new DailySalt(database.db);
    const id = (at: Date, site = 'site-a') =>
      salts.forDay(at).then((salt) => anonymousVisitorId(salt, site, '203.0.113.0', 'UA'));
    expect(await id(monday)).toBe(await id(mondayNight));
    expect(await id(tuesday)).not.toBe(await id(monday));
    expect(await id(monday, 'site-b')).not.toBe(await id(monday));
    expect(await id(monday)).toMatch(/^anon_[A-Za-z0-9_-]{27}$/);
  });

  it('drops past days’ salts, so their hashes can never be recomputed', async () => {
    expect(await dropOldSalts(database.db, tuesday)).toBe(1);
    expect(
      (await database.db.select({ day: anonymousSaltsTable.day }).from(anonymousSaltsTable)).map((r) => r.day),
    ).toEqual(['2026-11-24']);
  });
});
