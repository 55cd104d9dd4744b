// Signing in as the bench's admin, as the dashboard does: the session cookie, and an agent socket on it.
import { io } from 'socket.io-client';

/** The session cookie (`name=value`) of `admin` signed in at `origin`. */
export async function loginCookie(origin, admin) {
  const login = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  if (!login.ok) throw new Error(`login failed: ${await login.text()}`);
  return login.headers.get('set-cookie').split(';')[0];
}

/**
 * An agent's `/agent` socket at `origin`, as an open dashboard: it receives every live push of the admin's
 * sites. With `watchVisitors` (the default) it shows every site's Visitors page, as a manager watching the
 * live list does: the live rows and pageview stream (`visitors:updated`, `pageviews:new`) come only then.
 */
export async function agentSocket(origin, admin, { watchVisitors = true } = {}) {
  const cookie = await loginCookie(origin, admin);
  const socket = await new Promise((resolve, reject) => {
    const socket = io(`${origin}/agent`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie, origin },
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
  if (watchVisitors) {
    const listed = await fetch(`${origin}/api/sites`, { headers: { cookie } });
    if (!listed.ok) throw new Error(`listing sites failed: ${await listed.text()}`);
    for (const { id } of (await listed.json()).sites) {
      const reply = await socket.timeout(10_000).emitWithAck('visitors:watch', { siteId: id, watching: true });
      if (!reply.ok) throw new Error(`watching the Visitors page failed: ${JSON.stringify(reply.error)}`);
    }
  }
  return socket;
}
