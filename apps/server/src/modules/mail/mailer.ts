export interface MailMessage {
  /** The account the mail belongs to: its admins see it in the outbox when there is no SMTP. */
  accountId: string | null;
  to: string;
  subject: string;
  text: string;
}

/** How modules send mail; main.ts picks SMTP or the outbox. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
