import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { MailTransport } from './mail-dispatcher';
import type { MailMessage } from './mailer';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
  from: string;
}

/**
 * Sends over SMTP with nodemailer; the mail dispatcher's transport (modules call the queueing
 * Mailer instead). Timeouts stay below the dispatcher's claim lease (5 min), so an attempt that
 * hangs is over before another process may retry the same mail.
 */
export class SmtpMailer implements MailTransport {
  readonly #transport: Transporter;
  readonly #from: string;

  constructor(settings: SmtpSettings) {
    this.#from = settings.from;
    this.#transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
      ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    });
  }

  async send(m: MailMessage): Promise<void> {
    await this.#transport.sendMail({
      from: this.#from,
      to: m.to,
      subject: m.subject,
      text: m.text,
    });
  }

  close(): void {
    this.#transport.close();
  }
}
