import { randomUUID } from 'node:crypto';
import type { MailMessage, Mailer } from './mailer';
import type { OutboxStore } from './outbox-store';

/**
 * Queues mail in the outbox table. With SMTP the dispatcher sends it (`onQueued` wakes it);
 * without, it stays there for the account's admins to read.
 */
export class OutboxMailer implements Mailer {
  readonly #store: OutboxStore;
  readonly #now: () => Date;
  readonly #onQueued: (() => void) | undefined;

  constructor(store: OutboxStore, now: () => Date = () => new Date(), onQueued?: () => void) {
    this.#store = store;
    this.#now = now;
    this.#onQueued = onQueued;
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
    this.#onQueued?.();
  }
}
