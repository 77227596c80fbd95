export interface OutboxMessage {
  id: string;
  /** The account whose admins may read it; null for mail that belongs to no account. */
  accountId: string | null;
  to: string;
  subject: string;
  body: string;
  createdAt: Date;
}

/** A row of the queue as the dispatcher sees it. */
export interface QueuedMail extends OutboxMessage {
  /** SMTP attempts made so far (claims, counted before sending). */
  attempts: number;
  /** When the next attempt may start; null: never sent (kept for the outbox, or given up). */
  nextAttemptAt: Date | null;
  lastError: string | null;
  sentAt: Date | null;
}

/**
 * Storage port for outgoing mail: one table that is both the queue (with SMTP, the dispatcher
 * sends it) and the outbox admins read (without SMTP nothing sends it).
 */
export interface OutboxStore {
  /** Queues a mail, due at once; on a store bound to a transaction it commits with it. */
  insertMessage(message: OutboxMessage): Promise<void>;
  /** Mail not delivered yet, newest first, with its delivery attempts so far. */
  listMessages(accountId: string, limit: number): Promise<QueuedMail[]>;
  /** Unsent rows due at `now` and created at or after `notBefore`, oldest due first. */
  listDue(now: Date, notBefore: Date, limit: number): Promise<QueuedMail[]>;
  /**
   * Takes one attempt of a due row: a conditional UPDATE on the `nextAttemptAt` the caller read,
   * so of several processes exactly one wins. The winner's row is not due again before
   * `leaseUntil` (if it dies mid-send, another process retries then).
   */
  claim(mail: QueuedMail, leaseUntil: Date): Promise<boolean>;
  /** Delivered: the body is dropped (invite and reset links are credentials). */
  markSent(id: string, at: Date): Promise<void>;
  /** Failed attempt: `nextAttemptAt` null gives up; the row stays with its error. */
  markFailed(id: string, error: string, nextAttemptAt: Date | null): Promise<void>;
  findQueued(id: string): Promise<QueuedMail | undefined>;
}
