import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../lib/logger.js';
import { startServer, type RunningServer } from '../../server.js';
import { openTestDatabase, testAdmin, testConfig } from '../../testing/harness.js';
import { socketClients } from '../../testing/sockets.js';

interface Received {
  recipients: string[];
  data: string;
}

describe('offline messages by email', () => {
  let server: RunningServer;
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let smtp: SMTPServer;
  const inbox: Received[] = [];
  const clients = socketClients(() => server.port);

  beforeAll(async () => {
    // A real SMTP server on loopback that keeps what it receives.
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          // Undo quoted-printable soft line breaks so long lines (the link) can be matched whole.
          inbox.push({ recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address), data: data.replace(/=\r\n/g, '') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    database = await openTestDatabase('pglite');
    server = await startServer(testConfig({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, BECKON_MAIL_FROM: 'Beckon <beckon@shop.test>' }), {
      database,
      logger: createLogger('silent'),
      publicDir: '/nonexistent',
    });
  });
  afterAll(async () => {
    clients.closeAll();
    await server?.close();
    await database?.dispose();
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
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
    for (let i = 0; i < 50 && inbox.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(inbox).toHaveLength(1);
    const [mail] = inbox;
    expect(mail!.recipients).toEqual([testAdmin.email]);
    expect(mail!.data).toMatch(/Subject: New message on Demo shop from Olga olga@example.test/);
    expect(mail!.data).toMatch(/Reply-To: olga@example.test/);
    expect(mail!.data).toContain('Please call me about the oak table.');
    expect(mail!.data).toContain(`/app/sites/demo/inbox/${reply.ok ? reply.conversationId : ''}`);
  });
});
