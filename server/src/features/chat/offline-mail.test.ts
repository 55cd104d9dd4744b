import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatReady } from '@beckon/sdk/protocol';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import { openTestDatabase, testAdmin, testConfig } from '../../testing/harness.js';
import { socketClients } from '../../testing/sockets.js';
import { startTestSmtp } from '../../testing/smtp.js';
import { createMailer } from '../../lib/mailer.js';
import { offlineNoticeMails } from './chat.js';
import { visitorEmailLanguage } from './email-replies.js';

describe('offline messages by email', () => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  const clients = socketClients(() => server.port);

  beforeAll(async () => {
    smtp = await startTestSmtp();
    database = await openTestDatabase('pglite');
    server = await startServer(testConfig({ SMTP_URL: smtp.url, BECKON_MAIL_FROM: 'Beckon <beckon@shop.test>' }), {
      database,
      logger: createLogger('silent'),
      publicDir: '/nonexistent',
    });
  });
  /** A visitor (connected with `auth`) leaves a message with their email while nobody answers. */
  async function leaveMessage(
    auth: Parameters<typeof clients.visitor>[0],
    message: { clientId: string; email: string; name: string; text: string },
  ) {
    const socket = clients.visitor(auth);
    await clients.connected(socket);
    const left = await socket.timeout(5000).emitWithAck('offline:message', message);
    if (!left.ok) throw new Error(left.error.message);
    return { socket, conversationId: left.conversationId };
  }

  afterAll(async () => {
    clients.closeAll();
    await server?.close();
    await database?.dispose();
    await smtp?.close();
  });

  it('emails the site’s agents, with the visitor as Reply-To, after storing the message', async () => {
    const socket = clients.visitor();
    await clients.connected(socket);
    const reply = await socket.timeout(5000).emitWithAck('offline:message', {
      clientId: 'offline_mail_0001',
      email: 'olga@example.test',
      name: 'Olga',
      text: 'Please call me about the oak table.',
    });
    expect(reply.ok).toBe(true);
    const mails = await smtp.mailTo(testAdmin.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.recipients).toEqual([testAdmin.email]);
    expect(mail!.data).toMatch(/Subject: New message on Demo shop from Olga olga@example.test/);
    expect(mail!.data).toMatch(/Reply-To: olga@example.test/);
    expect(mail!.data).toContain('Please call me about the oak table.');
    expect(mail!.data).toContain(`/app/sites/demo/inbox/${reply.ok ? reply.conversationId : ''}`);
  });

  it('emails an agent’s reply to a visitor who left, and says so in the reply box beforehand; a visitor still there gets it live only', async () => {
    const { socket, conversationId } = await leaveMessage(
      {},
      { clientId: 'offline_mail_0002', email: 'ann@example.test', name: 'Ann', text: 'Do you deliver on Sundays?' },
    );
    const left = { conversationId };
    const admin = await clients.login();
    const delivery = async () =>
      (
        (await (
          await fetch(`${clients.origin()}/api/conversations/${left.conversationId}/reply-delivery`, {
            headers: admin.headers,
          })
        ).json()) as { delivery: { mode: string; email: string | null } }
      ).delivery;
    expect(await delivery()).toEqual({ mode: 'live', email: 'ann@example.test' });

    const agentSocket = clients.agent(admin.cookie);
    await clients.connected(agentSocket);
    const live = await agentSocket.timeout(5000).emitWithAck('message:send', {
      conversationId: left.conversationId,
      clientId: 'agent_reply_live_1',
      text: 'Looking into it now.',
    });
    expect(live.ok).toBe(true);

    socket.close();
    await expect.poll(delivery).toEqual({ mode: 'email', email: 'ann@example.test' });
    const answer = await agentSocket.timeout(5000).emitWithAck('message:send', {
      conversationId: left.conversationId,
      clientId: 'agent_reply_mail_1',
      text: 'Yes, on Sundays until noon.',
    });
    expect(answer.ok).toBe(true);
    const mails = await smtp.mailTo('ann@example.test');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.data).toMatch(/Subject: Admin replied to your message to Demo shop/);
    expect(mails[0]!.data).toContain('Yes, on Sundays until noon.');
    expect(mails[0]!.data).not.toContain('Looking into it now.');
    // Notes stay internal whoever is online.
    await agentSocket.timeout(5000).emitWithAck('message:send', {
      conversationId: left.conversationId,
      clientId: 'agent_note_1',
      text: 'Internal: check stock',
      internal: true,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await smtp.mailTo('ann@example.test')).map((mail) => mail.data).join()).not.toContain('check stock');
    agentSocket.close();
  });

  it('emails the visitor a transcript of their chat when they ask for it', async () => {
    const socket = clients.visitor();
    const ready = clients.next<ChatReady>(socket, 'chat:ready');
    await clients.connected(socket);
    // The widget offers it because this server can send email.
    expect((await ready).emailAvailable).toBe(true);
    const sent = await socket
      .timeout(5000)
      .emitWithAck('message:send', { clientId: 'transcript_msg_1', text: 'Which size fits a 2 m room?' });
    expect(sent.ok).toBe(true);
    const requested = await socket.timeout(5000).emitWithAck('transcript:request', { email: 'Tom@Example.test' });
    expect(requested.ok).toBe(true);
    const [mail] = await smtp.mailTo('tom@example.test');
    expect(mail!.data).toMatch(/Subject: Your chat with Demo shop/);
    expect(mail!.data).toContain('You: Which size fits a 2 m room?');
  });

  it('writes the transcript in the language the widget speaks to the visitor', async () => {
    const socket = clients.visitor({ language: 'de' });
    await clients.connected(socket);
    await socket.timeout(5000).emitWithAck('message:send', { clientId: 'transcript_de_1', text: 'Passt der Tisch?' });
    const requested = await socket.timeout(5000).emitWithAck('transcript:request', { email: 'lena@example.test' });
    expect(requested.ok).toBe(true);
    const [mail] = await smtp.mailTo('lena@example.test');
    expect(mail!.subject).toBe('Ihr Chat mit Demo shop');
    expect(mail!.data).toContain('Ihr Gespräch mit Demo shop:');
    expect(mail!.data).toContain('UTC] Sie: Passt der Tisch?');
  });

  it('emails a reply to a visitor who left in the language their widget last spoke, not the site’s', async () => {
    const { socket, conversationId } = await leaveMessage(
      { language: 'fr', url: `${clients.origin()}/demo/tables` },
      {
        clientId: 'offline_mail_fr_1',
        email: 'claire@example.test',
        name: 'Claire',
        text: 'Livrez-vous le dimanche ?',
      },
    );
    const left = { conversationId };
    socket.close();
    const admin = await clients.login();
    const agentSocket = clients.agent(admin.cookie);
    await clients.connected(agentSocket);
    await expect
      .poll(async () => {
        const response = await fetch(`${clients.origin()}/api/conversations/${left.conversationId}/reply-delivery`, {
          headers: admin.headers,
        });
        return ((await response.json()) as { delivery: { mode: string } }).delivery.mode;
      })
      .toBe('email');
    const answer = await agentSocket.timeout(5000).emitWithAck('message:send', {
      conversationId: left.conversationId,
      clientId: 'agent_reply_fr_1',
      text: 'Oui, le dimanche matin.',
    });
    expect(answer.ok).toBe(true);
    const [mail] = await smtp.mailTo('claire@example.test');
    expect(mail!.subject).toBe('Admin a répondu à votre message à Demo shop');
    expect(mail!.data).toContain('— Admin, Demo shop');
    expect(mail!.data).toContain(`Votre conversation se poursuit dans le chat sur ${clients.origin()}/demo/tables`);
    agentSocket.close();
  });
});

