import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { visitorLabel, type LeadSummary, type PersonDetail } from '@beckon/sdk/protocol';
import {
  agentsTable,
  callbacksTable,
  chatVisitorsTable,
  conversationsTable,
  leadAuditTable,
  leadsTable,
  messagesTable,
  personAuditTable,
  personVisitorsTable,
  personsTable,
  privacyAuditTable,
  siteMembersTable,
  visitorsTable,
} from '../../db/schema.js';
import { hashPassword } from '../../lib/crypto.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { resolveChatVisitor } from '../chat/service.js';
import { recordLeadTouch } from '../leads/index.js';
import { identifyFromEvents, identifyPerson } from './identify.js';
import { userHashOf } from '../identity/identity.js';
import { eventId, pageview, sendBatch } from '../../testing/visitor-traffic.js';

describe.each(databaseKinds)('persons on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let member: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  let otherSiteId: string;

  const touch = (
    channel: 'chat' | 'callback' | 'feedback',
    contact: { name?: string; email?: string; phone?: string },
    visitorId: string | null,
    extra: Partial<Parameters<typeof recordLeadTouch>[1]> = {},
  ) =>
    recordLeadTouch(t.db, {
      siteId,
      channel,
      kind: `${channel}.test`,
      contact,
      visitorId,
      summary: `${channel} touch`,
      ...extra,
    });
  const personOfVisitor = async (visitorId: string, site = siteId) =>
    (
      await t.db
        .select()
        .from(personVisitorsTable)
        .where(and(eq(personVisitorsTable.siteId, site), eq(personVisitorsTable.visitorId, visitorId)))
    )[0]?.personId;
  const audit = async (personId: string) =>
    (await t.db.select().from(personAuditTable).where(eq(personAuditTable.personId, personId))).map(
      (row) => row.action,
    );

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
    otherSiteId = (
      await (
        await t.request('POST', '/api/sites', {
          headers: admin.headers,
          body: { name: 'Other shop', allowedOrigins: [testOrigin] },
        })
      ).json()
    ).site.id;
    const [agent] = await t.db
      .insert(agentsTable)
      .values({
        email: 'mia@example.test',
        name: 'Mia',
        role: 'agent',
        passwordHash: await hashPassword('agent password 1'),
      })
      .returning();
    await t.db.insert(siteMembersTable).values({ siteId, agentId: agent!.id });
    member = await t.login('mia@example.test', 'agent password 1');
  });
  afterAll(() => t?.dispose());

  it('merges the second browser of one human by email: one person, both browsers, history kept and audited', async () => {
    const callback = (await touch('callback', { name: 'Ana Ruiz', phone: '+34 612 345 678' }, 'visitor_desk01'))!;
    const feedback = (await touch('feedback', { email: 'ana@example.com' }, 'visitor_desk01'))!;
    expect(feedback).toMatchObject({ leadId: callback.leadId, personId: callback.personId });
    // The phone browser chatted anonymously first: a person (and lead) of its own, until it identifies.
    const phoneChat = (await touch('chat', {}, 'visitor_phone1'))!;
    expect(phoneChat.personId).not.toBe(callback.personId);
    await identifyFromEvents(t.db, siteId, 'visitor_phone1', [
      { type: 'identify', traits: { email: ' ANA@Example.com ' } },
    ]);

    expect(await personOfVisitor('visitor_desk01')).toBe(callback.personId);
    expect(await personOfVisitor('visitor_phone1')).toBe(callback.personId);
    const [merged] = await t.db.select().from(personsTable).where(eq(personsTable.id, phoneChat.personId));
    expect(merged).toMatchObject({ mergedInto: callback.personId });
    // Nothing deleted: the phone's lead is still there, now the same person's.
    const [phoneLead] = await t.db.select().from(leadsTable).where(eq(leadsTable.id, phoneChat.leadId));
    expect(phoneLead).toMatchObject({ personId: callback.personId });
    const notes = await t.db.select().from(leadAuditTable).where(eq(leadAuditTable.leadId, callback.leadId));
    expect(notes).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'duplicate', toValue: phoneChat.leadId })]),
    );
    expect(await audit(callback.personId)).toEqual(expect.arrayContaining(['created', 'identified', 'merged']));
    expect(await audit(phoneChat.personId)).toContain('merged');

    const detail = (await (
      await t.request('GET', `/api/persons/${phoneChat.personId}`, { headers: member.headers })
    ).json()) as PersonDetail;
    expect(detail.person).toMatchObject({
      id: callback.personId,
      displayName: 'Ana Ruiz',
      email: 'ana@example.com',
      phone: '+34612345678',
    });
    expect(detail.visitorIds.sort()).toEqual(['visitor_desk01', 'visitor_phone1']);
    expect(detail.lead).toMatchObject({ id: callback.leadId, person: { id: callback.personId, name: 'Ana Ruiz' } });
    // Each audit line carries its values, which the dashboard words in the agent's language.
    expect(detail.audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'created', data: { source: 'callback' } }),
        expect.objectContaining({
          action: 'identified',
          data: { field: 'email', value: 'ana@example.com', source: 'feedback' },
        }),
        expect.objectContaining({
          action: 'merged',
          data: { other: null, otherId: phoneChat.personId, same: 'browser', source: 'identify' },
        }),
      ]),
    );
  });

  it('does not merge two people who share a browser: the browser stays with the first, both are told', async () => {
    const parent = (await identifyPerson(t.db, {
      siteId,
      visitorIds: ['visitor_shared1'],
      contact: { email: 'parent@example.com' },
      source: 'identify',
    }))!;
    const teen = (await identifyPerson(t.db, {
      siteId,
      visitorIds: ['visitor_shared1'],
      contact: { email: 'teen@example.com' },
      source: 'identify',
    }))!;
    expect(teen.personId).not.toBe(parent.personId);
    expect(teen.created).toBe(true);
    expect(await personOfVisitor('visitor_shared1')).toBe(parent.personId);
    const live = await t.db
      .select()
      .from(personsTable)
      .where(and(eq(personsTable.siteId, siteId), isNull(personsTable.mergedInto)));
    expect(
      live.filter((person) => person.email === 'parent@example.com' || person.email === 'teen@example.com'),
    ).toHaveLength(2);
    expect(await audit(parent.personId)).toContain('browser_shared');
    expect(await audit(teen.personId)).toContain('browser_shared');
    // An anonymous touch from that browser is the first person's, as its lead is.
    const anonymous = (await touch('feedback', {}, 'visitor_shared1'))!;
    expect(anonymous.personId).toBe(parent.personId);
  });

  it('makes one person of concurrent identifies of one email from several browsers', async () => {
    const browsers = ['visitor_conc01', 'visitor_conc02', 'visitor_conc03', 'visitor_conc04', 'visitor_conc05'];
    const results = await Promise.all(
      browsers.map((visitorId) =>
        identifyPerson(t.db, {
          siteId,
          visitorIds: [visitorId],
          contact: { email: 'same@example.com' },
          source: 'identify',
        }),
      ),
    );
    const persons = await t.db
      .select()
      .from(personsTable)
      .where(and(eq(personsTable.siteId, siteId), eq(personsTable.email, 'same@example.com')));
    expect(persons).toHaveLength(1);
    expect(new Set(results.map((result) => result!.personId))).toEqual(new Set([persons[0]!.id]));
    for (const visitorId of browsers) expect(await personOfVisitor(visitorId)).toBe(persons[0]!.id);
  });

  it('makes one person of concurrent identifications of one new browser and chat visitor', async () => {
    // The look-ups by browser must run after the identity locks are granted, or both see no person.
    for (const round of [1, 2, 3, 4, 5]) {
      const visitorId = `visitor_race${round}`;
      const { visitor } = await resolveChatVisitor(t.db, siteId, undefined, 'https://shop.example/', visitorId);
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          identifyPerson(t.db, {
            siteId,
            visitorIds: [visitorId],
            chatVisitorId: visitor.id,
            contact: { name: 'Rae' },
            source: 'chat',
          }),
        ),
      );
      expect(new Set(results.map((result) => result!.personId)).size, `round ${round}`).toBe(1);
      expect(
        results.filter((result) => result!.created),
        `round ${round}`,
      ).toHaveLength(1);
    }
  });

  it("shows a person's chat on the lead a later callback from the same browser made, even under a newer browser id", async () => {
    // The chat started before consent (a page-load id); after consent the browser has a stored id.
    const { visitor, token } = await resolveChatVisitor(
      t.db,
      siteId,
      undefined,
      'https://shop.example/',
      'visitor_prec01',
    );
    const [conversation] = await t.db
      .insert(conversationsTable)
      .values({ siteId, chatVisitorId: visitor.id, lastSeq: 1 })
      .returning();
    await t.db.insert(messagesTable).values({
      conversationId: conversation!.id,
      seq: 1,
      clientId: 'msg_chat_first_1',
      author: 'visitor',
      text: 'Do you ship to Spain?',
    });
    const chat = (await touch('chat', {}, 'visitor_prec01', {
      chatVisitorId: visitor.id,
      otherVisitorIds: visitor.trackerVisitorIds,
      ref: { type: 'conversation', id: conversation!.id },
    }))!;
    await resolveChatVisitor(t.db, siteId, token, 'https://shop.example/cart', 'visitor_post01');
    const callback = (await touch('callback', { name: 'Lu', phone: '+4915112999001' }, 'visitor_post01'))!;
    const feedback = (await touch('feedback', { email: 'lu@example.com' }, 'visitor_post01'))!;
    expect(callback.personId).toBe(chat.personId);
    expect(feedback.leadId).toBe(callback.leadId);
    const detail = await (await t.request('GET', `/api/leads/${callback.leadId}`, { headers: member.headers })).json();
    const kinds = detail.timeline
      .filter((entry: { type: string }) => entry.type === 'touch')
      .map((entry: { kind: string }) => entry.kind);
    expect(kinds).toEqual(expect.arrayContaining(['chat.test', 'callback.test', 'feedback.test']));
    const person = (await (
      await t.request('GET', `/api/persons/${chat.personId}`, { headers: member.headers })
    ).json()) as PersonDetail;
    expect(person.conversations).toEqual([
      expect.objectContaining({
        id: conversation!.id,
        messages: [expect.objectContaining({ text: 'Do you ship to Spain?' })],
      }),
    ]);
    // The inbox names the chat by the person.
    const inbox = await (
      await t.request('GET', `/api/conversations/${conversation!.id}`, { headers: member.headers })
    ).json();
    expect(inbox.conversation.visitor).toMatchObject({ personId: chat.personId, displayName: 'Lu' });
  });

  it('names everyone one way: the label of an anonymous person is the one of its first browser', async () => {
    const anonymous = (await touch('chat', {}, 'visitor_anon77'))!;
    const leads = (await (await t.request('GET', `/api/leads?siteId=${siteId}`, { headers: member.headers })).json())
      .leads as LeadSummary[];
    expect(leads.find((lead) => lead.id === anonymous.leadId)!.person).toEqual({
      id: anonymous.personId,
      name: visitorLabel('visitor_anon77'),
    });
    await t.db
      .insert(visitorsTable)
      .values({ siteId, visitorId: 'visitor_anon77', firstSeenAt: new Date(), lastSeenAt: new Date(), visitCount: 1 });
    const visitor = await (
      await t.request('GET', `/api/sites/${siteId}/visitors/visitor_anon77`, { headers: member.headers })
    ).json();
    expect(visitor.visitor.person).toEqual({ id: anonymous.personId, name: visitorLabel('visitor_anon77') });
  });

  it('moves the lead and labels the person when a callback is closed as converted', async () => {
    // Nobody is online here: a scheduled call.
    const options = await (
      await t.request('GET', '/v1/sites/demo/callback-options', { headers: { origin: testOrigin } })
    ).json();
    const requested = await t.request('POST', '/v1/callbacks', {
      body: {
        site: 'demo',
        formMs: 8000,
        phone: '+4915112999002',
        name: 'Cy',
        visitorId: 'visitor_conv01',
        at: options.slots[2].at,
      },
      headers: { origin: testOrigin },
      ip: '198.51.100.77',
    });
    const body = await requested.json();
    expect(requested.status, JSON.stringify(body)).toBe(201);
    const { callback } = body;
    const response = await t.request('POST', `/api/sites/${siteId}/callbacks/${callback.id}/outcome`, {
      headers: member.headers,
      body: { outcome: 'converted' },
    });
    expect(response.status).toBe(200);
    const [row] = await t.db.select().from(callbacksTable).where(eq(callbacksTable.id, callback.id));
    const lead = (await (await t.request('GET', `/api/leads/${row!.leadId}`, { headers: member.headers })).json())
      .lead as LeadSummary;
    expect(lead).toMatchObject({ status: 'won', assignee: { name: 'Mia' } });
    const [person] = await t.db.select().from(personsTable).where(eq(personsTable.id, lead.person!.id));
    expect(person!.outcome).toBe('won');
    const [visitor] = await t.db
      .select()
      .from(visitorsTable)
      .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, 'visitor_conv01')));
    expect(visitor!.outcome).toBe('won');
  });

  it('marks a person lost from the person page, through its lead, audited', async () => {
    const dee = (await touch('callback', { name: 'Dee', phone: '+4915112999003' }, 'visitor_dee001'))!;
    const response = await t.request('POST', `/api/persons/${dee.personId}/outcome`, {
      headers: member.headers,
      body: { outcome: 'lost' },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as PersonDetail).person.outcome).toBe('lost');
    expect((await t.db.select().from(leadsTable).where(eq(leadsTable.id, dee.leadId)))[0]!.status).toBe('lost');
    expect(await audit(dee.personId)).toContain('outcome');
    const [line] = await t.db.select().from(personAuditTable).where(eq(personAuditTable.action, 'outcome'));
    expect(line).toMatchObject({ detail: 'Marked lost', data: { outcome: 'lost' } });
    expect(
      (
        await t.request('POST', `/api/persons/${dee.personId}/outcome`, {
          headers: member.headers,
          body: { outcome: 'maybe' },
        })
      ).status,
    ).toBe(400);
  });

  it('marks the whole person when an agent marks one of their browsers won on the Visitors page', async () => {
    const eve = (await touch('callback', { name: 'Eve', phone: '+4915112999004' }, 'visitor_eve_desk'))!;
    await identifyPerson(t.db, {
      siteId,
      visitorIds: ['visitor_eve_phon'],
      contact: { phone: '+49 151 12999004' },
      source: 'identify',
    });
    const response = await t.request('PUT', `/api/sites/${siteId}/visitors/visitor_eve_phon/outcome`, {
      headers: member.headers,
      body: { outcome: 'won' },
    });
    expect(response.status).toBe(200);
    expect((await t.db.select().from(leadsTable).where(eq(leadsTable.id, eve.leadId)))[0]!.status).toBe('won');
    const labelled = await t.db
      .select()
      .from(visitorsTable)
      .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.outcome, 'won')));
    expect(labelled.map((row) => row.visitorId)).toEqual(
      expect.arrayContaining(['visitor_eve_desk', 'visitor_eve_phon']),
    );
  });

  it('ties browsers by a verified user id and by an identify through /v1/collect; an unverified user id ties nothing', async () => {
    const secret = (
      await (await t.request('POST', `/api/sites/${siteId}/identity-secret`, { headers: admin.headers })).json()
    ).secret as string;
    const identify = async (visitorId: string, traits: Record<string, string>) => {
      const response = await sendBatch(t, {
        site: 'demo',
        visitorId,
        sessionId: 'session_0001',
        events: [
          pageview('/account'),
          { id: eventId(), type: 'identify', ts: Date.now(), url: `${testOrigin}/demo/account`, traits },
        ],
      });
      expect(response.status).toBe(200);
    };
    await identify('visitor_ver_a1', { userId: 'u-77', userHash: userHashOf(secret, 'u-77') });
    const person = await personOfVisitor('visitor_ver_a1');
    expect(person).toBeDefined();
    await identify('visitor_ver_b1', {
      userId: 'u-77',
      userHash: userHashOf(secret, 'u-77'),
      email: 'v77@example.com',
    });
    expect(await personOfVisitor('visitor_ver_b1')).toBe(person);
    // A plain identify by the same email (another device, not signed in) joins them too.
    await identify('visitor_ver_d1', { email: 'V77@example.com' });
    expect(await personOfVisitor('visitor_ver_d1')).toBe(person);
    expect(await audit(person!)).toContain('browser_linked');
    // Claiming the user id without its hash proves nothing.
    await identify('visitor_ver_c1', { userId: 'u-77' });
    expect(await personOfVisitor('visitor_ver_c1')).toBeUndefined();
    expect((await t.db.select().from(personsTable).where(eq(personsTable.id, person!)))[0]).toMatchObject({
      userId: 'u-77',
      email: 'v77@example.com',
    });
  });

  it("answers 404 for another site's person, a merged-away id of it, or a bad id; 401 without a session", async () => {
    const other = (await recordLeadTouch(t.db, {
      siteId: otherSiteId,
      channel: 'chat',
      kind: 'chat.test',
      contact: { email: 'other@example.com' },
      summary: 'x',
    }))!;
    expect((await t.request('GET', `/api/persons/${other.personId}`, { headers: member.headers })).status).toBe(404);
    expect(
      (
        await t.request('POST', `/api/persons/${other.personId}/outcome`, {
          headers: member.headers,
          body: { outcome: 'won' },
        })
      ).status,
    ).toBe(404);
    expect((await t.request('GET', `/api/persons/${other.personId}`, { headers: admin.headers })).status).toBe(200);
    expect((await t.request('GET', '/api/persons/not-a-uuid', { headers: member.headers })).status).toBe(404);
    expect((await t.request('GET', `/api/persons/${other.personId}`)).status).toBe(401);
    // Same email on another site is another person.
    const here = (await identifyPerson(t.db, { siteId, contact: { email: 'other@example.com' }, source: 'identify' }))!;
    expect(here.personId).not.toBe(other.personId);
    // Privacy requests are per site: the member is no admin, and the admin's request on this site does not reach the other.
    expect(
      (
        await t.request('POST', `/api/sites/${otherSiteId}/privacy/requests`, {
          headers: member.headers,
          body: { action: 'export', email: 'other@example.com' },
        })
      ).status,
    ).toBe(403);
  });

  it('exports and erases a person by the email they give, every browser included, audited without the email', async () => {
    const ana = await t.db
      .select()
      .from(personsTable)
      .where(
        and(
          eq(personsTable.siteId, siteId),
          eq(personsTable.email, 'ana@example.com'),
          isNull(personsTable.mergedInto),
        ),
      );
    const exported = await t.request('POST', `/api/sites/${siteId}/privacy/requests`, {
      headers: admin.headers,
      body: { action: 'export', email: 'Ana@Example.com' },
    });
    expect(exported.status).toBe(200);
    const data = await exported.json();
    expect(data.tables.persons.map((row: { id: string }) => row.id)).toContain(ana[0]!.id);
    expect(data.tables.leads).toHaveLength(2);
    expect(data.tables.person_visitors.map((row: { visitorId: string }) => row.visitorId).sort()).toEqual([
      'visitor_desk01',
      'visitor_phone1',
    ]);
    expect(JSON.stringify(data)).not.toContain('tokenHash');

    expect(
      (
        await t.request('POST', `/api/sites/${siteId}/privacy/requests`, {
          headers: admin.headers,
          body: { action: 'erase', phone: '+34 612 345 678' },
        })
      ).status,
    ).toBe(200);
    expect(await t.db.select().from(personsTable).where(eq(personsTable.email, 'ana@example.com'))).toEqual([]);
    expect(await personOfVisitor('visitor_phone1')).toBeUndefined();
    expect(await t.db.select().from(leadsTable).where(eq(leadsTable.email, 'ana@example.com'))).toEqual([]);
    expect((await t.request('GET', `/api/persons/${ana[0]!.id}`, { headers: admin.headers })).status).toBe(404);
    const trail = await t.db.select().from(privacyAuditTable).where(eq(privacyAuditTable.siteId, siteId));
    expect(trail.map((row) => [row.action, row.visitorId])).toEqual(
      expect.arrayContaining([
        ['export', `person:${ana[0]!.id}`],
        ['erase', `person:${ana[0]!.id}`],
      ]),
    );
    expect(JSON.stringify(trail)).not.toContain('ana@');
    // Someone nobody knows: not found, nothing erased.
    expect(
      (
        await t.request('POST', `/api/sites/${siteId}/privacy/requests`, {
          headers: admin.headers,
          body: { action: 'erase', email: 'nobody@example.com' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.request('POST', `/api/sites/${siteId}/privacy/requests`, {
          headers: admin.headers,
          body: { action: 'erase' },
        })
      ).status,
    ).toBe(400);
    // The other people of the site are untouched.
    expect(await personOfVisitor('visitor_shared1')).toBeDefined();
    expect(
      (await t.db.select().from(chatVisitorsTable).where(eq(chatVisitorsTable.siteId, siteId))).length,
    ).toBeGreaterThan(0);
  });
});
