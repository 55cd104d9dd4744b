import nodemailer from 'nodemailer';
import type { Logger } from './logger.js';

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  replyTo?: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** An SMTP mailer from `SMTP_URL` (e.g. `smtps://user:pass@smtp.example.com:465`), or none without it. */
export function createMailer(smtpUrl: string | undefined, from: string, logger: Logger): Mailer | undefined {
  if (!smtpUrl) return undefined;
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      if (mail.to.length === 0) return;
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, replyTo: mail.replyTo });
      logger.info('mail sent', { recipients: mail.to.length, subject: mail.subject });
    },
  };
}
