import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createRealtime, type Realtime } from '../../realtime/realtime.js';
import {
  chatInvitationsTable,
  conversationEventsTable,
  conversationsTable,
  visitorPresenceTable,
  visitorsTable,
} from '../../db/schema.js';
import { createTestApp, databaseKinds, testOrigin, type TestApp } from '../../testing/harness.js';
import { agentOn, createSiteFor, pageview, sendBatch } from '../../testing/visitor-traffic.js';
import { resolveChatVisitor } from '../chat/service.js';
import { acceptInvitation } from '../invitations/index.js';

/** A realtime port that records what would be pushed (no sockets in these tests). */
function recordingRealtime() {
  const pushed: { to: string; event: string; payload: unknown }[] = [];
  const base = createRealtime();
  const realtime: Realtime = {
    ...base,
    toSite: (siteId, event, ...args) => void pushed.push({ to: `site:${siteId}`, event, payload: args[0] }),
    messageToSite: (siteId, message) =>
      void pushed.push({ to: `site:${siteId}`, event: 'messages:new', payload: message }),
    toVisitor: (chatVisitorId, event, ...args) =>
      void pushed.push({ to: `visitor:${chatVisitorId}`, event, payload: args[0] }),
  };
  return { realtime, pushed };
}

const rule = (overrides: Record<string, unknown> = {}) => ({
  name: 'Leaving pricing',
  conditions: { exitIntent: true, url: '*pricing*' },
  action: { kind: 'callback', message: 'Shall we call you?' },
  frequency: { kind: 'session' },
  ...overrides,
});

