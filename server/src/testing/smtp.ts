import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Bytes in, text out: quoted-printable escapes are bytes of UTF-8, so they are undone before decoding. */
const decodeQuotedPrintable = (raw: Buffer) =>
  Buffer.from(
    raw
      .toString('latin1')
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

export interface ReceivedMail {
  recipients: string[];
  /** The raw message, quoted-printable undone (soft line breaks, `=3D`), so links match whole. */
  data: string;
}

/** A real SMTP server on loopback that keeps what it receives: `SMTP_URL` for tests that send mail. */
export async function startTestSmtp() {
  const inbox: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        inbox.push({
          recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          data: decodeQuotedPrintable(Buffer.concat(chunks)),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const port = (smtp.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    /** The mails to `address`, waiting up to 5 s for the first. */
    async mailTo(address: string) {
      for (let i = 0; i < 50 && !inbox.some((mail) => mail.recipients.includes(address)); i++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      return inbox.filter((mail) => mail.recipients.includes(address));
    },
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}
