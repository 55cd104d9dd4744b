import { testOrigin, type TestApp } from './harness.js';

let counter = 0;
/** A unique client event id. */
export const eventId = (prefix = 'evt') =>
  `${prefix}_${Date.now().toString(36)}_${(counter++).toString().padStart(5, '0')}`;
export const chromeUa =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
export const pageview = (path: string, ts = Date.now()) => ({
  id: eventId(),
  type: 'pageview' as const,
  ts,
  url: `${testOrigin}/demo${path}`,
  title: path,
});

/** Sends a behaviour batch as the loader does (text/plain, allowed origin, a browser user agent). */
export const sendBatch = (
  t: TestApp,
  body: unknown,
  { ip = '198.51.100.7', ua = chromeUa, headers = {} as Record<string, string> } = {},
) =>
  t.request('POST', '/v1/collect', {
    body,
    headers: { origin: testOrigin, 'content-type': 'text/plain', 'user-agent': ua, ...headers },
    ip,
  });

/** Creates a site (as admin) that the test origin may call; returns its id and key. */
export async function createSiteFor(
  t: TestApp,
  headers: Record<string, string>,
  name: string,
): Promise<{ id: string; key: string }> {
  const response = await t.request('POST', '/api/sites', { headers, body: { name, allowedOrigins: [testOrigin] } });
  if (response.status !== 201) throw new Error(`site not created: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { site: { id: string; key: string } }).site;
}

/** Invites an agent onto some sites and logs them in; returns their auth headers. */
export async function agentOn(t: TestApp, adminHeaders: Record<string, string>, email: string, siteIds: string[]) {
  const invite = (await (
    await t.request('POST', '/api/agents/invites', {
      headers: adminHeaders,
      body: { email, name: 'Agent', role: 'agent', siteIds },
    })
  ).json()) as { acceptUrl: string };
  const token = new URL(invite.acceptUrl, 'http://x').searchParams.get('token')!;
  await t.request('POST', '/api/invites/accept', { body: { token, password: 'agent password 1' } });
  return (await t.login(email, 'agent password 1')).headers;
}
