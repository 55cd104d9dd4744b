import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/logger.js';
import { createMailer } from '../../lib/mailer.js';
import { createTestApp, databaseKinds, type TestApp } from '../../testing/harness.js';
import { startTestSmtp } from '../../testing/smtp.js';
import type { AppDeps } from '../../app-env.js';
import { emailInvite } from './routes.js';

describe.each(databaseKinds)('team invitations on %s', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  beforeAll(async () => {
    t = await createTestApp(kind);
    admin = await t.login();
  });
  afterAll(() => t?.dispose());

  const tokenOf = (acceptUrl: string) => new URL(acceptUrl, 'http://x').searchParams.get('token')!;

  it('invites an agent who sets a password once and is then logged in', async () => {
    const created = await t.request('POST', '/api/agents/invites', {
      headers: admin.headers,
      body: { email: 'Bob@Example.test', name: 'Bob', role: 'agent', siteIds: [admin.me.sites[0]!.id] },
    });
    expect(created.status).toBe(201);
    const invite = await created.json();
    expect(invite.agent.email).toBe('bob@example.test');
    const team = (await (await t.request('GET', '/api/agents', { headers: admin.headers })).json()).agents;
    expect(team.find((member: { email: string }) => member.email === 'bob@example.test')).toMatchObject({
      status: 'invited',
      siteIds: [admin.me.sites[0]!.id],
    });

    const cannotLoginYet = await t.request('POST', '/api/auth/login', {
      body: { email: 'bob@example.test', password: 'anything at all' },
    });
    expect(cannotLoginYet.status).toBe(401);

    const tooShort = await t.request('POST', '/api/invites/accept', {
      body: { token: tokenOf(invite.acceptUrl), password: 'short' },
    });
    expect(tooShort.status).toBe(400);
    const accepted = await t.request('POST', '/api/invites/accept', {
      body: { token: tokenOf(invite.acceptUrl), password: 'bobs password 1' },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('set-cookie')).toMatch(/^beckon_session=/);
    const reused = await t.request('POST', '/api/invites/accept', {
      body: { token: tokenOf(invite.acceptUrl), password: 'another password' },
    });
    expect(reused.status).toBe(404);
    await t.login('bob@example.test', 'bobs password 1');
  });

  it('refuses a duplicate email and unknown sites without creating anything', async () => {
    const duplicate = await t.request('POST', '/api/agents/invites', {
      headers: admin.headers,
      body: { email: 'admin@example.test', name: 'X' },
    });
    expect(duplicate.status).toBe(409);
    const unknownSite = await t.request('POST', '/api/agents/invites', {
      headers: admin.headers,
      body: { email: 'carol@example.test', name: 'Carol', siteIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(unknownSite.status).toBe(400);
    const team = (await (await t.request('GET', '/api/agents', { headers: admin.headers })).json()).agents;
    expect(team.some((member: { email: string }) => member.email === 'carol@example.test')).toBe(false);
  });

  it('changes which sites an agent sees', async () => {
    const site = (
      await (await t.request('POST', '/api/sites', { headers: admin.headers, body: { name: 'Second' } })).json()
    ).site;
    const invite = await (
      await t.request('POST', '/api/agents/invites', {
        headers: admin.headers,
        body: { email: 'dan@example.test', name: 'Dan' },
      })
    ).json();
    await t.request('POST', '/api/invites/accept', {
      body: { token: tokenOf(invite.acceptUrl), password: 'dans password 1' },
    });
    const updated = await t.request('PUT', `/api/agents/${invite.agent.id}/sites`, {
      headers: admin.headers,
      body: { siteIds: [site.id] },
    });
    expect(updated.status).toBe(200);
    expect((await updated.json()).agent.siteIds).toEqual([site.id]);
    const dan = await t.login('dan@example.test', 'dans password 1');
    expect(dan.me.sites.map((s) => s.id)).toEqual([site.id]);
  });
});

describe('team invitations by email', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp('pglite', {
      mailer: createMailer(smtp.url, 'Beckon <beckon@shop.test>', createLogger('silent')),
    });
  });
  afterAll(async () => {
    await t?.dispose();
    await smtp?.close();
  });

  it('emails the invite link to the teammate when SMTP is configured, and says so', async () => {
    const admin = await t.login();
    const created = await t.request('POST', '/api/agents/invites', {
      headers: admin.headers,
      body: { email: 'Cleo@Example.test', name: 'Cleo', role: 'agent' },
    });
    expect(created.status).toBe(201);
    const invite = await created.json();
    expect(invite.emailedTo).toBe('cleo@example.test');
    const [mail] = await smtp.mailTo('cleo@example.test');
    expect(mail!.data).toMatch(/Subject: Admin invited you to Beckon/);
    expect(mail!.data).toContain(`http://localhost${invite.acceptUrl}`);
    // The emailed link works like the copied one.
    const token = new URL(invite.acceptUrl, 'http://x').searchParams.get('token');
    expect(
      (await t.request('POST', '/api/invites/accept', { body: { token, password: 'cleo password 1' } })).status,
    ).toBe(200);
  });
});

describe('invitation email languages', () => {
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  beforeAll(async () => {
    smtp = await startTestSmtp();
  });
  afterAll(() => smtp?.close());

  it('writes the invitation in the inviter’s language when the invitee has none, and in the invitee’s when stored', async () => {
    const deps = {
      mailer: createMailer(smtp.url, 'Beckon <beckon@shop.test>', createLogger('silent')),
      logger: createLogger('silent'),
    } as unknown as AppDeps;
    const invite = {
      agent: { id: 'a1', email: 'liga@example.test', name: 'Līga', role: 'agent' as const },
      acceptUrl: '/app/accept-invite?token=t1',
      expiresAt: '2026-12-12T09:30:00.000Z',
    };
    expect(
      await emailInvite(deps, { name: 'Anna', language: 'lv' } as { name: string }, invite, 'https://beckon.test'),
    ).toBe('liga@example.test');
    const [mail] = await smtp.mailTo('liga@example.test');
    expect(mail!.data).toContain('Sveiki, Līga!');
    expect(mail!.data).toContain('Anna jūs aicina atbildēt uz tērzēšanām un atzvanīšanām Beckon.');
    expect(mail!.data).toContain('https://beckon.test/app/accept-invite?token=t1');
    expect(mail!.data).toContain('derīga līdz 2026. gada 12. dec. 09:30 UTC');

    const amharic = {
      ...invite,
      agent: { ...invite.agent, email: 'abebe@example.test', name: 'Abebe', language: 'am' },
    };
    await emailInvite(deps, { name: 'Anna', language: 'lv' } as { name: string }, amharic, 'https://beckon.test');
    const [second] = await smtp.mailTo('abebe@example.test');
    // Mostly non-Latin text goes out base64-encoded: read the body back.
    const [head, ...body] = second!.data.split('\r\n\r\n');
    const text = /Content-Transfer-Encoding: base64/i.test(head!)
      ? Buffer.from(body.join(''), 'base64').toString('utf8')
      : body.join('');
    expect(text).toContain('ሰላም Abebe፣');
    expect(text).toContain('Anna በBeckon ውስጥ ውይይቶችንና መልሶ መደወሎችን እንዲመልሱ ጋብዞዎታል።');
  });
});
