import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';
import { UsageError } from './commands';

// Mail that has not been delivered to one address, bodies included. The admin outbox shows only
// metadata (links are credentials, issue 15); without SMTP the operator, who holds the database
// anyway, reads a waiting invitation here and forwards it to its recipient.

export async function mailShowCommand(db: Kysely<Database>, to: string | undefined) {
  const address = to?.trim().toLowerCase();
  if (!address) throw new UsageError('--to: required (the recipient address)');
  const rows = await db
    .selectFrom('outbox')
    .select(['subject', 'body', 'created_at'])
    .where('to_address', '=', address)
    .where('sent_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
  if (rows.length === 0) return `No undelivered mail to ${address}.`;
  return rows
    .map(
      (r) =>
        `To: ${address}\nSubject: ${r.subject}\nQueued: ${new Date(r.created_at).toISOString()}\n\n${r.body}`,
    )
    .join('\n----\n');
}