describe('the language of emails to a visitor', () => {
  it('is the one their widget last spoke, else the site’s widget language', () => {
    expect(visitorEmailLanguage('de', 'en')).toBe('de');
    expect(visitorEmailLanguage(null, 'lv')).toBe('lv');
    // Stored by an older version (or anything else not a widget language): the site's.
    expect(visitorEmailLanguage('pt', 'fr')).toBe('fr');
  });
});

describe('offline-message notice languages', () => {
  let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
  beforeAll(async () => {
    smtp = await startTestSmtp();
  });
  afterAll(() => smtp?.close());

  it('sends each agent the notice in their own language, one mail per language', async () => {
    const mails = offlineNoticeMails(
      [
        { email: 'olga@example.test', language: 'ru' },
        { email: 'abebe@example.test', language: 'am' },
        { email: 'sam@example.test', language: null },
        { email: 'ivan@example.test', language: 'ru' },
      ] as Array<{ email: string }>,
      'Demo shop',
      { text: 'Please call me.', prechat: { name: 'Ann', email: 'ann@example.test' } },
      'https://beckon.test/app/sites/demo/inbox/c1',
    );
    expect(mails.map((mail) => mail.to)).toEqual([
      ['olga@example.test', 'ivan@example.test'],
      ['abebe@example.test'],
      ['sam@example.test'],
    ]);
    const mailer = createMailer(smtp.url, 'Beckon <beckon@shop.test>', createLogger('silent'))!;
    for (const mail of mails) await mailer.send(mail);
    const [russian] = await smtp.mailTo('ivan@example.test');
    expect(russian!.data).toContain('Ann ann@example.test оставил(а) сообщение, когда не было свободных операторов:');
    expect(russian!.data).toContain('Ответить в Beckon: https://beckon.test/app/sites/demo/inbox/c1');
    expect(russian!.data).toMatch(/Reply-To: ann@example.test/);
    const [amharic] = await smtp.mailTo('abebe@example.test');
    expect(amharic!.data).toContain('ምንም ወኪል ባልነበረበት ጊዜ Ann ann@example.test መልእክት ትቷል፦');
    const [english] = await smtp.mailTo('sam@example.test');
    expect(english!.data).toMatch(/Subject: New message on Demo shop from Ann ann@example.test/);
  });
});
