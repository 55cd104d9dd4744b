import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import type { AgentStatus, Callback, ConversationSummary, RoutingRuleInput, Temperature } from '@beckon/sdk/protocol';
import {
  callbackEventsTable,
  callbacksTable,
  chatVisitorsTable,
  conversationEventsTable,
  conversationsTable,
  visitorsTable,
} from '../../db/schema.js';
import { createLogger } from '../../lib/logger.js';
import { createRealtime } from '../../realtime/realtime.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { welcomeConversations } from '../chat/chat.js';
import { appendMessage, closeConversation, resolveChatVisitor, startConversation } from '../chat/service.js';
import { callbackRoutedWork, sweepOverdue } from '../callbacks/service.js';
import { chatRoutedWork } from '../chat/routing-jobs.js';
import { applyTemperatureChange, sweepRouting } from './jobs.js';

const work = [chatRoutedWork, callbackRoutedWork];
const sweepUnanswered = (deps: Parameters<typeof sweepRouting>[0], now: Date) => sweepRouting(deps, work, now);

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
    // Summaries are batched per turn in the real one; here each is recorded as it is queued.
    conversationToSite: (siteId: string, payload: unknown) =>
      void pushes.push({ siteId, event: 'conversations:updated', payload }),
  });
}

let counter = 0;
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString().padStart(4, '0')}`;

describe.each(databaseKinds)('routing on %s', (kind) => {
  let t: TestApp;
  let realtime: ReturnType<typeof fakeRealtime>;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let siteId: string;
  const agents: Record<'ann' | 'bob' | 'cy', { id: string; name: string }> = {} as never;
  let salesTeamId: string;
  const deps = () => ({ db: t.db, realtime, logger: createLogger('silent') });

  async function invite(email: string, name: string, siteIds: string[]) {
    const invited = await (
      await t.request('POST', '/api/agents/invites', { headers: admin.headers, body: { email, name, siteIds } })
    ).json();
    const token = new URL(invited.acceptUrl, 'http://x').searchParams.get('token');
    await t.request('POST', '/api/invites/accept', { body: { token, password: 'agent password 1' } });
    return invited.agent.id as string;
  }
  const setOnline = (...names: ('ann' | 'bob' | 'cy')[]) =>
    realtime.online.set(
      siteId,
      new Map(names.map((name) => [agents[name].id, { name: agents[name].name, status: 'online' as const }])),
    );
  const saveRules = async (rules: RoutingRuleInput[], unansweredChatSeconds = 120) => {
    const response = await t.request('PUT', `/api/sites/${siteId}/routing`, {
      headers: admin.headers,
      body: { rules, unansweredChatSeconds },
    });
    expect(response.status).toBe(200);
    return (await response.json()).settings;
  };
  /** A tracker visitor the scoring has already judged. */
  async function trackedVisitor(temperature: Temperature, url = 'https://shop.example/pricing') {
    const visitorId = unique('v_');
    await t.db
      .insert(visitorsTable)
      .values({ siteId, visitorId, firstSeenAt: new Date(), lastSeenAt: new Date(), temperature, currentUrl: url });
    return visitorId;
  }
  /** A visitor's first chat message, welcomed (routed) like the socket path does it. */
  async function chat({
    visitorId,
    token,
    url = 'https://shop.example/',
    language = 'en-us',
  }: {
    visitorId?: string;
    token?: string;
    url?: string;
    language?: string;
  } = {}) {
    const { visitor, token: issued } = await resolveChatVisitor(t.db, siteId, token, url, visitorId, language);
    const started = await startConversation(t.db, {
      siteId,
      chatVisitorId: visitor.id,
      channel: 'chat',
      clientId: unique('c_'),
      text: 'Hello',
      autoReply: null,
    });
    await welcomeConversations(deps(), siteId, [
      { conversation: started!.conversation, visitor, firstMessage: started!.messages[0]!, assign: true },
    ]);
    const [row] = await t.db
      .select()
      .from(conversationsTable)
      .where(eq(conversationsTable.id, started!.conversation.id));
    return { row: row!, token: issued, chatVisitorId: visitor.id };
  }
  const lastEvent = async (conversationId: string) =>
    (
      await t.db
        .select()
        .from(conversationEventsTable)
        .where(eq(conversationEventsTable.conversationId, conversationId))
    ).at(-1)!;
  const closeAll = async () => {
    const open = await t.db
      .select({ id: conversationsTable.id })
      .from(conversationsTable)
      .where(eq(conversationsTable.status, 'open'));
    for (const { id } of open) await closeConversation(t.db, id, null, 'test cleanup');
    await t.db.update(callbacksTable).set({ status: 'done' });
  };

  beforeAll(async () => {
    realtime = fakeRealtime();
    t = await createTestApp(kind, { realtime });
    admin = await t.login();
    siteId = admin.me.sites[0]!.id;
    for (const name of ['ann', 'bob', 'cy'] as const)
      agents[name] = {
        id: await invite(`${name}@routing.test`, name.toUpperCase(), [siteId]),
        name: name.toUpperCase(),
      };
    const created = await t.request('POST', `/api/sites/${siteId}/teams`, {
      headers: admin.headers,
      body: { name: 'Sales', agentIds: [agents.ann.id, agents.bob.id] },
    });
    expect(created.status).toBe(201);
    salesTeamId = (await created.json()).team.id;
  });
  afterAll(() => t?.dispose());
  beforeEach(async () => {
    realtime.online.clear();
    realtime.pushes.length = 0;
    await closeAll();
    await saveRules([]);
  });

  it('admins manage teams and rules; rule ids stay across edits; bad targets are refused', async () => {
    const renamed = await t.request('PUT', `/api/sites/${siteId}/teams/${salesTeamId}`, {
      headers: admin.headers,
      body: { name: 'Sales', agentIds: [agents.ann.id, agents.bob.id] },
    });
    expect((await renamed.json()).team.members.map((m: { id: string }) => m.id).sort()).toEqual(
      [agents.ann.id, agents.bob.id].sort(),
    );
    const first = await saveRules([
      {
        name: 'Hot → Sales',
        conditions: { temperatures: ['hot'] },
        target: { kind: 'team', teamId: salesTeamId },
        strategy: 'least_busy',
      },
    ]);
    expect(first.rules[0].id).toMatch(/^rr_/);
    const again = await saveRules(first.rules);
    expect(again.rules[0].id).toBe(first.rules[0].id);
    const read = await (await t.request('GET', `/api/sites/${siteId}/routing`, { headers: admin.headers })).json();
    expect(read.teams.map((team: { name: string }) => team.name)).toContain('Sales');
    expect(read.agents.map((agent: { id: string }) => agent.id)).toEqual(
      expect.arrayContaining([agents.ann.id, agents.bob.id, agents.cy.id]),
    );
    // A team of another site, or an unknown agent, is not a target here.
    const bad = await t.request('PUT', `/api/sites/${siteId}/routing`, {
      headers: admin.headers,
      body: {
        rules: [{ name: 'x', target: { kind: 'agent', agentId: '00000000-0000-4000-8000-000000000000' } }],
        unansweredChatSeconds: 60,
      },
    });
    expect(bad.status).toBe(400);
    // A team a rule uses cannot be deleted; duplicate names are refused.
    expect(
      (await t.request('DELETE', `/api/sites/${siteId}/teams/${salesTeamId}`, { headers: admin.headers })).status,
    ).toBe(409);
    expect(
      (await t.request('POST', `/api/sites/${siteId}/teams`, { headers: admin.headers, body: { name: 'sales' } }))
        .status,
    ).toBe(409);
    const temp = await (
      await t.request('POST', `/api/sites/${siteId}/teams`, { headers: admin.headers, body: { name: 'Temp' } })
    ).json();
    expect(
      (await t.request('DELETE', `/api/sites/${siteId}/teams/${temp.team.id}`, { headers: admin.headers })).status,
    ).toBe(204);
  });

  it("tenancy: another site's agent gets 404 for rules and teams; agents read but cannot edit", async () => {
    const other = (
      await (
        await t.request('POST', '/api/sites', { headers: admin.headers, body: { name: 'Test site: other brand' } })
      ).json()
    ).site;
    await invite('outsider@routing.test', 'Otto', [other.id]);
    const outsider = await t.login('outsider@routing.test', 'agent password 1');
    expect((await t.request('GET', `/api/sites/${siteId}/routing`, { headers: outsider.headers })).status).toBe(404);
    expect((await t.request('GET', `/api/sites/${siteId}/teams`, { headers: outsider.headers })).status).toBe(404);
    expect(
      (
        await t.request('PUT', `/api/sites/${siteId}/routing`, {
          headers: outsider.headers,
          body: { rules: [], unansweredChatSeconds: 0 },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.request('PUT', `/api/sites/${siteId}/teams/${salesTeamId}`, {
          headers: outsider.headers,
          body: { name: 'Mine' },
        })
      ).status,
    ).toBe(404);
    expect(
      (await t.request('DELETE', `/api/sites/${siteId}/teams/${salesTeamId}`, { headers: outsider.headers })).status,
    ).toBe(404);
    // Their own site's id does not reach this site's team.
    const viaOwn = await (await t.request('GET', `/api/sites/${other.id}/routing`, { headers: admin.headers })).json();
    expect(viaOwn.teams).toEqual([]);
    expect(
      (
        await t.request('PUT', `/api/sites/${other.id}/teams/${salesTeamId}`, {
          headers: admin.headers,
          body: { name: 'x' },
        })
      ).status,
    ).toBe(404);
    // An admin cannot put another site's agent into this site's team.
    const stranger = await t.request('POST', `/api/sites/${siteId}/teams`, {
      headers: admin.headers,
      body: { name: 'Mixed', agentIds: [outsider.me.agent.id] },
    });
    expect(stranger.status).toBe(400);
    const member = await t.login('ann@routing.test', 'agent password 1');
    expect((await t.request('GET', `/api/sites/${siteId}/routing`, { headers: member.headers })).status).toBe(200);
    expect(
      (
        await t.request('PUT', `/api/sites/${siteId}/routing`, {
          headers: member.headers,
          body: { rules: [], unansweredChatSeconds: 0 },
        })
      ).status,
    ).toBe(403);
  });

  it('a hot chat goes to the team by the first matching rule, and the assignment records the rule', async () => {
    const [rule] = (
      await saveRules([
        {
          name: 'Hot → Sales',
          conditions: { temperatures: ['hot'] },
          target: { kind: 'team', teamId: salesTeamId },
          strategy: 'round_robin',
        },
      ])
    ).rules;
    setOnline('ann', 'bob', 'cy');
    const hot = await chat({ visitorId: await trackedVisitor('hot') });
    expect([agents.ann.id, agents.bob.id]).toContain(hot.row.assigneeId);
    expect(hot.row.routing).toEqual({
      kind: 'rule',
      ruleId: rule.id,
      ruleName: 'Hot → Sales',
      strategy: 'round_robin',
    });
    expect(hot.row.temperature).toBe('hot');
    expect(await lastEvent(hot.row.id)).toMatchObject({
      kind: 'assigned',
      toAgentId: hot.row.assigneeId,
      routing: hot.row.routing,
    });
    const pushed = realtime.pushes
      .filter((push) => push.event === 'conversations:updated')
      .map((push) => push.payload as ConversationSummary);
    expect(pushed.find((summary) => summary.id === hot.row.id)).toMatchObject({
      routing: hot.row.routing,
      temperature: 'hot',
    });
    // The detail view carries the decision with the event.
    const detail = await (
      await t.request('GET', `/api/conversations/${hot.row.id}`, { headers: admin.headers })
    ).json();
    expect(detail.events.at(-1).routing).toEqual(hot.row.routing);
    // A cold visitor matches no rule: round-robin over everyone online.
    const cold = await chat({ visitorId: await trackedVisitor('cold') });
    expect(cold.row.routing).toEqual({ kind: 'default', strategy: 'round_robin' });
  });

  it('page, language and source conditions pick their rules', async () => {
    const referred = await trackedVisitor('cold');
    await t.db.execute(
      // A visit from a partner site: the source the rule looks at.
      (await import('drizzle-orm'))
        .sql`insert into visitor_sessions (site_id, visitor_id, number, started_at, last_seen_at, referrer_domain) values (${siteId}::uuid, ${referred}, 1, now(), now(), 'blog.partner.example')`,
    );
    await saveRules([
      { name: 'German → Cy', conditions: { languages: ['de'] }, target: { kind: 'agent', agentId: agents.cy.id } },
      {
        name: 'Partner → Bob',
        conditions: { source: { kind: 'referrer', value: 'partner.example' } },
        target: { kind: 'agent', agentId: agents.bob.id },
      },
      {
        name: 'Pricing → Ann',
        conditions: { page: '*pricing*', channel: 'chat' },
        target: { kind: 'agent', agentId: agents.ann.id },
      },
    ]);
    setOnline('ann', 'bob', 'cy');
    expect((await chat({ language: 'de-at' })).row.assigneeId).toBe(agents.cy.id);
    expect((await chat({ visitorId: referred })).row.assigneeId).toBe(agents.bob.id);
    expect((await chat({ url: 'https://shop.example/pricing?plan=pro' })).row).toMatchObject({
      assigneeId: agents.ann.id,
      routing: { ruleName: 'Pricing → Ann' },
    });
  });

  it('least busy picks the agent with the fewest open chats and callbacks; round-robin takes turns', async () => {
    await saveRules([
      {
        name: 'Hot → Sales',
        conditions: { temperatures: ['hot'] },
        target: { kind: 'team', teamId: salesTeamId },
        strategy: 'least_busy',
      },
    ]);
    setOnline('ann');
    await chat();
    await chat();
    // Ann holds two open chats; Bob comes online holding one open callback.
    await t.db.insert(callbacksTable).values({
      siteId,
      phone: '+4930901820',
      mode: 'now',
      requestedAt: new Date(),
      dueAt: new Date(Date.now() + 600_000),
      visitorTokenHash: unique('h'),
      assigneeId: agents.bob.id,
    });
    setOnline('ann', 'bob');
    const first = await chat({ visitorId: await trackedVisitor('hot') });
    expect(first.row).toMatchObject({ assigneeId: agents.bob.id, routing: { strategy: 'least_busy' } });
    // Now 2 : 2 — a tie goes to whoever waited longest for an assignment (Ann).
    const second = await chat({ visitorId: await trackedVisitor('hot') });
    expect(second.row.assigneeId).toBe(agents.ann.id);

    await closeAll();
    await saveRules([
      {
        name: 'Hot → Sales',
        conditions: { temperatures: ['hot'] },
        target: { kind: 'team', teamId: salesTeamId },
        strategy: 'round_robin',
      },
    ]);
    const turns = [];
    for (let i = 0; i < 4; i++) turns.push((await chat({ visitorId: await trackedVisitor('hot') })).row.assigneeId);
    expect(turns[0]).not.toBe(turns[1]);
    expect(turns[2]).toBe(turns[0]);
    expect(turns[3]).toBe(turns[1]);
  });

  it('least busy counts open work on every site the agent serves: busy on another site is not least busy here', async () => {
    await saveRules([
      {
        name: 'Hot → Sales',
        conditions: { temperatures: ['hot'] },
        target: { kind: 'team', teamId: salesTeamId },
        strategy: 'least_busy',
      },
    ]);
    const other = (
      await (
        await t.request('POST', '/api/sites', { headers: admin.headers, body: { name: 'Test site: second brand' } })
      ).json()
    ).site as { id: string };
    const serve = async (name: 'ann' | 'bob', siteIds: string[]) =>
      expect(
        (await t.request('PUT', `/api/agents/${agents[name].id}/sites`, { headers: admin.headers, body: { siteIds } }))
          .status,
      ).toBe(200);
    await serve('ann', [siteId, other.id]);
    await serve('bob', [siteId, other.id]);
    // Ann holds one open chat here; Bob two open chats and an open callback on the other site, none here.
    setOnline('ann');
    expect((await chat()).row.assigneeId).toBe(agents.ann.id);
    for (let i = 0; i < 2; i++) {
      const [visitor] = await t.db
        .insert(chatVisitorsTable)
        .values({ siteId: other.id, tokenHash: unique('h'), trackerVisitorIds: [] })
        .returning();
      await t.db
        .insert(conversationsTable)
        .values({ siteId: other.id, chatVisitorId: visitor!.id, assigneeId: agents.bob.id, assignedAt: new Date() });
    }
    await t.db.insert(callbacksTable).values({
      siteId: other.id,
      phone: '+4930901821',
      mode: 'now',
      requestedAt: new Date(),
      dueAt: new Date(Date.now() + 600_000),
      visitorTokenHash: unique('h'),
      assigneeId: agents.bob.id,
    });

    setOnline('ann', 'bob');
    // 1 (Ann) against 3 (Bob, all elsewhere): Ann, although Bob has nothing on this site.
    expect((await chat({ visitorId: await trackedVisitor('hot') })).row).toMatchObject({
      assigneeId: agents.ann.id,
      routing: { strategy: 'least_busy' },
    });
    // Work on a site Bob no longer serves is not his load: he cannot see it.
    await serve('bob', [siteId]);
    expect((await chat({ visitorId: await trackedVisitor('hot') })).row.assigneeId).toBe(agents.bob.id);
    await serve('ann', [siteId]);
  });

  it('falls through to the next rule when nobody of the target is online, and to the default after the last', async () => {
    await saveRules([
      { name: 'Hot → Sales', conditions: { temperatures: ['hot'] }, target: { kind: 'team', teamId: salesTeamId } },
      { name: 'Hot → Bob', conditions: { temperatures: ['hot'] }, target: { kind: 'agent', agentId: agents.bob.id } },
    ]);
    setOnline('cy');
    const hot = await chat({ visitorId: await trackedVisitor('hot') });
    expect(hot.row).toMatchObject({ assigneeId: agents.cy.id, routing: { kind: 'default' } });
    realtime.online.clear();
    const waiting = await chat({ visitorId: await trackedVisitor('hot') });
    expect(waiting.row).toMatchObject({ assigneeId: null, routing: null, temperature: 'hot' });
  });

  it('is sticky: a returning chat visitor, or the same lead, goes to the agent who handled them if that agent is online', async () => {
    await saveRules([
      { name: 'Hot → Sales', conditions: { temperatures: ['hot'] }, target: { kind: 'team', teamId: salesTeamId } },
    ]);
    setOnline('bob', 'cy');
    const first = await chat();
    const agentBefore = first.row.assigneeId;
    await closeConversation(t.db, first.row.id, null, 'done');
    const again = await chat({ token: first.token });
    expect(again.row).toMatchObject({ assigneeId: agentBefore, routing: { kind: 'sticky' } });
    // Hot now: the rule's team holds Bob, so only Bob is sticky inside it.
    await closeConversation(t.db, again.row.id, null, 'done');
    await t.db
      .update(chatVisitorsTable)
      .set({ lastAgentId: agents.bob.id })
      .where(eq(chatVisitorsTable.id, first.chatVisitorId));
    const hot = await chat({ token: first.token, visitorId: await trackedVisitor('hot') });
    expect(hot.row).toMatchObject({ assigneeId: agents.bob.id, routing: { kind: 'sticky', ruleName: 'Hot → Sales' } });

    // The same person by phone (one lead): their second callback goes to the agent of the first.
    const phone = '+4915112777001';
    const post = () =>
      t.request('POST', '/v1/callbacks', {
        body: { site: 'demo', formMs: 8000, phone },
        headers: { origin: testOrigin },
        ip: `198.51.100.${++counter % 250}`,
      });
    const one = (await (await post()).json()).callback.id;
    const [firstCallback] = await t.db.select().from(callbacksTable).where(eq(callbacksTable.id, one));
    const handler = firstCallback!.assigneeId!;
    const two = (await (await post()).json()).callback.id;
    const [secondCallback] = await t.db.select().from(callbacksTable).where(eq(callbacksTable.id, two));
    expect(secondCallback).toMatchObject({ assigneeId: handler, routing: { kind: 'sticky' } });
  });

  it('orders Unassigned and the callback queue hot first, then warm, then cold, then by waiting time', async () => {
    const started: Record<string, string> = {};
    for (const temperature of ['cold', 'hot', 'warm', 'hot'] as const) {
      const { row } = await chat({ visitorId: await trackedVisitor(temperature) });
      started[row.id] = temperature;
    }
    const list = await (
      await t.request('GET', `/api/conversations?siteId=${siteId}&view=unassigned`, { headers: admin.headers })
    ).json();
    const order = (list.conversations as ConversationSummary[]).filter((c) => started[c.id]);
    expect(order.map((c) => c.temperature)).toEqual(['hot', 'hot', 'warm', 'cold']);
    expect(new Date(order[0]!.createdAt).getTime()).toBeLessThanOrEqual(new Date(order[1]!.createdAt).getTime());

    const ids: string[] = [];
    setOnline('cy'); // "call me now" needs someone online
    for (const temperature of ['warm', 'cold', 'hot'] as const) {
      const visitorId = await trackedVisitor(temperature);
      const response = await t.request('POST', '/v1/callbacks', {
        body: { site: 'demo', formMs: 8000, phone: `+49151127771${ids.length}0`, visitorId, at: undefined },
        headers: { origin: testOrigin },
        ip: `198.51.100.${200 + ids.length}`,
      });
      ids.push((await response.json()).callback?.id);
    }
    expect(ids.every(Boolean)).toBe(true);
    const queue = (await (await t.request('GET', `/api/sites/${siteId}/callbacks`, { headers: admin.headers })).json())
      .callbacks as Callback[];
    expect(queue.filter((callback) => ids.includes(callback.id)).map((callback) => callback.temperature)).toEqual([
      'hot',
      'warm',
      'cold',
    ]);
  });

  it('reassigns a chat its agent left unanswered past the limit, never back to the same agent, recording why', async () => {
    await saveRules(
      [{ name: 'Hot → Sales', conditions: { temperatures: ['hot'] }, target: { kind: 'team', teamId: salesTeamId } }],
      120,
    );
    setOnline('ann');
    const hotVisitor = await trackedVisitor('hot');
    const unanswered = await chat({ visitorId: hotVisitor });
    const answered = await chat({ visitorId: await trackedVisitor('hot') });
    // (Starting a chat is itself a scoring signal that rescored the hand-made visitor row; keep it hot.)
    await t.db
      .update(visitorsTable)
      .set({ temperature: 'hot' })
      .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, hotVisitor)));
    expect(unanswered.row.assigneeId).toBe(agents.ann.id);
    await appendMessage(t.db, {
      conversationId: answered.row.id,
      clientId: unique('a_'),
      author: 'agent',
      agentId: agents.ann.id,
      text: 'Hi, how can I help?',
    });
    const late = new Date(Date.now() + 130_000);
    // Nobody else is online: it stays with Ann.
    expect(await sweepUnanswered(deps(), late)).toBe(0);
    // Not yet past the limit: nothing moves.
    setOnline('ann', 'bob');
    expect(await sweepUnanswered(deps(), new Date(Date.now() + 60_000))).toBe(0);
    // Two nodes at once move it once.
    const [a, b] = await Promise.all([sweepUnanswered(deps(), late), sweepUnanswered(deps(), late)]);
    expect(a + b).toBe(1);
    const [moved] = await t.db.select().from(conversationsTable).where(eq(conversationsTable.id, unanswered.row.id));
    expect(moved).toMatchObject({ assigneeId: agents.bob.id, routing: { kind: 'rule', ruleName: 'Hot → Sales' } });
    expect(await lastEvent(unanswered.row.id)).toMatchObject({
      kind: 'reassigned',
      fromAgentId: agents.ann.id,
      toAgentId: agents.bob.id,
      reason: 'no reply within 120 s: reassigned',
    });
    const [kept] = await t.db.select().from(conversationsTable).where(eq(conversationsTable.id, answered.row.id));
    expect(kept!.assigneeId).toBe(agents.ann.id);
    // The clock restarted for Bob.
    expect(await sweepUnanswered(deps(), new Date(Date.now() + 60_000))).toBe(0);
    // 0 turns it off.
    await saveRules([], 0);
    expect(await sweepUnanswered(deps(), new Date(Date.now() + 10 * 60_000))).toBe(0);
  });

  it('callbacks are routed by callback rules on arrival, and the SLA sweep reassigns by the same rules', async () => {
    const [rule] = (
      await saveRules([
        {
          name: 'Callbacks → Sales',
          conditions: { channel: 'callback' },
          target: { kind: 'team', teamId: salesTeamId },
          strategy: 'least_busy',
        },
      ])
    ).rules;
    setOnline('ann', 'cy');
    const response = await t.request('POST', '/v1/callbacks', {
      body: { site: 'demo', formMs: 8000, phone: '+4915112888001' },
      headers: { origin: testOrigin, 'accept-language': 'de-DE,de;q=0.9' },
      ip: '198.51.100.77',
    });
    expect(response.status).toBe(201);
    const id = (await response.json()).callback.id;
    const [row] = await t.db.select().from(callbacksTable).where(eq(callbacksTable.id, id));
    expect(row).toMatchObject({
      assigneeId: agents.ann.id,
      status: 'pending',
      language: 'de-de',
      routing: { kind: 'rule', ruleId: rule.id, strategy: 'least_busy' },
    });
    const pushed = realtime.pushes.find((push) => push.event === 'callback:new')?.payload as Callback;
    expect(pushed.routing).toMatchObject({ ruleName: 'Callbacks → Sales' });
    const [assigned] = await t.db
      .select()
      .from(callbackEventsTable)
      .where(and(eq(callbackEventsTable.callbackId, id), eq(callbackEventsTable.kind, 'assigned')));
    expect(assigned!.detail).toMatchObject({ routing: { ruleId: rule.id } });
    // Overdue: away from Ann, to Bob (the team's other agent), not to Cy who is outside the team.
    setOnline('ann', 'bob', 'cy');
    await sweepOverdue(deps(), 'http://beckon.test', new Date(Date.now() + 10 * 60_000));
    const [after] = await t.db.select().from(callbacksTable).where(eq(callbacksTable.id, id));
    expect(after).toMatchObject({ assigneeId: agents.bob.id, routing: { ruleName: 'Callbacks → Sales' } });
    const events = await t.db
      .select()
      .from(callbackEventsTable)
      .where(and(eq(callbackEventsTable.callbackId, id), inArray(callbackEventsTable.kind, ['reassigned'])));
    expect(events[0]).toMatchObject({
      toAgentId: agents.bob.id,
      detail: { fromAgentId: agents.ann.id, reason: 'overdue', routing: { ruleId: rule.id } },
    });
  });

  it("a visitor turning hot re-orders their waiting chat and routes it to the rule's team", async () => {
    await saveRules([
      { name: 'Hot → Sales', conditions: { temperatures: ['hot'] }, target: { kind: 'team', teamId: salesTeamId } },
    ]);
    const visitorId = await trackedVisitor('warm');
    const waiting = await chat({ visitorId });
    expect(waiting.row).toMatchObject({ assigneeId: null, temperature: 'warm' });
    setOnline('bob', 'cy');
    await t.db
      .update(visitorsTable)
      .set({ temperature: 'hot' })
      .where(and(eq(visitorsTable.siteId, siteId), eq(visitorsTable.visitorId, visitorId)));
    realtime.pushes.length = 0;
    await applyTemperatureChange(deps(), work, {
      siteId,
      visitorId,
      previous: 'warm',
      temperature: 'hot',
      score: 80,
      explanation: [],
      at: new Date().toISOString(),
    } as never);
    const [row] = await t.db.select().from(conversationsTable).where(eq(conversationsTable.id, waiting.row.id));
    expect(row).toMatchObject({
      assigneeId: agents.bob.id,
      temperature: 'hot',
      routing: { kind: 'rule', ruleName: 'Hot → Sales' },
    });
    expect(await lastEvent(row!.id)).toMatchObject({ kind: 'assigned', reason: 'visitor turned hot: routed again' });
    const summary = realtime.pushes.find((push) => push.event === 'conversations:updated')
      ?.payload as ConversationSummary;
    expect(summary).toMatchObject({ id: row!.id, temperature: 'hot', assignee: { id: agents.bob.id } });
  });
});
