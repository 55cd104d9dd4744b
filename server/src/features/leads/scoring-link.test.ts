import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import {
  leadsTable,
  sitesTable,
  visitorsTable,
  webhookDeliveriesTable,
  webhookEndpointsTable,
} from '../../db/schema.js';
import { createLogger } from '../../lib/logger.js';
import { createRealtime } from '../../realtime/realtime.js';
import { createTestApp, databaseKinds, type TestApp } from '../../testing/harness.js';
import { recordSignal } from '../visitors/index.js';
import { followTemperatureChanges, labelVisitorsOfLead } from './scoring-link.js';
import { recordLeadTouch } from './service.js';

describe.each(databaseKinds)('leads follow lead scoring on %s', (kind) => {
  let t: TestApp;
  let siteId: string;
  let stop: () => void;

  beforeAll(async () => {
    t = await createTestApp(kind);
    siteId = (await t.db.select().from(sitesTable))[0]!.id;
    await t.db.insert(webhookEndpointsTable).values({
      siteId,
      url: 'http://127.0.0.1:9/hook',
      events: ['lead.temperature_changed'],
      secret: 'whsec_dGVzdA==',
    });
    stop = followTemperatureChanges({ db: t.db, realtime: createRealtime(), logger: createLogger('silent') });
  });
  afterAll(async () => {
    stop?.();
    await t?.dispose();
  });

  it('a lead takes its visitor’s score when it is created, and every later temperature change, with a webhook', async () => {
    const visitorId = 'vis_scoring_link_1';
    await recordSignal(t.db, siteId, visitorId, 'chat_started');
    const touched = await recordLeadTouch(t.db, {
      siteId,
      channel: 'callback',
      kind: 'callback.requested',
      contact: { phone: '+4915112340000' },
      visitorId,
      summary: 'Asked for a call',
    });
    const [created] = await t.db.select().from(leadsTable).where(eq(leadsTable.id, touched!.leadId));
    expect(created).toMatchObject({ score: 25, temperature: 'cold' });

    // The callback signal makes the visitor hot (25 + 50 ≥ 70): the lead follows and the CRM hears of it.
    await recordSignal(t.db, siteId, visitorId, 'callback_requested');
    const [hot] = await t.db.select().from(leadsTable).where(eq(leadsTable.id, touched!.leadId));
    expect(hot).toMatchObject({ score: 75, temperature: 'hot' });
    const deliveries = await t.db
      .select()
      .from(webhookDeliveriesTable)
      .where(eq(webhookDeliveriesTable.eventType, 'lead.temperature_changed'));
    expect(deliveries.map((row) => row.payload.data)).toEqual([
      expect.objectContaining({
        previous: 'cold',
        temperature: 'hot',
        lead: expect.objectContaining({ id: touched!.leadId, temperature: 'hot' }),
      }),
    ]);
    // The lead page shows why: the score with its explanation.
    const admin = await t.login();
    const detail = await (await t.request('GET', `/api/leads/${touched!.leadId}`, { headers: admin.headers })).json();
    expect(detail.score).toMatchObject({ temperature: 'hot', score: 75 });
    expect(JSON.stringify(detail.score.explanation)).toContain('Callback requested');
  });

  it('labels the lead’s visitors won or lost for learning, and clears the label when the lead reopens', async () => {
    const visitorId = 'vis_scoring_link_2';
    const touched = await recordLeadTouch(t.db, {
      siteId,
      channel: 'feedback',
      kind: 'feedback.submitted',
      contact: { email: 'won@example.test' },
      visitorId,
      summary: 'NPS 10',
    });
    const outcome = async () =>
      (
        await t.db
          .select({ outcome: visitorsTable.outcome })
          .from(visitorsTable)
          .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, visitorId)))
      )[0]?.outcome;
    await labelVisitorsOfLead(t.db, { id: touched!.leadId, siteId }, 'won');
    expect(await outcome()).toBe('won');
    await labelVisitorsOfLead(t.db, { id: touched!.leadId, siteId }, 'open');
    expect(await outcome()).toBeNull();
  });
});
