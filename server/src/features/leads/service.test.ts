import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import {
  agentsTable,
  leadAuditTable,
  leadTouchesTable,
  leadVisitorsTable,
  leadsTable,
  sitesTable,
  webhookDeliveriesTable,
  webhookEndpointsTable,
} from '../../db/schema.js';
import { createTestApp, databaseKinds, type TestApp } from '../../testing/harness.js';
import { normaliseEmail, normalisePhone, recordLeadTouch, summariseLeads } from './service.js';
import { recordSignal } from '../visitors/index.js';

describe('contact normalisation', () => {
  it('lowercases and trims emails and refuses what is not one', () => {
    expect(normaliseEmail('  Ana@Example.COM ')).toBe('ana@example.com');
    expect(normaliseEmail('not an email')).toBeNull();
    expect(normaliseEmail('')).toBeNull();
  });
  it('keeps E.164 phones only', () => {
    expect(normalisePhone('+49 30 1234-5678')).toBe('+493012345678');
    expect(normalisePhone('030 1234 5678')).toBeNull();
  });
});

describe.each(databaseKinds)('recordLeadTouch on %s', (kind) => {
  let t: TestApp;
  let siteId: string;
  const touch = (
    contact: { name?: string; email?: string; phone?: string },
    extra: Partial<Parameters<typeof recordLeadTouch>[1]> = {},
  ) =>
    recordLeadTouch(t.db, {
      siteId,
      channel: 'callback',
      kind: 'callback.requested',
      contact,
      summary: 'Asked for a call',
      ...extra,
    });

  beforeAll(async () => {
    t = await createTestApp(kind);
    siteId = (await t.db.select().from(sitesTable))[0]!.id;
    await t.db.insert(webhookEndpointsTable).values({
      siteId,
      url: 'http://127.0.0.1:9/hook',
      events: ['lead.created', 'lead.updated'],
      secret: 'whsec_dGVzdA==',
    });
  });
  afterAll(() => t?.dispose());

  it('makes one lead of the same person across channels (email case, phone by E.164) and lists every channel', async () => {
    const first = await touch({ name: 'Ana', phone: '+4915112345678' });
    expect(first).toMatchObject({ created: true });
    const second = await touch(
      { email: ' ANA@example.com', phone: '+49 151 12345678' },
      { channel: 'feedback', kind: 'feedback.submitted', summary: 'NPS 9' },
    );
    expect(second).toEqual(expect.objectContaining({ leadId: first!.leadId, created: false }));
    const third = await touch(
      { email: 'ana@example.com' },
      { channel: 'chat', kind: 'chat.started', summary: 'Started a chat' },
    );
    expect(third!.leadId).toBe(first!.leadId);
    const [lead] = await t.db.select().from(leadsTable).where(eq(leadsTable.id, first!.leadId));
    expect(lead).toMatchObject({
      name: 'Ana',
      email: 'ana@example.com',
      phone: '+4915112345678',
      channels: ['callback', 'feedback', 'chat'],
      status: 'new',
    });
    expect(await t.db.select().from(leadTouchesTable).where(eq(leadTouchesTable.leadId, lead!.id))).toHaveLength(3);
    // The email learnt from feedback is audited as Beckon's change.
    const audit = await t.db.select().from(leadAuditTable).where(eq(leadAuditTable.leadId, lead!.id));
    expect(audit).toEqual([
      expect.objectContaining({ field: 'email', fromValue: null, toValue: 'ana@example.com', byAgentId: null }),
    ]);
    // lead.created once, lead.updated for each later touch, each for the one subscribed endpoint.
    const events = (
      await t.db.select().from(webhookDeliveriesTable).orderBy(asc(webhookDeliveriesTable.createdAt))
    ).filter((row) => (row.payload.data as { lead: { id: string } }).lead.id === lead!.id);
    expect(events.map((row) => row.eventType)).toEqual(['lead.created', 'lead.updated', 'lead.updated']);
  });

  it('attaches a touch matching two leads to the older one and records the duplicate', async () => {
    const byEmail = await touch({ email: 'bo@example.com' });
    const byPhone = await touch({ phone: '+33612345678' });
    const both = await touch({ email: 'bo@example.com', phone: '+33612345678' });
    expect(both!.leadId).toBe(byEmail!.leadId);
    const audit = await t.db.select().from(leadAuditTable).where(eq(leadAuditTable.leadId, byEmail!.leadId));
    expect(audit).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'duplicate', toValue: byPhone!.leadId })]),
    );
  });

  it('links tracker visitor ids and finds an email-less person by them; anonymous touches are no lead', async () => {
    const anonymousNps = await touch({}, { channel: 'feedback', kind: 'feedback.submitted', summary: 'NPS 3' });
    expect(anonymousNps).toBeNull();
    const first = await touch(
      {},
      { visitorId: 'visitor_abc', channel: 'feedback', kind: 'feedback.submitted', summary: 'NPS 3' },
    );
    const later = await touch({ phone: '+14155550123' }, { visitorId: 'visitor_abc' });
    expect(later!.leadId).toBe(first!.leadId);
    expect(await t.db.select().from(leadVisitorsTable).where(eq(leadVisitorsTable.leadId, first!.leadId))).toEqual([
      expect.objectContaining({ visitorId: 'visitor_abc' }),
    ]);
  });

  it('does not merge two people who share a browser but gave different emails', async () => {
    const first = await touch({ email: 'parent@example.com' }, { visitorId: 'visitor_shared' });
    const second = await touch({ email: 'teen@example.com' }, { visitorId: 'visitor_shared' });
    expect(second!.leadId).not.toBe(first!.leadId);
    expect(second!.created).toBe(true);
    // An anonymous touch from that browser still goes to the lead the visitor id was linked to first.
    const anonymous = await touch({}, { visitorId: 'visitor_shared', channel: 'feedback', kind: 'feedback.submitted' });
    expect(anonymous!.leadId).toBe(first!.leadId);
  });

  it('joins the caller transaction: a rollback leaves neither lead nor webhook event', async () => {
    const before = (await t.db.select().from(webhookDeliveriesTable)).length;
    await expect(
      t.db.transaction(async (tx) => {
        await recordLeadTouch(tx, {
          siteId,
          channel: 'callback',
          kind: 'callback.requested',
          contact: { email: 'rollback@example.com' },
          summary: 'x',
        });
        throw new Error('caller failed');
      }),
    ).rejects.toThrow('caller failed');
    expect(await t.db.select().from(leadsTable).where(eq(leadsTable.email, 'rollback@example.com'))).toEqual([]);
    expect(await t.db.select().from(webhookDeliveriesTable)).toHaveLength(before);
  });

  it('makes one lead when two touches of a new person arrive at once', async () => {
    const results = await Promise.all([
      touch({ email: 'race@example.com' }),
      touch({ email: 'race@example.com' }, { channel: 'chat', kind: 'chat.started' }),
    ]);
    expect(results[0]!.leadId).toBe(results[1]!.leadId);
    expect(await t.db.select().from(leadsTable).where(eq(leadsTable.email, 'race@example.com'))).toHaveLength(1);
  });

  it('returns the summary the dashboard is pushed as the database then shows it: person, latest touch, score, assignee', async () => {
    // The summary is built from what the touch wrote and identified, not read back: compare it with a reading.
    const reading = async (leadId: string) => {
      const [row] = await t.db.select().from(leadsTable).where(eq(leadsTable.id, leadId));
      return (await summariseLeads(t.db, [row!]))[0];
    };
    await recordSignal(t.db, siteId, 'visitor_summary_1', 'callback_requested');
    const fresh = await touch({ name: 'Sam' }, { visitorId: 'visitor_summary_1', summary: 'First call' });
    expect(fresh!.summary).toMatchObject({
      name: 'Sam',
      person: { name: 'Sam' },
      lastTouch: { summary: 'First call' },
    });
    expect(fresh!.summary.score ?? 0).toBeGreaterThan(0); // the browser's score, which the lead takes
    expect(fresh!.summary).toEqual(await reading(fresh!.leadId));

    // Another browser with the same email later: the person learns it, the lead keeps its first browser.
    const [agent] = await t.db.select().from(agentsTable).limit(1);
    await t.db.update(leadsTable).set({ assigneeId: agent!.id }).where(eq(leadsTable.id, fresh!.leadId));
    await touch({ name: 'Sam', email: 'sam@example.com' }, { visitorId: 'visitor_summary_1' });
    const again = await touch(
      { email: 'SAM@example.com' },
      { visitorId: 'visitor_summary_2', channel: 'chat', kind: 'chat.started', summary: 'Chat from the phone' },
    );
    expect(again!.leadId).toBe(fresh!.leadId);
    expect(again!.summary).toMatchObject({
      assignee: { id: agent!.id },
      channels: ['callback', 'chat'],
      lastTouch: { summary: 'Chat from the phone', kind: 'chat.started' },
    });
    expect(again!.summary).toEqual(await reading(again!.leadId));
  });
});
