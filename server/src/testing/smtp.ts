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

/**
 * A header's value as read: folded lines joined and RFC 2047 encoded words (`=?UTF-8?Q?r=C3=A9pondu?=`, the
 * way nodemailer writes a subject that is not ASCII) decoded; the space between two encoded words dropped.
 */
const decodeHeader = (value: string) =>
  value
    .replace(/\r?\n[ \t]+/g, ' ')
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(Buffer.from(text.replace(/_/g, ' '), 'latin1')),
    );

export interface ReceivedMail {
  recipients: string[];
  /** The raw message, quoted-printable undone (soft line breaks, `=3D`), so links match whole. */
  data: string;
  /** The Subject header as the reader sees it, whatever the language. */
  subject: string;
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
        const raw = Buffer.concat(chunks);
        const header = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw.toString('latin1'))?.[1] ?? '';
        inbox.push({
          recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          data: decodeQuotedPrintable(raw),
          subject: decodeHeader(header),
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
