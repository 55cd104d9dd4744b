import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, getTableColumns, getTableName, inArray, type Table } from 'drizzle-orm';
import * as schema from '../../db/schema.js';
import {
  callbackEventsTable,
  callbacksTable,
  feedbackTable,
  leadTouchesTable,
  leadVisitorsTable,
  leadsTable,
  audienceMembersTable,
  chatVisitorsTable,
  consentRecordsTable,
  conversationEventsTable,
  conversationsTable,
  eventsTable,
  messagesTable,
  privacyAuditTable,
  retentionMarksTable,
  visitorHotMarksTable,
  visitorPresenceTable,
  visitorSessionsTable,
  visitorsTable,
} from '../../db/schema.js';
import { createTestApp, databaseKinds, testAdmin, testOrigin, type TestApp } from '../../testing/harness.js';
import { agentOn, createSiteFor, eventId, pageview, sendBatch } from '../../testing/visitor-traffic.js';
import { recordLeadTouch } from '../leads/index.js';
import { runRetention } from './service.js';

/** Every table of the schema (anything drizzle can name). */
const allTables = Object.values(schema).filter((value): value is Table => {
  try {
    return typeof getTableName(value as Table) === 'string' && Object.keys(getTableColumns(value as Table)).length > 0;
  } catch {
    return false;
  }
});

