import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { LeadSummary } from '@beckon/sdk/protocol';
import {
  agentsTable,
  eventsTable,
  leadAuditTable,
  leadsTable,
  siteMembersTable,
  webhookDeliveriesTable,
  webhookEndpointsTable,
} from '../../db/schema.js';
import { hashPassword } from '../../lib/crypto.js';
import { createRealtime } from '../../realtime/realtime.js';
import { createTestApp, databaseKinds, type TestApp } from '../../testing/harness.js';
import { recordLeadTouch } from './service.js';

describe.each(databaseKinds)('/api/leads on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let member: Awaited<ReturnType<TestApp['login']>>;
  let memberId: string;
  let siteId: string;
  let otherSiteId: string;
  const pushed: LeadSummary[] = [];
  const ids: Record<string, string> = {};

  const addAgent = async (email: string, sites: string[]) => {
    const [agent] = await t.db
      .insert(agentsTable)
      .values({
        email,
        name: email.split('@')[0]!,
        role: 'agent',
        passwordHash: await hashPassword('agent password 1'),
      })
      .returning();
    for (const site of sites) await t.db.insert(siteMembersTable).values({ siteId: site, agentId: agent!.id });
    return { id: agent!.id, session: await t.login(email, 'agent password 1') };
  };
  const touch = async (
    site: string,
    contact: { name?: string; email?: string; phone?: string },
    channel: 'chat' | 'callback' | 'feedback' = 'callback',
  ) =>
    (await recordLeadTouch(t.db, {
      siteId: site,
      channel,
      kind: `${channel}.test`,
      contact,
      summary: `${channel} touch`,
    }))!.leadId;
  const list = async (query: string, headers = admin.headers) => {
    const response = await t.request('GET', `/api/leads?${query}`, { headers });
    expect(response.status).toBe(200);
    return (await response.json()) as { leads: LeadSummary[]; total: number };
  };

  beforeAll(async () => {
    const realtime = createRealtime();
    // Record pushes as the agents' dashboards would receive them.
    realtime.toSite = ((_site: string, event: string, payload: LeadSummary) => {
      if (event === 'lead:updated') pushed.push(payload);
    }) as typeof realtime.toSite;
    t = await createTestApp(kind, { realtime });
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
    otherSiteId = (
      await (await t.request('POST', '/api/sites', { headers: admin.headers, body: { name: 'Other shop' } })).json()
    ).site.id;
    const agent = await addAgent('mia@example.test', [siteId]);
    member = agent.session;
    memberId = agent.id;
    await t.db
      .insert(webhookEndpointsTable)
      .values({ siteId, url: 'http://127.0.0.1:9/hook', events: ['lead.updated'], secret: 'whsec_dGVzdA==' });

    ids.ana = await touch(siteId, { name: 'Ana Ruiz', email: 'ana@example.com', phone: '+34612345678' }, 'callback');
    await touch(siteId, { email: 'ANA@example.com' }, 'chat');
    ids.evil = await touch(
      siteId,
      { name: '=HYPERLINK("http://evil.example","click")', email: 'evil@example.com' },
      'feedback',
    );
    ids.bo = await touch(siteId, { name: 'Bo', phone: '+4915112345678' }, 'chat');
    ids.other = await touch(otherSiteId, { name: 'Other', email: 'other@example.com' }, 'chat');
  });
  afterAll(() => t?.dispose());

  it('lists the leads of visible sites with the channels seen, newest activity first', async () => {
    const { leads, total } = await list('');
    expect(total).toBe(4);
    expect(leads.map((lead) => lead.id)).toEqual([ids.other, ids.bo, ids.evil, ids.ana]);
    expect(leads.find((lead) => lead.id === ids.ana)).toMatchObject({
      channels: ['callback', 'chat'],
      status: 'new',
      lastTouch: { summary: 'chat touch' },
    });
    // The member of one site sees only that site's leads.
    const mine = await list('', member.headers);
    expect(mine.leads.map((lead) => lead.id).sort()).toEqual([ids.ana, ids.evil, ids.bo].sort());
  });

  it('filters by type, status, assignee, date and text, and pages', async () => {
    expect((await list('type=chat')).leads.map((lead) => lead.id).sort()).toEqual([ids.ana, ids.bo, ids.other].sort());
    expect((await list(`type=feedback&siteId=${siteId}`)).leads.map((lead) => lead.id)).toEqual([ids.evil]);
    expect((await list('temperature=none')).total).toBe(4);
    expect((await list('temperature=hot')).total).toBe(0);
    expect((await list('q=ana%40')).leads.map((lead) => lead.id)).toEqual([ids.ana]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await list(`from=${today}&to=${today}`)).total).toBe(4);
    expect((await list('to=2000-01-01')).total).toBe(0);
    const page = await list('limit=2&offset=2&sort=created&order=asc');
    expect(page).toMatchObject({ total: 4 });
    expect(page.leads.map((lead) => lead.id)).toEqual([ids.bo, ids.other]);
    for (const bad of ['status=deleted', 'limit=0', 'sort=password', 'from=yesterday', 'assignee=bob']) {
      const response = await t.request('GET', `/api/leads?${bad}`, { headers: admin.headers });
      expect(response.status, bad).toBe(400);
    }
  });

  it('changes status, assignee and note; audits each change (who, from → to), sends lead.updated and pushes it', async () => {
    pushed.length = 0;
    const response = await t.request('PATCH', `/api/leads/${ids.bo}`, {
      headers: member.headers,
      body: { status: 'contacted', assigneeId: memberId, outcomeNote: 'Called, wants a quote' },
    });
    expect(response.status).toBe(200);
    expect((await response.json()).lead).toMatchObject({
      status: 'contacted',
      assignee: { id: memberId, name: 'mia' },
      outcomeNote: 'Called, wants a quote',
    });
    const audit = await t.db.select().from(leadAuditTable).where(eq(leadAuditTable.leadId, ids.bo!));
    expect(audit.map(({ field, fromValue, toValue, byAgentId }) => ({ field, fromValue, toValue, byAgentId }))).toEqual(
      [
        { field: 'status', fromValue: 'new', toValue: 'contacted', byAgentId: memberId },
        { field: 'assignee', fromValue: null, toValue: memberId, byAgentId: memberId },
        { field: 'outcomeNote', fromValue: null, toValue: 'Called, wants a quote', byAgentId: memberId },
      ],
    );
    expect(pushed).toEqual([expect.objectContaining({ id: ids.bo, status: 'contacted' })]);
    const events = (await t.db.select().from(webhookDeliveriesTable)).filter(
      (row) => row.eventType === 'lead.updated' && (row.payload.data as { lead: { id: string } }).lead.id === ids.bo,
    );
    expect(events.at(-1)!.payload.data).toMatchObject({
      changes: [{ field: 'status', from: 'new', to: 'contacted' }, { field: 'assignee' }, { field: 'outcomeNote' }],
      by: { id: memberId },
    });

    // The same values again change nothing and audit nothing.
    await t.request('PATCH', `/api/leads/${ids.bo}`, { headers: member.headers, body: { status: 'contacted' } });
    expect(await t.db.select().from(leadAuditTable).where(eq(leadAuditTable.leadId, ids.bo!))).toHaveLength(3);

    const detail = await (await t.request('GET', `/api/leads/${ids.bo}`, { headers: member.headers })).json();
    expect(detail.timeline.map((entry: { type: string; field?: string }) => entry.field ?? entry.type)).toEqual(
      expect.arrayContaining(['touch', 'status', 'assignee', 'outcomeNote']),
    );
    expect(detail.timeline.find((entry: { field?: string }) => entry.field === 'status')).toMatchObject({
      by: { id: memberId, name: 'mia' },
      from: 'new',
      to: 'contacted',
    });
    expect(detail.timeline.find((entry: { field?: string }) => entry.field === 'assignee')).toMatchObject({
      from: null,
      to: 'mia',
    });
  });

  it("shows the pages the lead's tracker visitor viewed on its timeline, only from its own site", async () => {
    const leadId = (await recordLeadTouch(t.db, {
      siteId,
      channel: 'chat',
      kind: 'chat.started',
      contact: { email: 'pages@example.com' },
      visitorId: 'visitor_pages01',
      summary: 'Started a chat',
    }))!.leadId;
    const pageview = (site: string, url: string, id: string) => ({
      siteId: site,
      clientEventId: id,
      visitorId: 'visitor_pages01',
      sessionId: 'session_0001',
      type: 'pageview' as const,
      url,
      title: 'Pricing',
      occurredAt: new Date(),
    });
    await t.db
      .insert(eventsTable)
      .values([
        pageview(siteId, 'https://shop.example/pricing', 'evt_pages_1'),
        pageview(otherSiteId, 'https://other.example/secret', 'evt_pages_2'),
      ]);
    const detail = await (await t.request('GET', `/api/leads/${leadId}`, { headers: member.headers })).json();
    expect(detail.visitorIds).toEqual(['visitor_pages01']);
    const pages = detail.timeline.filter((entry: { type: string }) => entry.type === 'pageview');
    expect(pages).toEqual([expect.objectContaining({ url: 'https://shop.example/pricing', title: 'Pricing' })]);
  });

  it('refuses bad changes with 4xx and changes nothing', async () => {
    const before = await t.db.select().from(leadsTable).where(eq(leadsTable.id, ids.ana!));
    const outsider = await t.db
      .insert(agentsTable)
      .values({ email: 'x@example.test', name: 'X', role: 'agent' })
      .returning();
    for (const [body, status] of [
      [{ status: 'deleted' }, 400],
      [{}, 400],
      [{ assigneeId: 'nobody' }, 400],
      [{ assigneeId: outsider[0]!.id }, 400],
      [{ outcomeNote: 'x'.repeat(2001) }, 400],
    ] as const) {
      const response = await t.request('PATCH', `/api/leads/${ids.ana}`, { headers: admin.headers, body });
      expect(response.status, JSON.stringify(body)).toBe(status);
    }
    expect(
      (
        await t.request('PATCH', `/api/leads/${ids.ana}`, {
          headers: { cookie: admin.cookie },
          body: { status: 'won' },
        })
      ).status,
    ).toBe(403);
    expect(await t.db.select().from(leadsTable).where(eq(leadsTable.id, ids.ana!))).toEqual(before);
  });

  it("answers 404 for another site's lead and refuses unknown filters of sites not visible", async () => {
    expect((await t.request('GET', `/api/leads/${ids.other}`, { headers: member.headers })).status).toBe(404);
    expect(
      (await t.request('PATCH', `/api/leads/${ids.other}`, { headers: member.headers, body: { status: 'spam' } }))
        .status,
    ).toBe(404);
    expect((await t.request('GET', `/api/leads?siteId=${otherSiteId}`, { headers: member.headers })).status).toBe(404);
    expect(
      (await t.request('GET', `/api/leads/export.csv?siteId=${otherSiteId}`, { headers: member.headers })).status,
    ).toBe(404);
    expect((await t.request('GET', '/api/leads/not-a-uuid', { headers: member.headers })).status).toBe(404);
    expect((await t.request('GET', '/api/leads')).status).toBe(401);
  });

  it('exports the filtered rows as CSV with formulas neutralised', async () => {
    const response = await t.request(
      'GET',
      `/api/leads/export.csv?siteId=${siteId}&type=feedback,callback&sort=created&order=asc`,
      { headers: admin.headers },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toMatch(
      /attachment; filename="beckon-leads-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe(
      'Lead id,Name,Email,Phone,Status,Channels,Temperature,Score,Assignee,Outcome note,Last touch,Created,Updated',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`${ids.ana},Ana Ruiz,ana@example.com,'+34612345678,new,callback chat`);
    expect(lines[2]).toContain(`${ids.evil},"'=HYPERLINK(""http://evil.example"",""click"")",evil@example.com`);
    // The member's export holds only their site's leads.
    const memberCsv = await (await t.request('GET', '/api/leads/export.csv', { headers: member.headers })).text();
    expect(memberCsv).not.toContain('other@example.com');
  });
});
