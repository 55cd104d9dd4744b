import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, ChatReady, Site } from '@beckon/sdk/protocol';
import { agentsAwayTable } from '../../db/schema.js';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import { databaseKinds, openTestDatabase, testConfig } from '../../testing/harness.js';
import { socketClients, nextVisitorAddress } from '../../testing/sockets.js';

let sequence = 0;
const clientId = () => `lang_${Date.now().toString(36)}_${(sequence++).toString().padStart(5, '0')}`;

/** The site's greeting and auto-reply per visitor language (issue 20): the widget's language picks them. */
describe.each(databaseKinds)('chat greeting and auto-reply per language on %s', (kind) => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const clients = socketClients(() => server.port);
  const { login, agent, visitor, connected, next } = clients;
  let admin: Awaited<ReturnType<typeof login>>;
  let site: Site;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    server = await startServer(testConfig(), { database, logger: createLogger('silent'), publicDir: '/nonexistent' });
    admin = await login();
    site = admin.me.sites.find((each) => each.key === 'demo') as unknown as Site;
    const current = (await (await fetch(`${clients.origin()}/api/sites/${site.id}`, { headers: admin.headers })).json())
      .site as Site;
    const patched = await fetch(`${clients.origin()}/api/sites/${site.id}`, {
      method: 'PATCH',
      headers: admin.headers,
      body: JSON.stringify({
        widget: { ...current.widget, language: 'en', auto: true },
        chat: {
          ...current.chat,
          greeting: 'Hi! How can we help?',
          autoReply: 'Thanks! We answer within {minutes} minutes.',
          expectedReplyMinutes: 7,
          translations: {
            lv: { greeting: 'Sveiki! Kā varam palīdzēt?', autoReply: 'Paldies! Atbildam {minutes} minūšu laikā.' },
            // Only the greeting in Sinhala: the auto-reply falls back to the default.
            si: { greeting: 'ආයුබෝවන්! අපට කෙසේ උදව් කළ හැකිද?' },
          },
        },
      }),
    });
    expect(patched.status).toBe(200);
    const saved = ((await patched.json()) as { site: Site }).site;
    expect(saved.chat.translations?.lv?.greeting).toBe('Sveiki! Kā varam palīdzēt?');
  });
  afterEach(async () => {
    clients.closeAll();
    await database.db.delete(agentsAwayTable);
  });
  afterAll(async () => {
    await server?.close();
    await database?.dispose();
  });

  async function chatIn(auth: { language?: string }, headers: Record<string, string> = {}) {
    const socket = visitor(auth, clients.origin(), ['websocket'], nextVisitorAddress(), headers);
    const ready = next<ChatReady>(socket, 'chat:ready');
    await connected(socket);
    return { socket, ready: await ready };
  }

  async function autoReplyOf(socket: ReturnType<typeof visitor>) {
    const reply = (await socket.timeout(5000).emitWithAck('message:send', { clientId: clientId(), text: 'Hello' })) as
      | { ok: true; message: ChatMessage; autoReply?: ChatMessage }
      | { ok: false; error: { message: string } };
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.autoReply?.text;
  }

  it('greets and auto-replies in the language the widget speaks, without sending other languages', async () => {
    const agentSocket = agent(admin.cookie);
    await connected(agentSocket);
    const { socket, ready } = await chatIn({ language: 'lv' });
    expect(ready.settings.greeting).toBe('Sveiki! Kā varam palīdzēt?');
    expect(ready.settings.autoReply).toBe('Paldies! Atbildam {minutes} minūšu laikā.');
    expect(ready.settings).not.toHaveProperty('translations');
    expect(await autoReplyOf(socket)).toBe('Paldies! Atbildam 7 minūšu laikā.');
  });

  it('falls back to the default text a language does not have, and to the default language', async () => {
    const sinhala = await chatIn({ language: 'si' });
    expect(sinhala.ready.settings.greeting).toBe('ආයුබෝවන්! අපට කෙසේ උදව් කළ හැකිද?');
    expect(await autoReplyOf(sinhala.socket)).toBe('Thanks! We answer within 7 minutes.');
    const german = await chatIn({ language: 'de' });
    expect(german.ready.settings.greeting).toBe('Hi! How can we help?');
    // A tag we do not speak is no error: the chat still opens, in the site's choice.
    const odd = await chatIn({ language: 'xx-nonsense' });
    expect(odd.ready.settings.greeting).toBe('Hi! How can we help?');
  });

  it("follows the browser's languages on an auto site when the widget names none (an older widget)", async () => {
    const { socket, ready } = await chatIn({}, { 'accept-language': 'pt-BR,lv;q=0.8,en;q=0.5' });
    expect(ready.settings.greeting).toBe('Sveiki! Kā varam palīdzēt?');
    expect(await autoReplyOf(socket)).toBe('Paldies! Atbildam 7 minūšu laikā.');
  });

  it('refuses an empty or too long translation with a field error', async () => {
    const current = (await (await fetch(`${clients.origin()}/api/sites/${site.id}`, { headers: admin.headers })).json())
      .site as Site;
    const response = await fetch(`${clients.origin()}/api/sites/${site.id}`, {
      method: 'PATCH',
      headers: admin.headers,
      body: JSON.stringify({
        chat: { ...current.chat, translations: { ru: { greeting: 'x'.repeat(401) }, xx: { greeting: 'hm' } } },
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('validation_failed');
  });
});
