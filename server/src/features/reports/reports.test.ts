import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { defaultWidgetSettings } from '@beckon/sdk/protocol';
import type {
  AgentsReport,
  CostReport,
  FeedbackTrendReport,
  FunnelReport,
  OverviewReport,
  SpeedReport,
  TriggersReport,
} from '@beckon/sdk/protocol';
import { rowsOf } from '../../db/client.js';
import {
  agentsTable,
  callbackEventsTable,
  callbacksTable,
  chatInvitationsTable,
  chatVisitorsTable,
  conversationsTable,
  eventsTable,
  feedbackTable,
  leadVisitorsTable,
  leadsTable,
  messagesTable,
  personsTable,
  reportAgentOnlineTable,
  siteMembersTable,
  sitesTable,
  triggerRulesTable,
  visitorSessionsTable,
} from '../../db/schema.js';
import { hashPassword } from '../../lib/crypto.js';
import { createTestApp, databaseKinds, type TestApp } from '../../testing/harness.js';
import { recordOnline } from './jobs.js';
import { catchUpSite, latencyBucket, rebuildRollups, rebuildSiteRollups } from './refresh.js';

// A hand-counted fixture in Europe/Riga around the DST change of Sunday 2026-03-29 (03:00 EET → 04:00 EEST,
// 01:00 UTC). The range 2026-03-28 … 2026-03-30 local is [2026-03-27T22:00Z, 2026-03-30T21:00Z); 29 March has
// 23 hours. Times below are UTC; the comment gives the local time and the day it must land on.
const tz = 'Europe/Riga';
const range = `from=2026-03-28&to=2026-03-30&tz=${encodeURIComponent(tz)}`;
const at = (iso: string) => new Date(iso);
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000);