describe.each(databaseKinds)('triggers and invitations on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let site: { id: string; key: string };
  let other: { id: string; key: string };
  const recorder = recordingRealtime();

  beforeAll(async () => {
    t = await createTestApp(kind, { realtime: recorder.realtime });
    admin = await t.login();
    site = await createSiteFor(t, admin.headers, 'Trigger shop');
    other = await createSiteFor(t, admin.headers, 'Other shop');
  });
  afterAll(() => t?.dispose());

  const config = async (key: string) =>
    (await (await t.request('GET', `/v1/sites/${key}/config`, { headers: { origin: testOrigin } })).json()) as {
      triggers?: unknown[];
    };

  it('admins create, update and delete validated rules; the widget gets the enabled ones only, without names', async () => {
    expect((await config(site.key)).triggers).toBeUndefined();
    const created = await t.request('POST', `/api/sites/${site.id}/triggers`, { headers: admin.headers, body: rule() });
    expect(created.status).toBe(201);
    const { trigger } = (await created.json()) as { trigger: { id: string; frequency: unknown } };
    const disabled = await t.request('POST', `/api/sites/${site.id}/triggers`, {
      headers: admin.headers,
      body: rule({ name: 'Off', enabled: false, conditions: { timeOnPage: 5 } }),
    });
    expect(disabled.status).toBe(201);
    expect((await config(site.key)).triggers).toEqual([
      {
        id: trigger.id,
        conditions: { exitIntent: true, url: '*pricing*' },
        action: { kind: 'callback', message: 'Shall we call you?' },
        frequency: { kind: 'session' },
      },
    ]);

    const updated = await t.request('PUT', `/api/sites/${site.id}/triggers/${trigger.id}`, {
      headers: admin.headers,
      body: rule({ frequency: { kind: 'days', days: 7 } }),
    });
    expect(updated.status).toBe(200);
    expect(((await config(site.key)).triggers as { frequency: unknown }[])[0]!.frequency).toEqual({
      kind: 'days',
      days: 7,
    });

    const list = (await (
      await t.request('GET', `/api/sites/${site.id}/triggers`, { headers: admin.headers })
    ).json()) as { triggers: { name: string }[] };
    expect(list.triggers.map((x) => x.name)).toEqual(['Leaving pricing', 'Off']);
    expect(
      (await t.request('DELETE', `/api/sites/${site.id}/triggers/${trigger.id}`, { headers: admin.headers })).status,
    ).toBe(204);
    expect((await config(site.key)).triggers).toBeUndefined();
  });

  it('refuses rules without a condition, unknown conditions, an empty chat message and bad caps', async () => {
    const bad = [
      rule({ conditions: {} }),
      rule({ conditions: { exitIntent: true, scrollDepth: 50 } }),
      rule({ action: { kind: 'chat', message: '' } }),
      rule({ frequency: { kind: 'days', days: 0 } }),
      rule({ conditions: { timeOnPage: 99999 } }),
      rule({ name: 'x'.repeat(81) }),
    ];
    for (const body of bad)
      expect((await t.request('POST', `/api/sites/${site.id}/triggers`, { headers: admin.headers, body })).status).toBe(
        400,
      );
  });

  it('keeps a site at 20 rules', async () => {
    const site3 = await createSiteFor(t, admin.headers, 'Busy shop');
    for (let i = 0; i < 20; i++)
      expect(
        (
          await t.request('POST', `/api/sites/${site3.id}/triggers`, {
            headers: admin.headers,
            body: rule({ name: `r${i}` }),
          })
        ).status,
      ).toBe(201);
    const over = await t.request('POST', `/api/sites/${site3.id}/triggers`, { headers: admin.headers, body: rule() });
    expect(over.status).toBe(400);
  });

  it('scopes rules to the sites an agent sees; agents read, only admins write', async () => {
    const agent = await agentOn(t, admin.headers, 'trigger-agent@example.test', [site.id]);
    expect((await t.request('GET', `/api/sites/${site.id}/triggers`, { headers: agent })).status).toBe(200);
    expect((await t.request('GET', `/api/sites/${other.id}/triggers`, { headers: agent })).status).toBe(404);
    expect((await t.request('POST', `/api/sites/${site.id}/triggers`, { headers: agent, body: rule() })).status).toBe(
      403,
    );
    // An admin's rule on one site cannot be changed through another site's URL.
    const { trigger } = (await (
      await t.request('POST', `/api/sites/${site.id}/triggers`, { headers: admin.headers, body: rule() })
    ).json()) as { trigger: { id: string } };
    expect(
      (
        await t.request('PUT', `/api/sites/${other.id}/triggers/${trigger.id}`, {
          headers: admin.headers,
          body: rule(),
        })
      ).status,
    ).toBe(404);
    expect(
      (await t.request('DELETE', `/api/sites/${other.id}/triggers/${trigger.id}`, { headers: admin.headers })).status,
    ).toBe(404);
  });

  it('tells the loader when the visitor turned hot, in the collect answer', async () => {
    const visit = (events: unknown[]) =>
      sendBatch(t, { site: 'demo', visitorId: 'hot_visitor_1', sessionId: 'session_hot_1', events });
    const cold = (await (await visit([pageview('/')])).json()) as { hot?: number };
    expect(cold.hot).toBeUndefined();
    // The demo shop's rules: pricing and product pages, a callback form start — enough to turn hot.
    let answer: { hot?: number } = {};
    for (let i = 0; i < 8 && answer.hot === undefined; i++) {
      answer = (await (
        await visit([
          pageview('/pricing.html'),
          pageview('/products/espresso.html'),
          { id: `form_${i}_abcdefgh`, type: 'track', ts: Date.now(), url: `${testOrigin}/demo/`, name: 'add-to-cart' },
        ])
      ).json()) as { hot?: number };
    }
    expect(answer.hot).toBeGreaterThan(Date.now() - 60_000);
    const again = (await (await visit([pageview('/')])).json()) as { hot?: number };
    expect(again.hot).toBe(answer.hot); // the time it turned hot, not the time of this batch
  });

  it('an invitation goes to the visitor in the next ping or collect answer, is seen, accepted into a conversation assigned to the inviting agent', async () => {
    const agentHeaders = await agentOn(t, admin.headers, 'inviter@example.test', [site.id]);
    const visitorId = 'invited_visitor_1';
    await sendBatch(t, { site: site.key, visitorId, sessionId: 'session_inv_1', events: [pageview('/')] });
    // Tenancy: not through a site the agent cannot see; not for a visitor who never came.
    expect(
      (
        await t.request('POST', `/api/sites/${other.id}/invitations`, {
          headers: agentHeaders,
          body: { visitorId, message: 'Hi' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.request('POST', `/api/sites/${site.id}/invitations`, {
          headers: agentHeaders,
          body: { visitorId: 'never_came_1', message: 'Hi' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await t.request('POST', `/api/sites/${site.id}/invitations`, {
          headers: agentHeaders,
          body: { visitorId, message: '' },
        })
      ).status,
    ).toBe(400);

    const created = await t.request('POST', `/api/sites/${site.id}/invitations`, {
      headers: agentHeaders,
      body: { visitorId, message: '<b>Can I help</b> with sizes?' },
    });
    expect(created.status).toBe(201);
    const { invitation } = (await created.json()) as { invitation: { id: string; state: string; agentName: string } };
    expect(invitation.state).toBe('sent');
    expect(
      recorder.pushed.some(
        (p) => p.event === 'invitation:updated' && (p.payload as { id: string }).id === invitation.id,
      ),
    ).toBe(true);

    const ping = (visitor = visitorId) =>
      t.request('POST', '/v1/ping', {
        body: JSON.stringify({ site: site.key, visitorId: visitor }),
        headers: { origin: testOrigin, 'content-type': 'text/plain' },
      });
    expect(await (await ping('someone_else_1')).json()).toEqual({});
    expect(await (await ping()).json()).toEqual({
      invite: { id: invitation.id, agentName: 'Agent', message: '<b>Can I help</b> with sizes?' },
    });
    const collected = (await (
      await sendBatch(t, { site: site.key, visitorId, sessionId: 'session_inv_1', events: [pageview('/cart.html')] })
    ).json()) as { invite?: { id: string } };
    expect(collected.invite?.id).toBe(invitation.id);
    // The keepalive marks the visitor present (the Visitors list uses it).
    const [presence] = await t.db
      .select()
      .from(visitorPresenceTable)
      .where(and(eq(visitorPresenceTable.siteId, site.id), eq(visitorPresenceTable.visitorId, visitorId)));
    expect(presence).toBeDefined();
    // From another origin: refused.
    expect(
      (
        await t.request('POST', '/v1/ping', {
          body: JSON.stringify({ site: site.key, visitorId }),
          headers: { origin: 'https://evil.example' },
        })
      ).status,
    ).toBe(403);

    const report = (state: string, visitor = visitorId) =>
      t.request('POST', `/v1/invitations/${invitation.id}`, {
        body: JSON.stringify({ site: site.key, visitorId: visitor, state }),
        headers: { origin: testOrigin },
      });
    expect((await report('seen', 'someone_else_1')).status).toBe(404);
    expect(await (await report('seen')).json()).toEqual({ state: 'seen' });
    // Seen: no longer delivered.
    expect(await (await ping()).json()).toEqual({});

    const { visitor: chatVisitor } = await resolveChatVisitor(t.db, site.id, undefined, `${testOrigin}/`, visitorId);
    const { visitor: stranger } = await resolveChatVisitor(
      t.db,
      site.id,
      undefined,
      `${testOrigin}/`,
      'stranger_visitor_1',
    );
    await expect(
      acceptInvitation(
        { db: t.db, realtime: recorder.realtime, logger: console as never },
        site.id,
        stranger,
        invitation.id,
      ),
    ).rejects.toThrow(/not found/i);
    const accepted = await acceptInvitation(
      { db: t.db, realtime: recorder.realtime, logger: console as never },
      site.id,
      chatVisitor,
      invitation.id,
    );
    expect(accepted.messages).toMatchObject([
      { author: 'agent', text: '<b>Can I help</b> with sizes?', agent: { name: 'Agent' }, seq: 1 },
    ]);
    const [conversation] = await t.db
      .select()
      .from(conversationsTable)
      .where(eq(conversationsTable.id, accepted.conversationId));
    const me = (await (await t.request('GET', '/api/me', { headers: agentHeaders })).json()) as {
      agent: { id: string };
    };
    expect(conversation!.assigneeId).toBe(me.agent.id);
    const events = await t.db
      .select()
      .from(conversationEventsTable)
      .where(eq(conversationEventsTable.conversationId, accepted.conversationId));
    expect(events).toMatchObject([{ kind: 'assigned', toAgentId: me.agent.id, reason: 'invitation' }]);
    // Accepting twice (a retry) answers the same conversation.
    expect(
      (
        await acceptInvitation(
          { db: t.db, realtime: recorder.realtime, logger: console as never },
          site.id,
          chatVisitor,
          invitation.id,
        )
      ).conversationId,
    ).toBe(accepted.conversationId);

    const list = (await (
      await t.request('GET', `/api/sites/${site.id}/invitations`, { headers: agentHeaders })
    ).json()) as { invitations: { id: string; state: string; conversationId: string }[] };
    expect(list.invitations.find((x) => x.id === invitation.id)).toMatchObject({
      state: 'accepted',
      conversationId: accepted.conversationId,
    });
  });

  it('the keepalive keeps an idle reader on the Visitors list after their last event', async () => {
    const visitorId = 'idle_reader_1';
    const past = Date.now() - 10 * 60_000;
    await sendBatch(t, {
      site: site.key,
      visitorId,
      sessionId: 'session_idle_1',
      events: [pageview('/long-article', past)],
    });
    // The event is ten minutes old: the visitor left the 5-minute window…
    await t.db
      .update(visitorsTable)
      .set({ lastSeenAt: new Date(past) })
      .where(and(eq(visitorsTable.siteId, site.id), eq(visitorsTable.visitorId, visitorId)));
    const listed = async () =>
      (
        (await (await t.request('GET', `/api/sites/${site.id}/visitors`, { headers: admin.headers })).json()) as {
          visitors: { visitorId: string; lastSeenAt: string }[];
        }
      ).visitors.find((v) => v.visitorId === visitorId);
    expect(await listed()).toBeUndefined();
    // …until their visible tab pings.
    await t.request('POST', '/v1/ping', {
      body: JSON.stringify({ site: site.key, visitorId }),
      headers: { origin: testOrigin },
    });
    expect(Date.parse((await listed())!.lastSeenAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('an unanswered invitation expires, is no longer delivered and cannot be accepted; a newer one replaces it', async () => {
    const visitorId = 'invited_visitor_2';
    await sendBatch(t, { site: site.key, visitorId, sessionId: 'session_inv_2', events: [pageview('/')] });
    const invite = async (message: string) =>
      (
        (await (
          await t.request('POST', `/api/sites/${site.id}/invitations`, {
            headers: admin.headers,
            body: { visitorId, message },
          })
        ).json()) as { invitation: { id: string } }
      ).invitation;
    const first = await invite('First');
    const second = await invite('Second');
    const states = async () =>
      new Map(
        (await t.db.select().from(chatInvitationsTable).where(eq(chatInvitationsTable.visitorId, visitorId))).map(
          (row) => [row.id, row.state],
        ),
      );
    expect((await states()).get(first.id)).toBe('expired');
    await t.db
      .update(chatInvitationsTable)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(chatInvitationsTable.id, second.id));
    const ping = await t.request('POST', '/v1/ping', {
      body: JSON.stringify({ site: site.key, visitorId }),
      headers: { origin: testOrigin },
    });
    expect(await ping.json()).toEqual({});
    const list = (await (
      await t.request('GET', `/api/sites/${site.id}/invitations`, { headers: admin.headers })
    ).json()) as { invitations: { id: string; state: string }[] };
    expect(list.invitations.find((x) => x.id === second.id)?.state).toBe('expired');
    const { visitor } = await resolveChatVisitor(t.db, site.id, undefined, `${testOrigin}/`, visitorId);
    await expect(
      acceptInvitation(
        { db: t.db, realtime: recorder.realtime, logger: console as never },
        site.id,
        visitor,
        second.id,
      ),
    ).rejects.toThrow(/no longer open/);
  });
});
