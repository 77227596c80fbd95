import { randomUUID } from 'node:crypto';
import type { MailMessage, Mailer } from './mailer';
import type { OutboxStore } from './outbox-store';

/** Without SMTP, mail is kept in the outbox table for the account's admins to read. */
export class OutboxMailer implements Mailer {
  readonly #store: OutboxStore;
  readonly #now: () => Date;

  constructor(store: OutboxStore, now: () => Date = () => new Date()) {
    this.#store = store;
    this.#now = now;
  }

  async send(m: MailMessage): Promise<void> {
    await this.#store.insertMessage({
      id: randomUUID(),
      accountId: m.accountId,
      to: m.to,
      subject: m.subject,
      body: m.text,
      createdAt: this.#now(),
    });
  }
}