describe.each(databaseKinds)('reports on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let ann: Awaited<ReturnType<TestApp['login']>>;
  let bob: Awaited<ReturnType<TestApp['login']>>;
  let siteA: string;
  let siteB: string;
  let adminId: string;
  let annId: string;
  let bobId: string;
  const ids: Record<string, string> = {};

  const get = async <T>(path: string, who = admin) => {
    const response = await t.request('GET', path, { headers: who.headers });
    expect(response.status, `${path}: ${response.status}`).toBe(200);
    return (await response.json()) as T;
  };

  async function chat(
    name: string,
    site: string,
    options: {
      start: string;
      channel?: 'chat' | 'offline';
      visitorIds?: string[];
      personId?: string | null;
      assignee?: string | null;
      messages: { author: 'visitor' | 'agent'; after: number; agent?: string }[];
      closedAfter?: number;
      csat?: [number, string | null];
    },
  ) {
    const [visitor] = await t.db
      .insert(chatVisitorsTable)
      .values({
        siteId: site,
        tokenHash: `token-${name}-${kind}`,
        trackerVisitorIds: options.visitorIds ?? [],
        personId: options.personId ?? null,
      })
      .returning();
    const [conversation] = await t.db
      .insert(conversationsTable)
      .values({
        siteId: site,
        chatVisitorId: visitor!.id,
        status: options.closedAfter === undefined ? 'open' : 'closed',
        channel: options.channel ?? 'chat',
        assigneeId: options.assignee ?? null,
        createdAt: at(options.start),
        lastMessageAt: plus(options.start, Math.max(0, ...options.messages.map((m) => m.after))),
        closedAt: options.closedAfter === undefined ? null : plus(options.start, options.closedAfter),
        csatRating: options.csat?.[0] ?? null,
        csatComment: options.csat?.[1] ?? null,
        lastSeq: options.messages.length,
      })
      .returning();
    if (options.messages.length)
      await t.db.insert(messagesTable).values(
        options.messages.map((message, index) => ({
          conversationId: conversation!.id,
          seq: index + 1,
          clientId: `${name}-${index}`,
          author: message.author,
          agentId: message.agent ?? null,
          text: 'hello',
          createdAt: plus(options.start, message.after),
        })),
      );
    ids[name] = conversation!.id;
    return conversation!.id;
  }

  async function lead(
    name: string,
    values: Partial<typeof leadsTable.$inferInsert> & { createdAt: Date; status: string },
    personId?: string,
  ) {
    const [row] = await t.db
      .insert(leadsTable)
      .values({ siteId: siteA, personId: personId ?? null, ...values } as typeof leadsTable.$inferInsert)
      .returning();
    ids[name] = row!.id;
    return row!.id;
  }

  async function person(name: string) {
    const [row] = await t.db.insert(personsTable).values({ siteId: siteA, labelSeed: name }).returning();
    return row!.id;
  }

  async function callback(
    name: string,
    options: {
      created: string;
      dueAfter: number;
      outcomeAfter?: number;
      assignee?: string;
      leadId?: string;
      visitorId?: string;
    },
  ) {
    const [row] = await t.db
      .insert(callbacksTable)
      .values({
        siteId: siteA,
        phone: '+37120000000',
        name: `Caller ${name}`,
        mode: 'now',
        status: options.outcomeAfter === undefined ? 'pending' : 'done',
        requestedAt: at(options.created),
        dueAt: plus(options.created, options.dueAfter),
        assigneeId: options.assignee ?? null,
        leadId: options.leadId ?? null,
        visitorId: options.visitorId ?? null,
        visitorTokenHash: `cb-${name}-${kind}`,
        createdAt: at(options.created),
      })
      .returning();
    if (options.outcomeAfter !== undefined)
      await t.db
        .insert(callbackEventsTable)
        .values({ callbackId: row!.id, kind: 'outcome', createdAt: plus(options.created, options.outcomeAfter) });
    ids[name] = row!.id;
  }

  async function feedback(
    site: string,
    kind: 'nps' | 'csat',
    score: number,
    created: string,
    text: string | null,
    visitorId?: string,
  ) {
    await t.db
      .insert(feedbackTable)
      .values({ siteId: site, kind, score, text, visitorId: visitorId ?? null, createdAt: at(created) });
  }

  async function triggerEvent(visitorId: string, name: string, occurred: string) {
    await t.db.insert(eventsTable).values({
      siteId: siteA,
      clientEventId: `${name}-${visitorId}-${occurred}`,
      visitorId,
      sessionId: 's',
      type: 'track',
      url: 'https://shop.example/',
      name,
      props: { trigger: ids.T1!, action: 'chat' },
      occurredAt: at(occurred),
      // Received well before the catch-up's settle window ends.
      receivedAt: new Date(Date.now() - 10 * 60_000),
    });
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
    adminId = admin.me.agent.id;
    siteA = admin.me.sites[0]!.id;
    // Business hours: Saturdays 00:00–12:00 in Riga only, so exactly one answered chat (C1) starts inside them.
    await t.db.execute(sql`update sites set chat = jsonb_set(chat, '{businessHours}',
      ${JSON.stringify({ timezone: tz, intervals: [{ day: 6, open: '00:00', close: '12:00' }] })}::jsonb)
      where id = ${siteA}::uuid`);
    const [other] = await t.db
      .insert(sitesTable)
      .values({ key: `b-${kind}`, name: 'B', widget: defaultWidgetSettings })
      .returning();
    siteB = other!.id;
    const password = await hashPassword('agent password');
    const [annRow, bobRow] = await t.db
      .insert(agentsTable)
      .values([
        { email: 'ann@example.test', name: 'Ann', role: 'agent', passwordHash: password },
        { email: 'bob@example.test', name: 'Bob', role: 'agent', passwordHash: password },
      ])
      .returning();
    annId = annRow!.id;
    bobId = bobRow!.id;
    await t.db.insert(siteMembersTable).values([
      { siteId: siteA, agentId: annId },
      { siteId: siteB, agentId: bobId },
    ]);
    ann = await t.login('ann@example.test', 'agent password');
    bob = await t.login('bob@example.test', 'agent password');

    const [rule] = await t.db
      .insert(triggerRulesTable)
      .values({
        siteId: siteA,
        name: 'Spring offer',
        conditions: {} as never,
        action: {} as never,
        frequency: {} as never,
      })
      .returning();
    ids.T1 = rule!.id;

    // Visits: v1 came from a Google Ads click tagged google / cpc / spring; v2 from a news site.
    await t.db.insert(visitorSessionsTable).values([
      {
        siteId: siteA,
        visitorId: 'visitor-1',
        number: 1,
        startedAt: at('2026-03-27T22:00:00Z'),
        lastSeenAt: at('2026-03-29T09:00:00Z'),
        utm: { source: 'google', medium: 'cpc', campaign: 'spring' },
        clickIdType: 'gclid',
      },
      {
        siteId: siteA,
        visitorId: 'visitor-2',
        number: 1,
        startedAt: at('2026-03-28T09:00:00Z'),
        lastSeenAt: at('2026-03-29T13:00:00Z'),
        referrerDomain: 'news.example',
      },
    ]);

    const p1 = await person('p1');
    const p2 = await person('p2');
    // Leads (site A), created in the range unless said.
    await lead(
      'L1',
      {
        createdAt: at('2026-03-27T22:30:00Z'),
        status: 'won',
        assigneeId: annId,
        firstContactedAt: at('2026-03-27T23:30:00Z'), // 1 h
        firstContactTemperature: 'hot',
        closedAt: at('2026-03-29T22:30:00Z'), // deal: 2 days
      },
      p1,
    );
    await lead(
      'L2',
      {
        createdAt: at('2026-03-29T22:30:00Z'),
        status: 'lost',
        assigneeId: adminId,
        firstContactedAt: at('2026-03-30T00:30:00Z'), // 2 h
        firstContactTemperature: 'warm',
        closedAt: at('2026-03-30T10:00:00Z'),
        lostReason: 'price',
      },
      p2,
    );
    await lead('L3', { createdAt: at('2026-03-30T09:00:00Z'), status: 'new', assigneeId: annId });
    await lead('L4', {
      createdAt: at('2026-03-30T11:00:00Z'),
      status: 'lost',
      assigneeId: annId,
      firstContactedAt: at('2026-03-30T11:30:00Z'), // 30 min
      closedAt: at('2026-03-30T12:00:00Z'),
      lostReason: 'other',
      lostReasonText: 'Moved abroad',
    });
    await lead('L5', { createdAt: at('2026-03-29T12:00:00Z'), status: 'spam' });
    await t.db.insert(leadVisitorsTable).values({ siteId: siteA, visitorId: 'visitor-1', leadId: ids.L1! });

    // Chats.
    // C1: Sat 00:30 local (Fri 22:30 UTC) → 28 March, in business hours; answered in 60 s, closed after 600 s, rated 5.
    await chat('C1', siteA, {
      start: '2026-03-27T22:30:00Z',
      visitorIds: ['visitor-1'],
      personId: p1,
      assignee: annId,
      messages: [
        { author: 'visitor', after: 0 },
        { author: 'agent', after: 60, agent: annId },
      ],
      closedAfter: 600,
      csat: [5, 'Great help'],
    });
    // C2: Sat 23:45 local → 28 March; answered in 180 s, still open.
    await chat('C2', siteA, {
      start: '2026-03-28T21:45:00Z',
      visitorIds: ['visitor-2'],
      assignee: annId,
      messages: [
        { author: 'visitor', after: 0 },
        { author: 'agent', after: 180, agent: annId },
      ],
    });
    // C3: Sun 04:30 EEST, just after the change → 29 March; never answered.
    await chat('C3', siteA, { start: '2026-03-29T01:30:00Z', messages: [{ author: 'visitor', after: 0 }] });
    // C4: an offline message, Sun 13:00 → 29 March.
    await chat('C4', siteA, {
      start: '2026-03-29T10:00:00Z',
      channel: 'offline',
      messages: [{ author: 'visitor', after: 0 }],
    });
    // C5: Mon 01:30 local, still Sunday in UTC → 30 March; opened from the admin's invitation; the visitor wrote
    // after 30 s, the admin answered 60 s later; closed after 1200 s.
    await chat('C5', siteA, {
      start: '2026-03-29T22:30:00Z',
      personId: p2,
      assignee: adminId,
      messages: [
        { author: 'agent', after: 0, agent: adminId },
        { author: 'visitor', after: 30 },
        { author: 'agent', after: 90, agent: adminId },
      ],
      closedAfter: 1200,
    });
    // C6: Tue 00:30 local, still 30 March in UTC → outside the range.
    await chat('C6', siteA, { start: '2026-03-30T21:30:00Z', messages: [{ author: 'visitor', after: 0 }] });
    // C7: in the previous period (25–27 March).
    await chat('C7', siteA, { start: '2026-03-26T10:00:00Z', messages: [{ author: 'visitor', after: 0 }] });
    // Site B: Bob's chat, and an NPS 0.
    await chat('B1', siteB, {
      start: '2026-03-29T10:00:00Z',
      assignee: bobId,
      messages: [
        { author: 'visitor', after: 0 },
        { author: 'agent', after: 30, agent: bobId },
      ],
    });
    await feedback(siteB, 'nps', 0, '2026-03-29T10:00:00Z', 'Bad');

    await t.db.insert(chatInvitationsTable).values([
      {
        siteId: siteA,
        visitorId: 'visitor-9',
        agentId: adminId,
        agentName: 'Admin',
        message: 'Can I help?',
        state: 'accepted',
        conversationId: ids.C5!,
        createdAt: at('2026-03-29T22:29:00Z'),
        expiresAt: at('2026-03-29T22:39:00Z'),
      },
      {
        siteId: siteA,
        visitorId: 'visitor-8',
        agentId: adminId,
        agentName: 'Admin',
        message: 'Can I help?',
        state: 'declined',
        createdAt: at('2026-03-30T13:00:00Z'),
        expiresAt: at('2026-03-30T13:10:00Z'),
      },
    ]);

    // Triggers: v1 saw and accepted "Spring offer" just before asking for a call; v2 saw it and dismissed it.
    await triggerEvent('visitor-1', 'trigger:shown', '2026-03-29T07:45:00Z');
    await triggerEvent('visitor-1', 'trigger:accepted', '2026-03-29T07:50:00Z');
    await triggerEvent('visitor-2', 'trigger:shown', '2026-03-29T12:00:00Z');
    await triggerEvent('visitor-2', 'trigger:dismissed', '2026-03-29T12:01:00Z');

    // Callbacks: K1 (Sun 11:00 local) called in 3 min of a 5 min SLA, 10 min after v1 accepted the trigger;
    // K2 called after 20 min (late); K3 never called (overdue).
    await callback('K1', {
      created: '2026-03-29T08:00:00Z',
      dueAfter: 300,
      outcomeAfter: 180,
      assignee: annId,
      leadId: ids.L1!,
      visitorId: 'visitor-1',
    });
    await callback('K2', {
      created: '2026-03-30T09:00:00Z',
      dueAfter: 300,
      outcomeAfter: 1200,
      assignee: annId,
      leadId: ids.L3!,
    });
    await callback('K3', { created: '2026-03-30T12:00:00Z', dueAfter: 300 });

    // Feedback: NPS 10 (with a comment) on 28 March, NPS 3 on 29, CSAT 4 on 30 with a formula-looking comment.
    await feedback(siteA, 'nps', 10, '2026-03-28T10:00:00Z', 'Love it', 'visitor-2');
    await feedback(siteA, 'nps', 3, '2026-03-29T10:00:00Z', null);
    await feedback(siteA, 'csat', 4, '2026-03-30T10:00:00Z', "=cmd|' /C calc'!A0");

    // Ann was online for 30 minutes of Saturday 00:00–01:00 local (Fri 22:00 UTC).
    await t.db.insert(reportAgentOnlineTable).values({
      siteId: siteA,
      agentId: annId,
      hour: at('2026-03-27T22:00:00Z'),
      minutes: (1n << 30n) - 1n,
    });

    await rebuildSiteRollups(t.db, siteA);
    await rebuildSiteRollups(t.db, siteB);
  }, 180_000);
  afterAll(() => t?.dispose());

  it('overview: inquiries by channel and source per local day, with the previous period', async () => {
    const report = await get<OverviewReport>(`/api/reports/overview?siteId=${siteA}&${range}`);
    expect(report.range).toMatchObject({
      from: '2026-03-28',
      to: '2026-03-30',
      previousFrom: '2026-03-25',
      previousTo: '2026-03-27',
    });
    expect(Object.fromEntries(report.byChannel.map((row) => [row.channel, [row.count, row.previous]]))).toEqual({
      chat: [3, 1],
      callback: [2, 0],
      form: [3, 0],
      offline: [1, 0],
      invitation: [1, 0],
      trigger: [1, 0],
    });
    expect(report.total).toBe(11);
    expect(report.previousTotal).toBe(1);
    // 23:45 local on the 28th counts on the 28th; 00:30 local on the 28th (27th in UTC) too; 01:30 local on the 30th
    // (29th in UTC) on the 30th; 00:30 local on the 31st (30th in UTC) not at all.
    expect(report.series.map((point) => [point.period, point.total])).toEqual([
      ['2026-03-28', 3],
      ['2026-03-29', 4],
      ['2026-03-30', 4],
    ]);
    expect(report.series[0]!.byChannel).toMatchObject({ chat: 2, form: 1 });
    expect(report.series[2]!.byChannel).toMatchObject({ invitation: 1, callback: 2, form: 1 });
    expect(
      report.bySource.map((row) => [
        row.kind,
        row.source,
        row.medium,
        row.campaign,
        row.referrerDomain,
        row.count,
        row.previous,
      ]),
    ).toEqual([
      ['direct', '', '', '', '', 7, 1],
      ['paid', 'google', 'cpc', 'spring', '', 2, 0],
      ['referral', '', '', '', 'news.example', 2, 0],
    ]);
  });

  it('weeks start on Monday and months on the 1st, in the agent’s zone', async () => {
    const weekly = await get<OverviewReport>(`/api/reports/overview?siteId=${siteA}&${range}&granularity=week`);
    expect(weekly.series.map((point) => [point.period, point.total])).toEqual([
      ['2026-03-23', 7],
      ['2026-03-30', 4],
    ]);
    const monthly = await get<OverviewReport>(`/api/reports/overview?siteId=${siteA}&${range}&granularity=month`);
    expect(monthly.series.map((point) => [point.period, point.total])).toEqual([['2026-03-01', 11]]);
    // The same instants in UTC: C1 (22:30 on the 27th) leaves the range and C6 (21:30 on the 30th) joins it.
    const utc = await get<OverviewReport>(`/api/reports/overview?siteId=${siteA}&from=2026-03-28&to=2026-03-30`);
    expect(utc.series.map((point) => [point.period, point.total])).toEqual([
      ['2026-03-28', 2],
      ['2026-03-29', 5],
      ['2026-03-30', 4],
    ]);
  });

  it('speed: first response and resolution (median, p90, business hours), missed chats, callback SLA, first contact', async () => {
    const report = await get<SpeedReport>(`/api/reports/speed?siteId=${siteA}&${range}`);
    expect(report.chat).toEqual({
      chats: 4,
      answered: 3,
      missed: 1,
      firstResponse: {
        all: { count: 3, medianMs: 60_000, p90Ms: 180_000 },
        businessHours: { count: 1, medianMs: 60_000, p90Ms: 60_000 },
      },
      resolution: {
        all: { count: 2, medianMs: 600_000, p90Ms: 1_200_000 },
        businessHours: { count: 1, medianMs: 600_000, p90Ms: 600_000 },
      },
    });
    expect(report.callbacks).toMatchObject({ requests: 3, onTime: 1, overdue: 2, pending: 0, onTimePercent: 33.3 });
    expect(report.callbacks.overdueList.map((row) => [row.id, row.assignee?.name ?? null, row.firstCallAt])).toEqual([
      [ids.K3, null, null],
      [ids.K2, 'Ann', '2026-03-30T09:20:00.000Z'],
    ]);
    expect(report.firstContact).toEqual({ count: 3, medianMs: 3_600_000, p90Ms: 7_200_000 });
    const byAgent = Object.fromEntries(report.byAgent.map((row) => [row.label, row]));
    expect(byAgent.Ann).toMatchObject({
      chats: 2,
      missed: 0,
      firstResponse: { count: 2, medianMs: 60_000, p90Ms: 180_000 },
      callbacks: 2,
      callbacksOnTime: 1,
      callbacksOverdue: 1,
    });
    expect(byAgent.Admin ?? Object.values(byAgent).find((row) => row.key === adminId)).toMatchObject({ chats: 1 });
    expect(report.byChannel.map((row) => [row.key, row.chats, row.callbacks])).toEqual([
      ['chat', 3, 0],
      ['callback', 0, 2],
      ['form', 0, 0],
      ['offline', 0, 0],
      ['invitation', 1, 0],
      ['trigger', 0, 1],
    ]);
    // Saturday (day 5) 00:00–01:00 local: C1, and Ann online half the hour.
    const saturdayMidnight = report.heatmap.find((cell) => cell.day === 5 && cell.hour === 0)!;
    expect(saturdayMidnight).toEqual({ day: 5, hour: 0, inquiries: 1, agentsOnline: 0.5 });
    expect(report.heatmap).toHaveLength(168);
    expect(report.heatmap.reduce((sum, cell) => sum + cell.inquiries, 0)).toBe(11);
    // An agent sees only their own row.
    const own = await get<SpeedReport>(`/api/reports/speed?siteId=${siteA}&${range}`, ann);
    expect(own.byAgent.map((row) => row.key)).toEqual([annId]);
  });

  it('agents: one row each for an admin, only their own for an agent', async () => {
    const report = await get<AgentsReport>(`/api/reports/agents?siteId=${siteA}&${range}`);
    const byId = Object.fromEntries(report.agents.map((row) => [row.agentId, row]));
    expect(Object.keys(byId).sort()).toEqual([adminId, annId].sort());
    expect(byId[annId]).toEqual({
      agentId: annId,
      name: 'Ann',
      chats: 2,
      callbacks: 2,
      leadsOwned: 3,
      firstResponse: { count: 2, medianMs: 60_000, p90Ms: 180_000 },
      csat: 5,
      csatCount: 1,
      won: 1,
      lost: 1,
      conversionPercent: 50,
      overdue: 1,
    });
    expect(byId[adminId]).toMatchObject({
      chats: 1,
      callbacks: 0,
      leadsOwned: 1,
      won: 0,
      lost: 1,
      conversionPercent: 0,
      csat: null,
    });
    const own = await get<AgentsReport>(`/api/reports/agents?${range}`, ann);
    expect(own.agents.map((row) => row.agentId)).toEqual([annId]);
    // A range without work: every agent still has their row, with their id and zeroes.
    const quiet = await get<AgentsReport>(`/api/reports/agents?siteId=${siteA}&from=2025-03-01&to=2025-03-02`);
    expect(quiet.agents.map((row) => row.agentId).sort()).toEqual([adminId, annId].sort());
    expect(quiet.agents.find((row) => row.agentId === annId)).toMatchObject({
      name: 'Ann',
      chats: 0,
      firstResponse: { count: 0, medianMs: null, p90Ms: null },
      conversionPercent: null,
    });
  });

  it('funnel: stages, deal duration, conversion by temperature at first contact and by source, lost reasons', async () => {
    const report = await get<FunnelReport>(`/api/reports/funnel?siteId=${siteA}&${range}`);
    expect(report.stages).toEqual([
      { stage: 'new', count: 5, conversionPercent: null },
      { stage: 'contacted', count: 3, conversionPercent: 60 },
      { stage: 'qualified', count: 3, conversionPercent: 100 },
      { stage: 'won', count: 1, conversionPercent: 33.3 },
      { stage: 'lost', count: 2, conversionPercent: 66.7 },
    ]);
    expect(report.dealDuration).toEqual({ count: 1, medianMs: 172_800_000, p90Ms: 172_800_000 });
    expect(report.byTemperature.map((row) => [row.key, row.leads, row.won, row.lost, row.conversionPercent])).toEqual([
      ['cold', 0, 0, 0, null],
      ['warm', 1, 0, 1, 0],
      ['hot', 1, 1, 0, 100],
      ['unknown', 3, 0, 1, 0],
    ]);
    expect(report.bySource.map((row) => [row.kind, row.source, row.campaign, row.leads, row.won])).toEqual([
      ['direct', '', '', 4, 0],
      ['paid', 'google', 'spring', 1, 1],
    ]);
    expect(report.lostReasons).toEqual([
      { reason: 'other', count: 1 },
      { reason: 'price', count: 1 },
    ]);
    expect(report.lostOther.map((row) => row.text)).toEqual(['Moved abroad']);
  });

  it('cost: monthly spend spread over the range’s days, per inquiry, qualified lead and won deal', async () => {
    const put = await t.request('PUT', '/api/reports/spend', {
      headers: admin.headers,
      body: { siteId: siteA, month: '2026-03', source: 'google', amount: 310, currency: 'eur' },
    });
    expect(put.status).toBe(200);
    const report = await get<CostReport>(`/api/reports/cost?siteId=${siteA}&${range}`);
    // 3 of March's 31 days: 30.00 of 310.00; 2 inquiries (C1, K1), 1 qualified and won lead (L1).
    expect(report.rows).toEqual([
      {
        source: 'google',
        campaign: '',
        currency: 'EUR',
        spend: 30,
        inquiries: 2,
        qualified: 1,
        won: 1,
        costPerInquiry: 15,
        costPerQualified: 30,
        costPerWon: 30,
      },
    ]);
    expect(report.totals).toHaveLength(1);
  });

  it('imports spend from CSV: valid rows stored, bad lines reported; only admins', async () => {
    const csv = [
      'month;source;campaign;amount;currency',
      '2026-02;google;spring;"1 200,50";EUR',
      '2026-02;facebook;;99;EUR',
      '2026-13;google;;5;EUR',
      '2026-02;bing;;-3;EUR',
    ].join('\r\n');
    const response = await t.request('POST', '/api/reports/spend/import', {
      headers: admin.headers,
      body: { siteId: siteA, csv },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { imported: number; errors: { line: number }[] };
    expect(result.imported).toBe(2);
    expect(result.errors.map((error) => error.line)).toEqual([4, 5]);
    const list = (
      await get<{ entries: { month: string; source: string; amount: number }[] }>(`/api/reports/spend?siteId=${siteA}`)
    ).entries;
    expect(list.find((entry) => entry.source === 'google' && entry.month === '2026-02')?.amount).toBe(1200.5);
    const refused = await t.request('POST', '/api/reports/spend/import', {
      headers: ann.headers,
      body: { siteId: siteA, csv },
    });
    expect(refused.status).toBe(403);
    const empty = await t.request('POST', '/api/reports/spend/import', {
      headers: admin.headers,
      body: { siteId: siteA, csv: 'month,source\n2026-01,google' },
    });
    expect(empty.status).toBe(400);
  });

  it('feedback: NPS, CSAT and chat ratings over time, with comments', async () => {
    const report = await get<FeedbackTrendReport>(`/api/reports/feedback?siteId=${siteA}&${range}`);
    expect(report.nps).toEqual({ score: 0, promoters: 1, passives: 0, detractors: 1, count: 2 });
    expect(report.csat).toEqual({ average: 4, satisfiedPercent: 100, count: 1 });
    expect(report.chatRating).toEqual({ average: 5, satisfiedPercent: 100, count: 1 });
    expect(report.series.map((row) => [row.period, row.nps, row.csat, row.chatRating])).toEqual([
      ['2026-03-28', 100, null, 5],
      ['2026-03-29', -100, null, null],
      ['2026-03-30', null, 4, null],
    ]);
    expect(report.comments.map((row) => [row.source, row.score, row.text])).toEqual([
      ['csat', 4, "=cmd|' /C calc'!A0"],
      ['nps', 10, 'Love it'],
      ['chat', 5, 'Great help'],
    ]);
  });

  it('triggers and invitations: shown, accepted, led to a lead, won', async () => {
    const report = await get<TriggersReport>(`/api/reports/triggers?siteId=${siteA}&${range}`);
    expect(report.rows).toEqual([
      {
        kind: 'trigger',
        id: ids.T1,
        name: 'Spring offer',
        siteId: siteA,
        shown: 2,
        accepted: 1,
        dismissed: 1,
        leads: 1,
        won: 1,
        acceptPercent: 50,
      },
      {
        kind: 'invitation',
        id: adminId,
        name: expect.any(String),
        siteId: siteA,
        shown: 2,
        accepted: 1,
        dismissed: 1,
        leads: 1,
        won: 0,
        acceptPercent: 50,
      },
    ]);
  });

  it('tenancy: an agent never sees another site’s numbers', async () => {
    const hidden = await t.request('GET', `/api/reports/overview?siteId=${siteA}&${range}`, { headers: bob.headers });
    expect(hidden.status).toBe(404);
    const own = await get<OverviewReport>(`/api/reports/overview?${range}`, bob);
    expect(own.range.siteIds).toEqual([siteB]);
    expect(own.total).toBe(2);
    const feedbackB = await get<FeedbackTrendReport>(`/api/reports/feedback?${range}`, bob);
    expect(feedbackB.nps.count).toBe(1);
    expect(feedbackB.comments.map((row) => row.text)).toEqual(['Bad']);
    // The admin's "all sites" is the sum.
    const all = await get<OverviewReport>(`/api/reports/overview?${range}`);
    expect(all.total).toBe(13);
  });

  it('CSV export of a report table, spreadsheet-safe', async () => {
    const response = await t.request(
      'GET',
      `/api/reports/feedback/export.csv?siteId=${siteA}&${range}&table=comments`,
      {
        headers: admin.headers,
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('At,Site id,Source,Score,Comment');
    expect(lines[1]).toMatch(/,csat,4,'=cmd\|' \/C calc'!A0$/);
    const channels = await (
      await t.request('GET', `/api/reports/overview/export.csv?siteId=${siteA}&${range}&table=byChannel`, {
        headers: admin.headers,
      })
    ).text();
    expect(channels).toBe(
      'Channel,Inquiries,Previous period\r\nchat,3,1\r\ncallback,2,0\r\nform,3,0\r\noffline,1,0\r\ninvitation,1,0\r\ntrigger,1,0\r\n',
    );
    const nps = await (
      await t.request('GET', `/api/reports/feedback/export.csv?siteId=${siteA}&${range}&table=series`, {
        headers: admin.headers,
      })
    ).text();
    // A negative NPS stays a number.
    expect(nps.split('\r\n')[2]).toBe('2026-03-29,-100,1,,0,,0');
    const unknown = await t.request('GET', `/api/reports/feedback/export.csv?siteId=${siteA}&${range}&table=nope`, {
      headers: admin.headers,
    });
    expect(unknown.status).toBe(400);
  });

  it('a range of whole months reads the month and hour rollups, its partial months the facts: same numbers', async () => {
    // Site C, no business hours. In Riga, 1 March – 30 April is [28 Feb 22:00Z, 30 Apr 21:00Z): UTC March comes
    // from the month rollups, 28 Feb 22:00–24:00Z and 1–30 April from the facts.
    const [site] = await t.db
      .insert(sitesTable)
      .values({ key: `c-${kind}`, name: 'C', widget: defaultWidgetSettings })
      .returning();
    const siteC = site!.id;
    const answered = (start: string, after: number, closedAfter?: number) => ({
      start,
      assignee: annId,
      messages: [
        { author: 'visitor' as const, after: 0 },
        { author: 'agent' as const, after, agent: annId },
      ],
      closedAfter,
    });
    await chat('X1', siteC, answered('2026-02-28T23:00:00Z', 30, 300)); // 1 Mar 01:00 local: a partial month
    await chat('X2', siteC, answered('2026-03-15T10:00:00Z', 30)); // inside UTC March
    await chat('X3', siteC, answered('2026-03-31T22:30:00Z', 120)); // UTC March, 1 April 01:30 local
    await chat('X4', siteC, answered('2026-04-10T10:00:00Z', 120)); // April: a partial month
    await feedback(siteC, 'nps', 9, '2026-03-31T21:30:00Z', null); // UTC March, 1 April 00:30 local
    await feedback(siteC, 'nps', 2, '2026-04-30T20:30:00Z', null); // 30 April 23:30 local
    await feedback(siteC, 'nps', 10, '2026-04-30T21:30:00Z', null); // 1 May local: outside
    // In the UTC hour that Kathmandu's (+05:45) 1 April starts in (18:15Z): 23:55 on 31 March there.
    await feedback(siteC, 'nps', 8, '2026-03-31T18:10:00Z', null);
    await t.db.insert(callbacksTable).values({
      siteId: siteC,
      phone: '+37120000002',
      mode: 'now',
      requestedAt: at('2026-03-10T10:00:00Z'),
      dueAt: at('2026-03-10T10:05:00Z'),
      visitorTokenHash: `cb-X5-${kind}`,
      createdAt: at('2026-03-10T10:00:00Z'),
    });
    await rebuildSiteRollups(t.db, siteC);
    const months = rowsOf<{ n: number }>(
      await t.db.execute(sql`select coalesce(sum(n), 0)::int as n from report_inquiry_months
        where site_id = ${siteC}::uuid and month = '2026-03-01T00:00:00Z'`),
    );
    expect(Number(months[0]!.n)).toBe(5); // X2, X3, the callback, NPS 9 and NPS 8: UTC March
    const riga = `siteId=${siteC}&from=2026-03-01&to=2026-04-30&tz=${encodeURIComponent(tz)}&granularity=month`;
    const overview = await get<OverviewReport>(`/api/reports/overview?${riga}`);
    expect(overview.series.map((point) => [point.period, point.total])).toEqual([
      ['2026-03-01', 4],
      ['2026-04-01', 4],
    ]);
    expect(overview.total).toBe(8);
    const speed = await get<SpeedReport>(`/api/reports/speed?${riga}`);
    expect(speed.chat).toEqual({
      chats: 4,
      answered: 4,
      missed: 0,
      firstResponse: {
        all: { count: 4, medianMs: 30_000, p90Ms: 120_000 },
        businessHours: { count: 4, medianMs: 30_000, p90Ms: 120_000 },
      },
      resolution: {
        all: { count: 1, medianMs: 300_000, p90Ms: 300_000 },
        businessHours: { count: 1, medianMs: 300_000, p90Ms: 300_000 },
      },
    });
    expect(speed.callbacks).toMatchObject({ requests: 1, onTime: 0, overdue: 1, pending: 0 });
    expect(speed.byAgent.map((row) => [row.label, row.chats, row.firstResponse])).toEqual([
      ['Ann', 4, { count: 4, medianMs: 30_000, p90Ms: 120_000 }],
    ]);
    expect(speed.heatmap.reduce((sum, cell) => sum + cell.inquiries, 0)).toBe(8);
    const agents = await get<AgentsReport>(`/api/reports/agents?${riga}`);
    expect(agents.agents.find((row) => row.agentId === annId)).toMatchObject({ chats: 4, overdue: 0 });
    const feedbackReport = await get<FeedbackTrendReport>(`/api/reports/feedback?${riga}`);
    expect(feedbackReport.nps).toEqual({ score: 0, promoters: 1, passives: 1, detractors: 1, count: 3 });
    expect(feedbackReport.series.map((row) => [row.period, row.npsAnswers])).toEqual([
      ['2026-03-01', 1],
      ['2026-04-01', 2],
    ]);
    // The same months in UTC: all of March and April from the rollups; X1 is February, NPS 10 is April.
    const utc = `siteId=${siteC}&from=2026-03-01&to=2026-04-30&granularity=month`;
    const overviewUtc = await get<OverviewReport>(`/api/reports/overview?${utc}`);
    expect(overviewUtc.series.map((point) => [point.period, point.total])).toEqual([
      ['2026-03-01', 5],
      ['2026-04-01', 3],
    ]);
    expect(overviewUtc.previousTotal).toBe(1); // X1, in the previous two months
    const speedUtc = await get<SpeedReport>(`/api/reports/speed?${utc}`);
    expect(speedUtc.chat.firstResponse.all).toEqual({ count: 3, medianMs: 120_000, p90Ms: 120_000 });
    // A :45 zone (Kathmandu, +05:45) cuts hours: the cut hours are read from the facts, the numbers stay exact.
    const kathmandu = await get<OverviewReport>(
      `/api/reports/overview?siteId=${siteC}&from=2026-03-01&to=2026-04-30&tz=Asia%2FKathmandu&granularity=month`,
    );
    // [28 Feb 18:15Z, 30 Apr 18:15Z): X1, X2, the callback, NPS 8 in March; X3, NPS 9, X4 in April (local);
    // NPS 2 (20:30Z) is 1 May there.
    expect(kathmandu.series.map((point) => [point.period, point.total])).toEqual([
      ['2026-03-01', 4],
      ['2026-04-01', 3],
    ]);
    // Every hour of a :45 zone is cut by a local hour: the heatmap reads the facts.
    const kathmanduSpeed = await get<SpeedReport>(
      `/api/reports/speed?siteId=${siteC}&from=2026-03-01&to=2026-04-30&tz=Asia%2FKathmandu`,
    );
    expect(kathmanduSpeed.heatmap.reduce((sum, cell) => sum + cell.inquiries, 0)).toBe(7);
    // Recomputation: an erased or changed fact is recomputed into its month (here: X2 gets a later answer).
    await t.db.execute(sql`delete from messages where conversation_id = ${ids.X2!}::uuid and author = 'agent'`);
    await t.db.transaction((tx) =>
      rebuildRollups(tx, siteC, { from: at('2026-03-15T00:00:00Z'), to: at('2026-03-16T00:00:00Z') }),
    );
    const afterChange = await get<SpeedReport>(`/api/reports/speed?${utc}`);
    expect(afterChange.chat).toMatchObject({ chats: 3, answered: 2, missed: 1 });
    expect(afterChange.chat.firstResponse.all).toEqual({ count: 2, medianMs: 120_000, p90Ms: 120_000 });
  });

  it('medians from summed buckets: equal values exactly, close values within their ~5 % bucket', async () => {
    const { statsOfHistograms } = await import('./queries.js');
    const { latencyBucketOf } = await import('./refresh.js');
    const histogram = (values: number[]) => {
      const buckets = new Map<number, [number, number]>();
      for (const value of values) {
        const cell = buckets.get(latencyBucketOf(value)) ?? [0, 0];
        cell[0] += 1;
        cell[1] += value;
        buckets.set(latencyBucketOf(value), cell);
      }
      return buckets;
    };
    expect(statsOfHistograms(histogram([60_000, 60_000, 180_000]))).toEqual({
      count: 3,
      medianMs: 60_000,
      p90Ms: 180_000,
    });
    expect(latencyBucketOf(61_000)).toBe(latencyBucketOf(62_000));
    const close = statsOfHistograms(histogram([61_000, 62_000, 600_000]));
    expect(close.medianMs).toBe(61_500);
    expect(statsOfHistograms(histogram([]))).toEqual({ count: 0, medianMs: null, p90Ms: null });
    // The SQL bucket and the TypeScript one agree.
    const [row] = rowsOf<{ b: number }>(
      await t.db.execute(sql`select ${latencyBucket(sql`${61_000}::bigint`)}::int as b`),
    );
    expect(Number(row!.b)).toBe(latencyBucketOf(61_000));
  });

  it('refuses bad queries with a 400', async () => {
    for (const query of [
      'from=2026-03-30&to=2026-03-28',
      'from=2026-03-28&to=2026-03-30&tz=Mars%2FOlympus',
      'from=2020-01-01&to=2026-03-30',
      'from=yesterday&to=2026-03-30',
      'from=2026-03-28&to=2026-03-30&granularity=hour',
    ]) {
      const response = await t.request('GET', `/api/reports/overview?${query}`, { headers: admin.headers });
      expect(response.status, query).toBe(400);
    }
  });

  it('a lost reason is picked from the closed list, "other" with a text; first contact keeps the temperature', async () => {
    const leadId = ids.L3!;
    await t.db.execute(sql`update leads set temperature = 'warm' where id = ${leadId}::uuid`);
    const patch = (body: unknown) => t.request('PATCH', `/api/leads/${leadId}`, { headers: admin.headers, body });
    expect((await patch({ status: 'open', lostReason: 'price' })).status).toBe(400);
    expect((await patch({ status: 'lost', lostReason: 'other' })).status).toBe(400);
    expect((await patch({ status: 'lost', lostReason: 'price', lostReasonText: 'too much' })).status).toBe(400);
    expect((await patch({ status: 'lost', lostReason: 'aliens' })).status).toBe(400);
    const contacted = await patch({ status: 'contacted' });
    expect(contacted.status).toBe(200);
    const lost = await patch({ status: 'lost', lostReason: 'other', lostReasonText: 'Bought a boat' });
    expect(lost.status).toBe(200);
    expect((await lost.json()).lead).toMatchObject({
      status: 'lost',
      lostReason: 'other',
      lostReasonText: 'Bought a boat',
    });
    const [row] = rowsOf<{
      first_contact_temperature: string;
      first_contacted_at: string | null;
      closed_at: string | null;
    }>(
      await t.db.execute(
        sql`select first_contact_temperature, first_contacted_at::text, closed_at::text from leads where id = ${leadId}::uuid`,
      ),
    );
    expect(row!.first_contact_temperature).toBe('warm');
    expect(row!.first_contacted_at).not.toBeNull();
    expect(row!.closed_at).not.toBeNull();
    // Reopened: the reason goes.
    expect((await (await patch({ status: 'open' })).json()).lead).toMatchObject({
      lostReason: null,
      lostReasonText: null,
    });
    // Back to the fixture's state for the other tests' numbers.
    await t.db.execute(sql`update leads set status = 'new', first_contacted_at = null, first_contact_temperature = null,
      closed_at = null where id = ${leadId}::uuid`);
  });

  it('the incremental catch-up equals a rebuild, follows later changes, and erasure removes the rows', async () => {
    const snapshot = async () => ({
      inquiries: rowsOf(
        await t.db.execute(sql`select ref_id, kind, at::text, channel, source_kind, utm_source, utm_campaign,
          referrer_domain, agent_id, lead_id, in_business_hours, answered, first_response_ms::text, resolution_ms::text,
          due_at::text, first_call_at::text, score, score_kind, comment
          from report_inquiries where site_id = ${siteA}::uuid order by ref_id`),
      ),
      leads: rowsOf(
        await t.db.execute(sql`select lead_id, status, first_contacted_at::text, closed_at::text, lost_reason,
          source_kind, utm_source from report_leads where site_id = ${siteA}::uuid order by lead_id`),
      ),
      triggers: rowsOf(
        await t.db.execute(sql`select hour::text, trigger_id, shown, accepted, dismissed from report_trigger_hours
          where site_id = ${siteA}::uuid order by hour, trigger_id`),
      ),
      accepts: rowsOf(
        await t.db.execute(sql`select trigger_id, visitor_id, accepted_at::text from report_trigger_accepts
          where site_id = ${siteA}::uuid order by visitor_id`),
      ),
      // The second-level rollups, recomputed from the facts: they follow every path above.
      months: rowsOf(
        await t.db.execute(sql`select month::text, kind, channel, agent_id, in_business_hours, n, answered, on_time,
          late, ratings, rating_sum from report_inquiry_months where site_id = ${siteA}::uuid order by 1, 2, 3, 4, 5`),
      ),
      latency: rowsOf(
        await t.db.execute(sql`select month::text, metric, dim, key, bucket, n, sum_ms::text from report_latency_months
          where site_id = ${siteA}::uuid order by 1, 2, 3, 4, 5`),
      ),
      sources: rowsOf(
        await t.db.execute(sql`select month::text, source_kind, utm_source, utm_medium, utm_campaign, referrer_domain,
          click_id_type, n from report_source_months where site_id = ${siteA}::uuid order by 1, 2, 3, 4, 5, 6, 7`),
      ),
      hours: rowsOf(
        await t.db.execute(sql`select hour::text, channel, n, nps_n, promoters, detractors, csat_n, csat_sum, csat_ok,
          chat_n, chat_sum, chat_ok from report_inquiry_hours where site_id = ${siteA}::uuid order by 1, 2`),
      ),
    });
    // The catch-up from an empty state: everything changed after 1 January.
    await t.db.execute(sql`delete from report_inquiries where site_id = ${siteA}::uuid`);
    await t.db.execute(sql`delete from report_leads where site_id = ${siteA}::uuid`);
    await t.db.execute(sql`delete from report_trigger_hours where site_id = ${siteA}::uuid`);
    await t.db.execute(sql`delete from report_trigger_accepts where site_id = ${siteA}::uuid`);
    await t.db.execute(sql`update report_watermarks set refreshed_to = '2026-01-01' where site_id = ${siteA}::uuid`);
    // (Forced incremental: by default a gap this long is rebuilt in slices, tested below.)
    expect(await catchUpSite(t.db, siteA, { rebuildAfterDays: 10_000 })).toBe(true);
    const incremental = await snapshot();
    expect(incremental.inquiries).toHaveLength(13); // 11 in the range, C6 and C7 outside it
    expect(incremental.months.reduce((sum, row) => sum + Number((row as { n: number }).n), 0)).toBe(13);
    // Run again: nothing new, nothing counted twice.
    expect(await catchUpSite(t.db, siteA)).toBe(true);
    expect(await snapshot()).toEqual(incremental);
    await t.db.transaction((tx) => rebuildRollups(tx, siteA));
    expect(await snapshot()).toEqual(incremental);
    // The whole-site rebuild in 31-day slices, and a catch-up after a long gap, give the same rows.
    await rebuildSiteRollups(t.db, siteA);
    expect(await snapshot()).toEqual(incremental);
    await t.db.execute(sql`update report_watermarks set refreshed_to = '2026-01-01' where site_id = ${siteA}::uuid`);
    await t.db.execute(sql`delete from report_inquiries where site_id = ${siteA}::uuid`);
    expect(await catchUpSite(t.db, siteA)).toBe(true);
    expect(await snapshot()).toEqual(incremental);

    // An agent answers C3 now: the next catch-up sees it.
    await t.db.insert(messagesTable).values({
      conversationId: ids.C3!,
      seq: 2,
      clientId: 'C3-late',
      author: 'agent',
      agentId: annId,
      text: 'sorry',
    });
    await t.db.execute(sql`update conversations set last_message_at = now(), last_seq = 2 where id = ${ids.C3!}::uuid`);
    await t.db.execute(
      sql`update report_watermarks set refreshed_to = now() - interval '5 minutes' where site_id = ${siteA}::uuid`,
    );
    await catchUpSite(t.db, siteA);
    const speed = await get<SpeedReport>(`/api/reports/speed?siteId=${siteA}&${range}`);
    expect(speed.chat.missed).toBe(0);
    const afterLate = await snapshot();
    await t.db.transaction((tx) => rebuildRollups(tx, siteA));
    expect(await snapshot()).toEqual(afterLate);

    // Erasing visitor-2 takes their chat (C2) and its report row in the same transaction; no report row is left
    // without its raw row.
    const erased = await t.request('DELETE', `/api/sites/${siteA}/privacy/visitors/visitor-2`, {
      headers: admin.headers,
    });
    expect(erased.status).toBe(200);
    expect(
      ((await erased.json()) as { deleted: Record<string, number> }).deleted.report_inquiries,
    ).toBeGreaterThanOrEqual(1);
    const orphans = rowsOf<{ n: number }>(
      await t.db.execute(sql`select count(*)::int as n from report_inquiries ri where ri.site_id = ${siteA}::uuid
        and not exists (select 1 from conversations c where c.id = ri.ref_id)
        and not exists (select 1 from callbacks cb where cb.id = ri.ref_id)
        and not exists (select 1 from feedback f where f.id = ri.ref_id)`),
    );
    expect(Number(orphans[0]!.n)).toBe(0);
    const remaining = rowsOf(await t.db.execute(sql`select 1 from report_inquiries where ref_id = ${ids.C2!}::uuid`));
    expect(remaining).toHaveLength(0);
    // The month and hour rollups were recomputed without C2 in the erasure: a rebuild changes nothing.
    const afterErasure = await snapshot();
    expect(afterErasure.months.reduce((sum, row) => sum + Number((row as { n: number }).n), 0)).toBe(
      afterErasure.inquiries.length,
    );
    // (Trigger hours hold nobody's data and keep the erased visitor's counts; a rebuild would drop them.)
    await t.db.transaction((tx) => rebuildRollups(tx, siteA));
    const rebuilt = await snapshot();
    for (const part of ['inquiries', 'months', 'latency', 'sources', 'hours'] as const)
      expect(rebuilt[part], part).toEqual(afterErasure[part]);
  });

  it('an acceptance received after its inquiry was folded still makes the inquiry a trigger inquiry', async () => {
    await t.db.execute(
      sql`update report_watermarks set refreshed_to = now() - interval '5 minutes' where site_id = ${siteA}::uuid`,
    );
    const [late] = await t.db
      .insert(callbacksTable)
      .values({
        siteId: siteA,
        phone: '+37120000001',
        mode: 'now',
        requestedAt: new Date(Date.now() - 3 * 60_000),
        dueAt: new Date(Date.now() + 60 * 60_000),
        visitorId: 'visitor-7',
        visitorTokenHash: `late-${kind}`,
        createdAt: new Date(Date.now() - 3 * 60_000),
        updatedAt: new Date(Date.now() - 3 * 60_000),
      })
      .returning();
    await catchUpSite(t.db, siteA);
    const channel = async () =>
      rowsOf<{ channel: string }>(
        await t.db.execute(sql`select channel from report_inquiries where ref_id = ${late!.id}::uuid`),
      )[0]?.channel;
    expect(await channel()).toBe('callback');
    // The batch with the acceptance (a minute before the request) arrives now, in the next window.
    await t.db.execute(
      sql`update report_watermarks set refreshed_to = now() - interval '100 seconds' where site_id = ${siteA}::uuid`,
    );
    await t.db.insert(eventsTable).values({
      siteId: siteA,
      clientEventId: `late-accept-${kind}`,
      visitorId: 'visitor-7',
      sessionId: 's',
      type: 'track',
      url: 'https://shop.example/',
      name: 'trigger:accepted',
      props: { trigger: ids.T1!, action: 'callback' },
      occurredAt: new Date(Date.now() - 4 * 60_000),
      receivedAt: new Date(Date.now() - 90_000),
    });
    await catchUpSite(t.db, siteA);
    expect(await channel()).toBe('trigger');
  });

  it('presence samples from several nodes count an agent once per minute', async () => {
    const hour = '2026-03-30T06:00:00.000Z'; // Monday 09:00 local
    const minute = (n: number) => (1n << BigInt(n)).toString();
    const rows = [{ site_id: siteA, agent_id: annId }];
    // Two nodes sample minute 5, one samples minute 6.
    await recordOnline(t.db, hour, minute(5), rows);
    await recordOnline(t.db, hour, minute(5), rows);
    await recordOnline(t.db, hour, minute(6), rows);
    const report = await get<SpeedReport>(`/api/reports/speed?siteId=${siteA}&${range}`);
    const monday9 = report.heatmap.find((cell) => cell.day === 0 && cell.hour === 9)!;
    expect(monday9.agentsOnline).toBe(Math.round((2 / 60) * 100) / 100);
  });

  it('an API key with reports:read reads the reports of its sites only', async () => {
    const created = await t.request('POST', '/api/api-keys', {
      headers: admin.headers,
      body: { name: 'BI', scopes: ['reports:read'], siteIds: [siteB] },
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const asKey = (path: string) => t.request('GET', path, { headers: { authorization: `Bearer ${secret}` } });
    const all = await asKey(`/api/reports/overview?${range}`);
    expect(all.status).toBe(200);
    expect(((await all.json()) as OverviewReport).range.siteIds).toEqual([siteB]);
    expect((await asKey(`/api/reports/overview?siteId=${siteA}&${range}`)).status).toBe(404);
    expect((await asKey(`/api/reports/spend?siteId=${siteB}`)).status).toBe(403);
  });
});
