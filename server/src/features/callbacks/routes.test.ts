import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, count, eq, inArray } from 'drizzle-orm';
import { defaultCallbackSettings, type AgentStatus, type Callback, type CallbackSettings } from '@beckon/sdk/protocol';
import {
  callbackEventsTable,
  callbackPhoneCountsTable,
  callbacksTable,
  leadTouchesTable,
  sitesTable,
  webhookDeliveriesTable,
  webhookEndpointsTable,
} from '../../db/schema.js';
import { createLogger } from '../../lib/logger.js';
import { createRealtime } from '../../realtime/realtime.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { sweepOverdue } from './service.js';
import { startSlaJob } from './sla.js';
import { forgetCachedSites } from '../sites/index.js';

/** A realtime port whose agent presence the test sets, recording what was pushed to dashboards. */
function fakeRealtime() {
  const realtime = createRealtime();
  const online = new Map<string, Map<string, { name: string; status: AgentStatus }>>();
  const pushes: { siteId: string; event: string; payload: unknown }[] = [];
  return Object.assign(realtime, {
    online,
    pushes,
    agentStatuses: async (siteId: string) => online.get(siteId) ?? new Map(),
    toSite: (siteId: string, event: string, payload: unknown) => void pushes.push({ siteId, event, payload }),
  });
}

let phoneCounter = 0;
/** A fresh valid German mobile number per call, so per-phone limits do not leak between tests. */
const freshPhone = () => `+4915112${String(100000 + phoneCounter++).padStart(6, '0')}`;

