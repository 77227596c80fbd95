export interface MailMessage {
  /** The account the mail belongs to: its admins see it in the outbox until it is delivered. */
  accountId: string | null;
  to: string;
  subject: string;
  text: string;
}

/**
 * How modules send mail: `send` queues it durably (OutboxMailer) and returns; the dispatcher
 * delivers it over SMTP when configured. Code with a transaction queues through the store's
 * `mail` repository instead, so the mail commits with the change that causes it.
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