describe.each(databaseKinds)('visitor export, erasure and retention on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  const subject = 'privacy_subject_1';
  const bystander = 'privacy_bystander';
  const marketing = { analytics: true, marketing: true };

  const rowCounts = async () =>
    Object.fromEntries(
      await Promise.all(
        allTables.map(
          async (table) =>
            [getTableName(table), Number((await t.db.select({ n: count() }).from(table))[0]!.n)] as const,
        ),
      ),
    );

  /** A visitor with something in every table: events, visits, score, consent, an audience, a chat with messages. */
  async function makeVisitor(visitorId: string) {
    await t.request('POST', '/v1/consent', {
      body: { site: 'demo', visitorId, purposes: marketing, policyVersion: '1', source: 'prompt' },
      headers: { origin: testOrigin, 'content-type': 'text/plain' },
    });
    const identify = {
      id: eventId(),
      type: 'identify',
      ts: Date.now(),
      url: `${testOrigin}/demo/`,
      traits: { email: `${visitorId}@example.test`, name: 'Pat' },
    };
    const response = await sendBatch(t, {
      site: 'demo',
      visitorId,
      sessionId: 'session_0001',
      events: [pageview('/'), pageview('/pricing.html'), identify],
      consent: marketing,
    });
    expect(response.status).toBe(200);
    // Before consent each page load had its own tracker id; the chat visitor ties an earlier one to this visitor.
    const earlierId = `${visitorId}_earlier`;
    await sendBatch(t, {
      site: 'demo',
      visitorId: earlierId,
      sessionId: 'session_0000',
      events: [pageview('/contact')],
    });
    const [chatVisitor] = await t.db
      .insert(chatVisitorsTable)
      .values({ siteId, tokenHash: `hash-${visitorId}`, name: 'Pat', trackerVisitorIds: [earlierId, visitorId] })
      .returning();
    const [conversation] = await t.db
      .insert(conversationsTable)
      .values({ siteId, chatVisitorId: chatVisitor!.id, lastSeq: 1 })
      .returning();
    await t.db.insert(messagesTable).values({
      conversationId: conversation!.id,
      seq: 1,
      clientId: `msg-${visitorId}`,
      author: 'visitor',
      text: 'Call me on 555-0100',
    });
    await t.db
      .insert(conversationEventsTable)
      .values({ conversationId: conversation!.id, kind: 'assigned', reason: 'test' });
    // A callback and an NPS answer from this browser, both attached to the person's lead.
    const lead = await recordLeadTouch(t.db, {
      siteId,
      channel: 'feedback',
      kind: 'feedback.submitted',
      contact: { email: `${visitorId}@example.test` },
      visitorId,
      summary: 'NPS 9',
    });
    await t.db
      .insert(feedbackTable)
      .values({ siteId, kind: 'nps', score: 9, email: `${visitorId}@example.test`, visitorId, leadId: lead!.leadId });
    const now = new Date();
    const [callback] = await t.db
      .insert(callbacksTable)
      .values({
        siteId,
        phone: '+4915112345678',
        mode: 'now',
        requestedAt: now,
        dueAt: now,
        visitorId,
        leadId: lead!.leadId,
        visitorTokenHash: `cb-${visitorId}`,
      })
      .returning();
    await t.db.insert(callbackEventsTable).values({ callbackId: callback!.id, kind: 'requested', detail: {} });
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
    await makeVisitor(subject);
    await makeVisitor(bystander);
  });
  afterAll(() => t?.dispose());

  it('exports every stored field of the visitor, table by table, and audits the export', async () => {
    const response = await t.request('GET', `/api/sites/${siteId}/privacy/visitors/${subject}/export`, {
      headers: admin.headers,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const data = await response.json();
    const expected: [string, Table, string[]][] = [
      ['visitors', visitorsTable, []],
      ['events', eventsTable, []],
      ['visitor_sessions', visitorSessionsTable, []],
      ['consent_records', consentRecordsTable, []],
      ['audience_members', audienceMembersTable, []],
      // The chat token hash is a credential, not data about the person.
      ['chat_visitors', chatVisitorsTable, ['tokenHash']],
      ['conversations', conversationsTable, []],
      ['messages', messagesTable, []],
      ['conversation_events', conversationEventsTable, []],
      ['leads', leadsTable, []],
      ['lead_visitors', leadVisitorsTable, []],
      ['lead_touches', leadTouchesTable, []],
      // The callback's status token hash is a credential too.
      ['callbacks', callbacksTable, ['visitorTokenHash']],
      ['callback_events', callbackEventsTable, []],
      ['feedback', feedbackTable, []],
    ];
    for (const [name, table, withheld] of expected) {
      const rows = data.tables[name];
      expect(rows.length, name).toBeGreaterThan(0);
      const columns = Object.keys(getTableColumns(table))
        .filter((column) => !withheld.includes(column))
        .sort();
      for (const row of rows) expect(Object.keys(row).sort(), name).toEqual(columns);
    }
    // The visitor's events, and those of the earlier tracker id their chat ties to them.
    expect(new Set(data.tables.events.map((e: { visitorId: string }) => e.visitorId))).toEqual(
      new Set([subject, `${subject}_earlier`]),
    );
    expect(data.tables.visitors[0].email).toBe(`${subject}@example.test`);
    expect(data.tables.messages[0].text).toBe('Call me on 555-0100');
    // Nothing of the bystander.
    expect(JSON.stringify(data)).not.toContain(bystander);
    const audit = (
      await (await t.request('GET', `/api/sites/${siteId}/privacy/audit`, { headers: admin.headers })).json()
    ).entries;
    expect(audit[0]).toMatchObject({ action: 'export', visitorId: subject, agentEmail: testAdmin.email, via: 'api' });
  });

  it('erases everything about the visitor and nothing else, audited, with a row count of every table', async () => {
    const before = await rowCounts();
    const response = await t.request('DELETE', `/api/sites/${siteId}/privacy/visitors/${subject}`, {
      headers: { ...admin.headers, 'sec-fetch-site': 'same-origin' },
    });
    expect(response.status).toBe(200);
    const { deleted } = await response.json();
    const after = await rowCounts();
    for (const table of Object.keys(before)) {
      const expectedChange = table === 'privacy_audit' ? 1 : 0 - (deleted[table] ?? 0);
      expect(after[table]! - before[table]!, table).toBe(expectedChange);
    }
    for (const table of [
      'events',
      'visitor_sessions',
      'visitors',
      'consent_records',
      'audience_members',
      'chat_visitors',
      'conversations',
      'messages',
      'conversation_events',
      'leads',
      'lead_touches',
      'lead_visitors',
      'callbacks',
      'callback_events',
      'feedback',
    ]) {
      expect(deleted[table], table).toBeGreaterThan(0);
    }
    // Nothing left that a second export could find; the bystander is whole.
    const again = await (
      await t.request('GET', `/api/sites/${siteId}/privacy/visitors/${subject}/export`, { headers: admin.headers })
    ).json();
    expect(Object.values(again.tables).every((rows) => (rows as unknown[]).length === 0)).toBe(true);
    const other = await (
      await t.request('GET', `/api/sites/${siteId}/privacy/visitors/${bystander}/export`, { headers: admin.headers })
    ).json();
    expect(other.tables.events.length).toBe(4);
    expect(other.tables.messages.length).toBe(1);
    const audit = (
      await (await t.request('GET', `/api/sites/${siteId}/privacy/audit`, { headers: admin.headers })).json()
    ).entries;
    const erase = audit.find((entry: { action: string }) => entry.action === 'erase');
    expect(erase).toMatchObject({ visitorId: subject, via: 'dashboard', detail: deleted });
    // The audit keeps the visitor id, none of their data.
    expect(JSON.stringify(audit)).not.toContain(`${subject}@example.test`);
  });

  it('only admins export or erase, only on sites they can see', async () => {
    const other = await createSiteFor(t, admin.headers, 'Privacy tenancy');
    const agent = await agentOn(t, admin.headers, 'agent-privacy@example.test', [siteId]);
    expect(
      (await t.request('GET', `/api/sites/${siteId}/privacy/visitors/${bystander}/export`, { headers: agent })).status,
    ).toBe(403);
    expect(
      (await t.request('DELETE', `/api/sites/${siteId}/privacy/visitors/${bystander}`, { headers: agent })).status,
    ).toBe(403);
    // The bystander belongs to the demo site: through another site's path there is nothing of theirs.
    const wrongSite = await (
      await t.request('GET', `/api/sites/${other.id}/privacy/visitors/${bystander}/export`, { headers: admin.headers })
    ).json();
    expect(Object.values(wrongSite.tables).every((rows) => (rows as unknown[]).length === 0)).toBe(true);
    expect(
      (await t.request('GET', `/api/sites/${siteId}/privacy/visitors/bad id/export`, { headers: admin.headers }))
        .status,
    ).toBe(404);
  });

  it('the retention job purges events, presence and hot marks older than the site keeps, once per period, one node per site', async () => {
    const site = (await (await t.request('GET', `/api/sites/${siteId}`, { headers: admin.headers })).json()).site;
    expect(
      (
        await t.request('PATCH', `/api/sites/${siteId}`, {
          headers: admin.headers,
          body: { privacy: { retentionDays: 30 } },
        })
      ).status,
    ).toBe(200);
    expect(site.privacy).toEqual({ retentionDays: 395 });
    const old = new Date(Date.now() - 40 * 24 * 60 * 60 * 1000);
    const recent = new Date(Date.now() - 20 * 24 * 60 * 60 * 1000);
    await t.db.insert(eventsTable).values([
      {
        siteId,
        clientEventId: 'old_event_1',
        visitorId: bystander,
        sessionId: 's',
        type: 'pageview',
        url: `${testOrigin}/old`,
        occurredAt: old,
        receivedAt: old,
      },
      {
        siteId,
        clientEventId: 'old_event_2',
        visitorId: bystander,
        sessionId: 's',
        type: 'pageview',
        url: `${testOrigin}/old`,
        occurredAt: old,
        receivedAt: old,
      },
    ]);
    // The keepalive's presence and "became hot" marks: one past the site's 30 days and one within, here and on another site.
    const other = (
      await (
        await t.request('POST', '/api/sites', {
          headers: admin.headers,
          body: { name: 'Test site: retention elsewhere' },
        })
      ).json()
    ).site as { id: string };
    expect(
      (
        await t.request('PATCH', `/api/sites/${other.id}`, {
          headers: admin.headers,
          body: { privacy: { retentionDays: 60 } },
        })
      ).status,
    ).toBe(200);
    await t.db.insert(visitorPresenceTable).values([
      { siteId, visitorId: 'retention_old', seenAt: old },
      { siteId, visitorId: 'retention_recent', seenAt: recent },
      { siteId: other.id, visitorId: 'retention_old', seenAt: old },
    ]);
    await t.db.insert(visitorHotMarksTable).values([
      { siteId, visitorId: 'retention_old', hotAt: old },
      { siteId, visitorId: 'retention_recent', hotAt: recent },
      { siteId: other.id, visitorId: 'retention_old', hotAt: old },
    ]);
    const eventsBefore = Number((await t.db.select({ n: count() }).from(eventsTable))[0]!.n);
    // Two nodes at once: the site is purged by one of them.
    const [a, b] = await Promise.all([runRetention(t.db), runRetention(t.db)]);
    expect(a.has(siteId) !== b.has(siteId)).toBe(true);
    expect(a.get(siteId) ?? b.get(siteId)).toEqual({ events: 2, visitor_presence: 1, visitor_hot_marks: 1 });
    expect(a.get(other.id) ?? b.get(other.id)).toEqual({ events: 0, visitor_presence: 0, visitor_hot_marks: 0 });
    expect(Number((await t.db.select({ n: count() }).from(eventsTable))[0]!.n)).toBe(eventsBefore - 2);
    const left = async (table: typeof visitorPresenceTable | typeof visitorHotMarksTable) =>
      (
        await t.db
          .select({ siteId: table.siteId, visitorId: table.visitorId })
          .from(table)
          .where(inArray(table.visitorId, ['retention_old', 'retention_recent']))
      )
        .map((row) => `${row.siteId === siteId ? 'site' : 'other'}:${row.visitorId}`)
        .sort();
    expect(await left(visitorPresenceTable)).toEqual(['other:retention_old', 'site:retention_recent']);
    expect(await left(visitorHotMarksTable)).toEqual(['other:retention_old', 'site:retention_recent']);
    // Not due again within the hour.
    expect((await runRetention(t.db)).has(siteId)).toBe(false);
    expect((await t.db.select().from(retentionMarksTable)).some((mark) => mark.siteId === siteId)).toBe(true);
    expect((await t.db.select({ n: count() }).from(privacyAuditTable))[0]!.n).toBeGreaterThan(0);
  });
});
