import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { visitorSessionsTable } from '../../db/schema.js';
import { createTestApp, databaseKinds, testConfig, type TestApp } from '../../testing/harness.js';
import { pageview, sendBatch } from '../../testing/visitor-traffic.js';

describe.each(databaseKinds)('country from the trusted proxy header on %s', (kind) => {
  const apps: TestApp[] = [];
  afterAll(() => Promise.all(apps.map((t) => t.dispose())));

  const countryAfter = async (t: TestApp, visitorId: string, header: string | undefined) => {
    const siteId = (await t.login()).me.sites[0]!.id;
    await sendBatch(
      t,
      { site: 'demo', visitorId, sessionId: 'session_0001', events: [pageview('/')] },
      { headers: header === undefined ? {} : { 'cf-ipcountry': header } },
    );
    const [visit] = await t.db
      .select({ country: visitorSessionsTable.country })
      .from(visitorSessionsTable)
      .where(and(eq(visitorSessionsTable.siteId, siteId), eq(visitorSessionsTable.visitorId, visitorId)));
    return visit!.country;
  };

  let trusted: TestApp;
  let untrusted: TestApp;
  beforeAll(async () => {
    trusted = await createTestApp(kind, { config: testConfig({ BECKON_COUNTRY_HEADER: 'CF-IPCountry' }) });
    untrusted = await createTestApp(kind, {
      config: testConfig({ BECKON_COUNTRY_HEADER: 'CF-IPCountry', BECKON_TRUST_PROXY: 'false' }),
    });
    apps.push(trusted, untrusted);
  });

  it('keeps the two-letter country the proxy reports, upper-cased, on the visit', async () => {
    expect(await countryAfter(trusted, 'country_v1', 'de')).toBe('DE');
  });

  it('keeps nothing for a missing, unknown or malformed value, or without a trusted proxy', async () => {
    expect(await countryAfter(trusted, 'country_v2', undefined)).toBeNull();
    expect(await countryAfter(trusted, 'country_v3', 'XX')).toBeNull();
    expect(await countryAfter(trusted, 'country_v4', 'Germany')).toBeNull();
    expect(await countryAfter(untrusted, 'country_v5', 'DE')).toBeNull();
  });
});