describe.each(databaseKinds)('callbacks on %s', (kind) => {
  let t: TestApp;
  let realtime: ReturnType<typeof fakeRealtime>;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  let ip = 0;
  const nextIp = () => `198.51.100.${++ip}`;

  const request = (body: Record<string, unknown>, options: { ip?: string; origin?: string } = {}) =>
    t.request('POST', '/v1/callbacks', {
      body: { site: 'demo', formMs: 8000, ...body },
      headers: { origin: options.origin ?? testOrigin },
      ip: options.ip ?? nextIp(),
    });
  const stored = async () => (await t.db.select({ n: count() }).from(callbacksTable))[0]!.n;
  // Straight to the table, so the widget-facing site cache must be told (the service's writes do that).
  const setSettings = async (patch: Partial<CallbackSettings>) => {
    await t.db
      .update(sitesTable)
      .set({ callbacks: { ...defaultCallbackSettings, ...patch } })
      .where(eq(sitesTable.id, siteId));
    forgetCachedSites(t.db);
  };
  const agentOnline = (id: string, name: string) =>
    realtime.online.set(siteId, new Map([[id, { name, status: 'online' }]]));

  beforeAll(async () => {
    realtime = fakeRealtime();
    t = await createTestApp(kind, { realtime });
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
    // A CRM endpoint subscribed to the callback events, so the outbox rows can be checked.
    await t.db.insert(webhookEndpointsTable).values({
      siteId,
      url: 'https://crm.example/hooks',
      events: ['callback.requested', 'callback.updated', 'callback.overdue', 'feedback.submitted'],
      secret: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXR0ZXN0c2VjcmV0',
      enabled: true,
    } as typeof webhookEndpointsTable.$inferInsert);
  });
  afterAll(() => t?.dispose());
  beforeEach(async () => {
    realtime.online.clear();
    realtime.pushes.length = 0;
    await setSettings({});
  });

  it('offers slots, and "now" only while an agent is online', async () => {
    const closed = await (
      await t.request('GET', '/v1/sites/demo/callback-options', { headers: { origin: testOrigin } })
    ).json();
    expect(closed.now).toEqual({ available: false, countdownSeconds: 30 });
    expect(closed.slots.length).toBeGreaterThan(10);
    agentOnline(admin.me.agent.id, 'Ada Admin');
    const open = await (
      await t.request('GET', '/v1/sites/demo/callback-options', { headers: { origin: testOrigin } })
    ).json();
    expect(open.now.available).toBe(true);
    const refused = await request({ phone: freshPhone() });
    expect(refused.status).toBe(201);
  });

  it('stores a "now" request with its lead, webhook and push, and shows the visitor "calling" once an agent takes it', async () => {
    agentOnline(admin.me.agent.id, 'Ada Admin');
    const phone = freshPhone();
    const response = await request({
      phone,
      name: 'Vera Visitor',
      visitorId: 'visitor_cb_0001',
      url: 'http://localhost:3999/demo/',
    });
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created.callback).toMatchObject({ status: 'pending', mode: 'now', agentName: null });
    expect(Date.parse(created.callback.countdownEndsAt) - Date.parse(created.callback.requestedAt)).toBe(30_000);

    const [row] = await t.db.select().from(callbacksTable).where(eq(callbacksTable.id, created.callback.id));
    expect(row).toMatchObject({ phone, name: 'Vera Visitor', status: 'pending' });
    expect(row!.dueAt.getTime() - row!.requestedAt.getTime()).toBe(5 * 60_000);
    expect(row!.leadId).toEqual(expect.any(String));
    const touches = await t.db.select().from(leadTouchesTable).where(eq(leadTouchesTable.leadId, row!.leadId!));
    expect(touches.map((touch) => touch.kind)).toContain('callback.requested');
    // The values the dashboard words in the agent's language (the English summary is for integrations).
    expect(touches.find((touch) => touch.kind === 'callback.requested')?.data).toMatchObject({ mode: 'now', phone });
    const requested = await t.db
      .select()
      .from(webhookDeliveriesTable)
      .where(eq(webhookDeliveriesTable.eventType, 'callback.requested'));
    const delivery = requested.find(
      (entry) => (entry.payload as { data: { callback: { id: string } } }).data.callback.id === row!.id,
    );
    const data = (delivery!.payload as { data: { callback: { phone: string }; leadId: string; dashboardUrl: string } })
      .data;
    expect(data.callback.phone).toBe(phone);
    expect(data.leadId).toBe(row!.leadId);
    expect(data.dashboardUrl).toMatch(/\/app\/sites\/demo\/callbacks#/);
    expect(realtime.pushes.find((push) => push.event === 'callback:new')?.payload).toMatchObject({
      id: row!.id,
      phone,
    });

    const status = (token: string) =>
      t.request('GET', `/v1/callbacks/${row!.id}?token=${token}`, { headers: { origin: testOrigin } });
    expect((await status('x'.repeat(43))).status).toBe(404); // someone else's token
    expect((await (await status(created.token)).json()).callback.status).toBe('pending');

    const taken = await t.request('POST', `/api/sites/${siteId}/callbacks/${row!.id}/take`, { headers: admin.headers });
    expect(taken.status).toBe(200);
    expect((await taken.json()).callback).toMatchObject({ status: 'calling', assignee: { id: admin.me.agent.id } });
    const seen = (await (await status(created.token)).json()).callback;
    expect(seen.status).toBe('calling');
    expect(seen.agentName).toEqual(expect.any(String));
  });

  it('refuses "now" when nobody can call, and a time outside the offered slots', async () => {
    const now = await request({ phone: freshPhone() });
    expect(now.status).toBe(409);
    expect((await now.json()).error.details).toEqual({ reason: 'no_agents' });
    const night = new Date(Date.now() + 86_400_000);
    night.setUTCHours(3, 0, 0, 0);
    const odd = await request({ phone: freshPhone(), at: night.toISOString() });
    expect(odd.status).toBe(400);
    const options = await (
      await t.request('GET', '/v1/sites/demo/callback-options', { headers: { origin: testOrigin } })
    ).json();
    const scheduled = await request({ phone: freshPhone(), at: options.slots[2].at });
    expect(scheduled.status).toBe(201);
    const body = await scheduled.json();
    expect(body.callback).toMatchObject({
      mode: 'scheduled',
      requestedAt: new Date(options.slots[2].at).toISOString(),
      countdownEndsAt: null,
    });
  });

  it("keeps the visitor's time zone with a booked callback's lead touch, so agents see the time in both clocks", async () => {
    const options = await (
      await t.request('GET', '/v1/sites/demo/callback-options', { headers: { origin: testOrigin } })
    ).json();
    const booked = await request({
      phone: freshPhone(),
      at: options.slots[3].at,
      timeZone: 'America/Argentina/Buenos_Aires',
    });
    expect(booked.status).toBe(201);
    const [row] = await t.db
      .select()
      .from(callbacksTable)
      .where(eq(callbacksTable.id, (await booked.json()).callback.id));
    const [touch] = await t.db.select().from(leadTouchesTable).where(eq(leadTouchesTable.leadId, row!.leadId!));
    expect(touch!.data).toMatchObject({
      mode: 'scheduled',
      requestedAt: new Date(options.slots[3].at).toISOString(),
      visitorTimeZone: 'America/Argentina/Buenos_Aires',
    });
    // Not a zone name: refused like any malformed field.
    expect(
      (await request({ phone: freshPhone(), at: options.slots[4].at, timeZone: 'Europe/London; drop' })).status,
    ).toBe(400);
  });

  it('allows 3 requests per phone per day: the 4th is 429 with Retry-After and stores nothing', async () => {
    agentOnline(admin.me.agent.id, 'Ada Admin');
    const phone = freshPhone();
    for (let i = 0; i < 3; i++) expect((await request({ phone })).status).toBe(201);
    const before = await stored();
    const deliveriesBefore = (await t.db.select({ n: count() }).from(webhookDeliveriesTable))[0]!.n;
    // Another address and a differently formatted number change nothing: the limit is on the E.164 number.
    const over = await request({ phone: `${phone.slice(0, 3)} ${phone.slice(3)}`.replace(/ /, '') });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(86_400);
    expect((await over.json()).error).toMatchObject({ code: 'rate_limited', details: { reason: 'phone_daily_limit' } });
    expect(await stored()).toBe(before);
    expect((await t.db.select({ n: count() }).from(webhookDeliveriesTable))[0]!.n).toBe(deliveriesBefore);
  });

  it('limits requests per IP per hour', async () => {
    agentOnline(admin.me.agent.id, 'Ada Admin');
    await setSettings({ limits: { ...defaultCallbackSettings.limits, perIpPerHour: 2 } });
    const address = nextIp();
    expect((await request({ phone: freshPhone() }, { ip: address })).status).toBe(201);
    expect((await request({ phone: freshPhone() }, { ip: address })).status).toBe(201);
    const before = await stored();
    const over = await request({ phone: freshPhone() }, { ip: address });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await stored()).toBe(before);
    expect((await request({ phone: freshPhone() })).status).toBe(201); // another address is fine
  });

  it('refuses a filled honeypot, a form sent too fast, a blocked prefix and an invalid number, storing nothing', async () => {
    agentOnline(admin.me.agent.id, 'Ada Admin');
    await setSettings({ blockedPrefixes: ['+1900'] });
    const before = await stored();
    const honeypot = await request({ phone: freshPhone(), website: 'http://spam.example' });
    expect(honeypot.status).toBe(400);
    const fast = await request({ phone: freshPhone(), formMs: 500 });
    expect(fast.status).toBe(429);
    expect(fast.headers.get('retry-after')).toBe('3');
    const blocked = await request({ phone: '+19005550123' });
    expect(blocked.status).toBe(403);
    expect((await blocked.json()).error.details).toEqual({ reason: 'blocked_prefix' });
    const invalid = await request({ phone: '+4912' });
    expect(invalid.status).toBe(400);
    const evil = await request({ phone: freshPhone() }, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    const huge = await request({ phone: freshPhone(), name: 'x'.repeat(9000) });
    expect(huge.status).toBe(413);
    expect(await stored()).toBe(before);
  });

  it('records outcomes: "no answer" with a retry goes back to the queue, "converted" finishes it, each on the lead timeline', async () => {
    agentOnline(admin.me.agent.id, 'Ada Admin');
    const { callback } = await (await request({ phone: freshPhone() })).json();
    const outcome = (body: unknown) =>
      t.request('POST', `/api/sites/${siteId}/callbacks/${callback.id}/outcome`, { headers: admin.headers, body });
    expect(
      (await outcome({ outcome: 'reached', retryAt: new Date(Date.now() + 3_600_000).toISOString() })).status,
    ).toBe(400);
    const retryAt = new Date(Date.now() + 3_600_000).toISOString();
    const retried = await outcome({ outcome: 'no_answer', note: 'Voicemail', retryAt });
    expect(retried.status).toBe(200);
    expect((await retried.json()).callback).toMatchObject({
      status: 'pending',
      outcome: 'no_answer',
      dueAt: new Date(retryAt).toISOString(),
      note: 'Voicemail',
      attempts: 1,
    });
    const done = await outcome({ outcome: 'converted', note: 'Ordered the blue one' });
    expect((await done.json()).callback).toMatchObject({ status: 'done', outcome: 'converted' });
    expect((await outcome({ outcome: 'reached' })).status).toBe(409);
    const [row] = await t.db.select().from(callbacksTable).where(eq(callbacksTable.id, callback.id));
    const touches = await t.db.select().from(leadTouchesTable).where(eq(leadTouchesTable.leadId, row!.leadId!));
    expect(touches.filter((touch) => touch.kind === 'callback.outcome')).toHaveLength(2);
    expect(touches.find((touch) => touch.kind === 'callback.outcome')?.data).toMatchObject({
      agentName: expect.any(String),
      outcome: expect.any(String),
    });
    const events = await t.db.select().from(callbackEventsTable).where(eq(callbackEventsTable.callbackId, callback.id));
    expect(events.map((event) => event.kind)).toEqual(['requested', 'assigned', 'outcome', 'outcome']);
    const updates = await t.db
      .select()
      .from(webhookDeliveriesTable)
      .where(eq(webhookDeliveriesTable.eventType, 'callback.updated'));
    expect(
      updates.some(
        (delivery) =>
          (delivery.payload as { data: { callback: { id: string; outcome: string } } }).data.callback.outcome ===
          'converted',
      ),
    ).toBe(true);
    const list: Callback[] = (
      await (await t.request('GET', `/api/sites/${siteId}/callbacks?status=done`, { headers: admin.headers })).json()
    ).callbacks;
    expect(list.map((item) => item.id)).toContain(callback.id);
  });

  it('SLA: flags a missed deadline once, reassigns it to an online agent, escalates and sends callback.overdue', async () => {
    agentOnline(admin.me.agent.id, 'Ada Admin');
    const { callback } = await (await request({ phone: freshPhone() })).json();
    const job = startSlaJob(
      { db: t.db, realtime, logger: createLogger('silent') },
      () => 'http://beckon.test',
      3_600_000,
    );
    try {
      expect(await job.runOnce(new Date(Date.now() + 60_000))).toBe(0); // not due yet
      const late = new Date(Date.now() + 6 * 60_000);
      expect(await job.runOnce(late)).toBeGreaterThanOrEqual(1);
      const [row] = await t.db.select().from(callbacksTable).where(eq(callbacksTable.id, callback.id));
      expect(row!.overdueAt?.getTime()).toBe(late.getTime());
      expect(row!.assigneeId).toBe(admin.me.agent.id);
      const escalation = realtime.pushes.find(
        (push) => push.event === 'callback:overdue' && (push.payload as Callback).id === callback.id,
      );
      expect(escalation?.payload).toMatchObject({ overdueAt: late.toISOString(), assignee: { id: admin.me.agent.id } });
      const overdue = await t.db
        .select()
        .from(webhookDeliveriesTable)
        .where(eq(webhookDeliveriesTable.eventType, 'callback.overdue'));
      expect(
        overdue.some(
          (delivery) => (delivery.payload as { data: { callback: { id: string } } }).data.callback.id === callback.id,
        ),
      ).toBe(true);
      const events = await t.db
        .select()
        .from(callbackEventsTable)
        .where(eq(callbackEventsTable.callbackId, callback.id));
      // Routed to Ada on arrival; overdue with nobody else online, it stays with her (never back to the same agent).
      expect(events.map((event) => event.kind)).toEqual(['requested', 'assigned', 'overdue']);
      // Once per deadline: a second sweep (another node) finds nothing to flag.
      expect(await job.runOnce(new Date(late.getTime() + 60_000))).toBe(0);
      // The job also drops per-phone counts of days that can no longer limit anything.
      await t.db.insert(callbackPhoneCountsTable).values({ siteId, phone: '+4930901820', day: '2020-01-01', count: 3 });
      await job.runOnce(new Date(Date.now() + 2 * 3_600_000));
      expect(
        await t.db.select().from(callbackPhoneCountsTable).where(eq(callbackPhoneCountsTable.day, '2020-01-01')),
      ).toEqual([]);
      expect((await t.db.select().from(callbackPhoneCountsTable)).length).toBeGreaterThan(0); // today's stay
    } finally {
      await job.stop();
    }
  });

  it('SLA: two nodes sweeping at once flag each overdue callback once, handing it from its agent to another online one', async () => {
    agentOnline(admin.me.agent.id, 'Ada Admin');
    const invite = await (
      await t.request('POST', '/api/agents/invites', {
        headers: admin.headers,
        body: { email: 'sla-agent@example.test', name: 'Sam Second', siteIds: [siteId] },
      })
    ).json();
    const token = new URL(invite.acceptUrl, 'http://x').searchParams.get('token');
    await t.request('POST', '/api/invites/accept', { body: { token, password: 'agent password 1' } });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await (await request({ phone: freshPhone() })).json()).callback.id);
    // Ada took them all and did not call: past the deadline they should go to Sam.
    for (const id of ids)
      expect(
        (await t.request('POST', `/api/sites/${siteId}/callbacks/${id}/take`, { headers: admin.headers })).status,
      ).toBe(200);
    await t.db.update(callbacksTable).set({ status: 'pending' }).where(inArray(callbacksTable.id, ids));
    realtime.online.set(
      siteId,
      new Map([
        [admin.me.agent.id, { name: 'Ada Admin', status: 'online' }],
        [invite.agent.id, { name: 'Sam Second', status: 'online' }],
      ]),
    );
    const deps = { db: t.db, realtime, logger: createLogger('silent') };
    const late = new Date(Date.now() + 6 * 60_000);
    const [first, second] = await Promise.all([
      sweepOverdue(deps, 'http://beckon.test', late, 4),
      sweepOverdue(deps, 'http://beckon.test', late, 4),
    ]);
    const third = await sweepOverdue(deps, 'http://beckon.test', late, 50);
    const flagged = [...first, ...second, ...third].map((row) => row.id).filter((id) => ids.includes(id));
    expect(flagged.sort()).toEqual([...ids].sort()); // each exactly once
    const rows = await t.db.select().from(callbacksTable).where(inArray(callbacksTable.id, ids));
    expect(rows.every((row) => row.assigneeId === invite.agent.id && row.overdueAt !== null)).toBe(true);
    const overdueEvents = await t.db
      .select()
      .from(callbackEventsTable)
      .where(and(inArray(callbackEventsTable.callbackId, ids), eq(callbackEventsTable.kind, 'overdue')));
    expect(overdueEvents).toHaveLength(ids.length);
    const webhooks = await t.db
      .select()
      .from(webhookDeliveriesTable)
      .where(eq(webhookDeliveriesTable.eventType, 'callback.overdue'));
    expect(
      webhooks.filter((delivery) =>
        ids.includes((delivery.payload as { data: { callback: { id: string } } }).data.callback.id),
      ),
    ).toHaveLength(ids.length);
  });

  it("keeps callbacks to members of the site: another site's agent gets 404", async () => {
    agentOnline(admin.me.agent.id, 'Ada Admin');
    const { callback } = await (await request({ phone: freshPhone() })).json();
    const other = (
      await (await t.request('POST', '/api/sites', { headers: admin.headers, body: { name: 'Other brand' } })).json()
    ).site;
    const invite = await (
      await t.request('POST', '/api/agents/invites', {
        headers: admin.headers,
        body: { email: 'cb-agent@example.test', name: 'Otto Other', siteIds: [other.id] },
      })
    ).json();
    const token = new URL(invite.acceptUrl, 'http://x').searchParams.get('token');
    await t.request('POST', '/api/invites/accept', { body: { token, password: 'agent password 1' } });
    const outsider = await t.login('cb-agent@example.test', 'agent password 1');
    expect((await t.request('GET', `/api/sites/${siteId}/callbacks`, { headers: outsider.headers })).status).toBe(404);
    expect(
      (await t.request('POST', `/api/sites/${siteId}/callbacks/${callback.id}/take`, { headers: outsider.headers }))
        .status,
    ).toBe(404);
    // Their own site's id does not reach this site's callback either.
    expect(
      (await t.request('POST', `/api/sites/${other.id}/callbacks/${callback.id}/take`, { headers: outsider.headers }))
        .status,
    ).toBe(404);
    expect((await t.request('GET', `/api/sites/${siteId}/callbacks`)).status).toBe(401);
  });
});
