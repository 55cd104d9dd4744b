import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { agentsTable, feedbackTable, reportDigestsTable } from '../../db/schema.js';
import { createLogger } from '../../lib/logger.js';
import { createMailer, type Mailer } from '../../lib/mailer.js';
import { createTestApp, type TestApp } from '../../testing/harness.js';
import { startTestSmtp } from '../../testing/smtp.js';
import { digestPeriod, sendDueDigests } from './digest.js';
import { rebuildSiteRollups } from './refresh.js';

describe('digest periods', () => {
  it('daily: the local day before, from 07:00 local (Riga, across the DST change)', () => {
    // 2026-03-29 is 23 hours long in Riga; 07:00 EEST on the 30th is 04:00 UTC.
    expect(digestPeriod('daily', 'Europe/Riga', new Date('2026-03-30T03:59:00Z'))).toBeNull();
    expect(digestPeriod('daily', 'Europe/Riga', new Date('2026-03-30T04:00:00Z'))).toEqual({
      key: 'daily:2026-03-29',
      from: '2026-03-29',
      to: '2026-03-29',
    });
    // 23:30 UTC on the 29th is already 02:30 on the 30th in Riga but before 07:00: nothing yet.
    expect(digestPeriod('daily', 'Europe/Riga', new Date('2026-03-29T23:30:00Z'))).toBeNull();
  });

  it('weekly: the Monday–Sunday week before, from Monday 07:00 local, any later day of the week too', () => {
    expect(digestPeriod('weekly', 'Europe/Riga', new Date('2026-04-06T03:00:00Z'))).toBeNull();
    const monday = digestPeriod('weekly', 'Europe/Riga', new Date('2026-04-06T05:00:00Z'));
    expect(monday).toEqual({ key: 'weekly:2026-03-30', from: '2026-03-30', to: '2026-04-05' });
    expect(digestPeriod('weekly', 'Europe/Riga', new Date('2026-04-09T12:00:00Z'))).toEqual(monday);
    expect(digestPeriod('weekly', 'Not/AZone', new Date('2026-04-09T12:00:00Z'))).toBeNull();
  });
});

describe('digest email', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  let mailer: Mailer;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  const deps = () => ({ db: t.db, config: t.config, logger: createLogger('silent'), mailer });

  beforeAll(async () => {
    smtp = await startTestSmtp();
    mailer = createMailer(smtp.url, 'Beckon <beckon@shop.test>', createLogger('silent'))!;
    t = await createTestApp('pglite', { mailer });
    admin = await t.login();
    const siteId = admin.me.sites[0]!.id;
    // One NPS 9 on Sunday 29 March (Riga), one NPS 6 on the 30th.
    await t.db.insert(feedbackTable).values([
      { siteId, kind: 'nps', score: 9, createdAt: new Date('2026-03-29T10:00:00Z') },
      { siteId, kind: 'nps', score: 6, createdAt: new Date('2026-03-30T10:00:00Z') },
    ]);
    await rebuildSiteRollups(t.db, siteId);
  }, 180_000);
  afterAll(async () => {
    await t?.dispose();
    await smtp?.close();
  });

  it('admins opt in (validated); the digest is sent once per period, by one of several nodes', async () => {
    expect(
      (
        await t.request('PUT', '/api/reports/digest', {
          headers: admin.headers,
          body: { frequency: 'daily', tz: 'Mars/Base' },
        })
      ).status,
    ).toBe(400);
    const saved = await t.request('PUT', '/api/reports/digest', {
      headers: admin.headers,
      body: { frequency: 'daily', tz: 'Europe/Riga' },
    });
    expect(saved.status).toBe(200);
    expect(await (await t.request('GET', '/api/reports/digest', { headers: admin.headers })).json()).toEqual({
      frequency: 'daily',
      tz: 'Europe/Riga',
    });

    expect(await sendDueDigests(deps(), new Date('2026-03-30T03:00:00Z'))).toBe(0);
    // Two nodes at 07:00 local on the 30th: one digest.
    const sent = await Promise.all([
      sendDueDigests(deps(), new Date('2026-03-30T04:30:00Z')),
      sendDueDigests(deps(), new Date('2026-03-30T04:30:00Z')),
    ]);
    expect(sent[0]! + sent[1]!).toBe(1);
    const [mail, ...more] = await smtp.mailTo('admin@example.test');
    expect(more).toHaveLength(0);
    expect(mail!.data).toMatch(/Subject: Beckon daily report: 2026-03-29/);
    expect(mail!.data).toContain('NPS: 100 (1 answers)');
    expect(mail!.data).toContain('Inquiries: 1 (previous period: 0)');
    expect(mail!.data).toContain('http://localhost:0/app/reports?from=2026-03-29&to=2026-03-29');
    // Later the same day: already sent.
    expect(await sendDueDigests(deps(), new Date('2026-03-30T15:00:00Z'))).toBe(0);
  });

  it('weekly, in the admin’s language', async () => {
    await t.db.update(agentsTable).set({ language: 'lv' }).where(eq(agentsTable.id, admin.me.agent.id));
    await t.request('PUT', '/api/reports/digest', {
      headers: admin.headers,
      body: { frequency: 'weekly', tz: 'Europe/Riga' },
    });
    expect(await sendDueDigests(deps(), new Date('2026-04-06T05:00:00Z'))).toBe(1);
    const mails = await smtp.mailTo('admin@example.test');
    const weekly = mails.at(-1)!;
    expect(weekly.data).toContain('2026-03-30 – 2026-04-05');
    expect(weekly.data).toContain('NPS: -100 (1 atbildes)');
  });

  it('a send that fails is tried again on the next run', async () => {
    let failures = 1;
    const flaky: Mailer = {
      async send(mail) {
        if (failures-- > 0) throw new Error('SMTP down');
        await mailer.send(mail);
      },
    };
    const before = smtp.inbox.length;
    const run = () => sendDueDigests({ ...deps(), mailer: flaky }, new Date('2026-04-13T06:00:00Z'));
    expect(await run()).toBe(0);
    const [row] = await t.db.select().from(reportDigestsTable).where(eq(reportDigestsTable.agentId, admin.me.agent.id));
    expect(row!.lastPeriod).toBe('weekly:2026-03-30');
    expect(await run()).toBe(1);
    await smtp.mailTo('admin@example.test');
    expect(smtp.inbox.length).toBe(before + 1);
  });
});
