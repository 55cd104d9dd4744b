import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseKinds, type TestApp } from '../../testing/harness.js';
import { saveScoringSettings } from './service.js';
import { scoringSettingsFor, scoringSettingsOf } from './settings.js';

describe.each(databaseKinds)('scoring settings as readers see them (%s)', (kind) => {
  let t: TestApp;
  let siteId: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    siteId = (await t.login()).me.sites[0]!.id;
  });
  afterAll(() => t?.dispose());

  it('gives every reader outside a transaction what is saved now', async () => {
    const before = await scoringSettingsOf(t.db, siteId);
    await saveScoringSettings(t.db, siteId, { ...before, hot: before.hot + 7 });
    expect((await scoringSettingsOf(t.db, siteId)).hot).toBe(before.hot + 7);
    await saveScoringSettings(t.db, siteId, before);
    expect((await scoringSettingsOf(t.db, siteId)).hot).toBe(before.hot);
  });

  it('reads a site once per transaction, and again after the transaction writes them', async () => {
    const saved = await scoringSettingsOf(t.db, siteId);
    await t.db.transaction(async (tx) => {
      const first = await scoringSettingsFor(tx, [siteId]);
      // The same settings object: the second reader (a lead touch's signal after its score) asked nobody.
      expect((await scoringSettingsFor(tx, [siteId])).get(siteId)).toBe(first.get(siteId));
      await saveScoringSettings(tx as never, siteId, { ...saved, warm: saved.warm + 3 });
      expect((await scoringSettingsOf(tx, siteId)).warm).toBe(saved.warm + 3);
    });
    await saveScoringSettings(t.db, siteId, saved);
  });
});
