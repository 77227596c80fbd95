export interface OutboxMessage {
  id: string;
  /** The account whose admins may read it; null for mail that belongs to no account. */
  accountId: string | null;
  to: string;
  subject: string;
  body: string;
  createdAt: Date;
}

/** Storage port for mail kept when no SMTP server is configured. */
export interface OutboxStore {
  insertMessage(message: OutboxMessage): Promise<void>;
  /** Newest first. */
  listMessages(accountId: string, limit: number): Promise<OutboxMessage[]>;
}
