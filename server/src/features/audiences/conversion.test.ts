import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { sitesTable, webhookDeliveriesTable, webhookEndpointsTable } from '../../db/schema.js';
import { createTestApp, databaseKinds, type TestApp } from '../../testing/harness.js';
import { conversionWebhooks, emitAudienceEntries } from './hooks.js';

describe.each(databaseKinds)('server-side conversions on %s', (kind) => {
  let t: TestApp;
  let siteId: string;

  beforeAll(async () => {
    t = await createTestApp(kind);
    siteId = (await t.db.select().from(sitesTable))[0]!.id;
    await t.db
      .insert(webhookEndpointsTable)
      .values({ siteId, url: 'http://127.0.0.1:9/crm', events: ['audience.entered'], secret: 'whsec_dGVzdA==' });
  });
  afterAll(() => t?.dispose());

  it('queues one signed audience.entered webhook per audience entry, for the sites that subscribed', async () => {
    const stop = conversionWebhooks(t.db);
    try {
      const enteredAt = new Date();
      await emitAudienceEntries([
        {
          siteId,
          visitorId: 'vis_conv_1',
          audienceId: '00000000-0000-4000-8000-000000000001',
          segment: 'hot',
          name: 'Hot leads',
          eventName: 'beckon_hot',
          enteredAt,
        },
      ]);
      const rows = await t.db
        .select()
        .from(webhookDeliveriesTable)
        .where(eq(webhookDeliveriesTable.eventType, 'audience.entered'));
      expect(rows.map((row) => row.payload.data)).toEqual([
        {
          visitorId: 'vis_conv_1',
          audience: {
            id: '00000000-0000-4000-8000-000000000001',
            name: 'Hot leads',
            segment: 'hot',
            eventName: 'beckon_hot',
          },
          enteredAt: enteredAt.toISOString(),
        },
      ]);
    } finally {
      stop();
    }
    // Unsubscribed: nothing more is queued.
    await emitAudienceEntries([
      {
        siteId,
        visitorId: 'vis_conv_2',
        audienceId: '00000000-0000-4000-8000-000000000001',
        segment: 'hot',
        name: 'Hot leads',
        eventName: 'beckon_hot',
        enteredAt: new Date(),
      },
    ]);
    expect(
      await t.db.select().from(webhookDeliveriesTable).where(eq(webhookDeliveriesTable.eventType, 'audience.entered')),
    ).toHaveLength(1);
  });
});
