import type { Kysely } from 'kysely';
import type { ColumnCipher } from './column-cipher';
import type { Database } from './schema';
import { SqlAccountStore } from './sql-account-store';
import { SqlAdminAuditStore } from './sql-audit-store';
import { SqlLegalStore } from './sql-legal-store';
import { SqlMeetingStore } from './sql-meeting-store';
import { SqlOutboxStore } from './sql-outbox-store';
import { SqlRecordingStore } from './sql-recording-store';
import { SqlSessionStore } from './sql-session-store';
import { SqlSubjectDirectory } from './sql-subject-directory';
import { SqlTokenStore } from './sql-token-store';
import { SqlTransparencyStore } from './sql-transparency-store';
import { SqlUserStore } from './sql-user-store';

/**
 * Every store over one kysely instance, whichever dialect it speaks. `cipher` seals the TOTP
 * secret columns; it is required so no caller can store them in clear by forgetting it.
 */
export function sqlStores(
  db: Kysely<Database>,
  cipher: ColumnCipher,
  opts: { operatorAccountId?: string } = {},
) {
  return {
    meetings: new SqlMeetingStore(db),
    accounts: new SqlAccountStore(db),
    users: new SqlUserStore(db, cipher),
    sessions: new SqlSessionStore(db),
    tokens: new SqlTokenStore(db),
    audit: new SqlAdminAuditStore(db),
    outbox: new SqlOutboxStore(db),
    legal: new SqlLegalStore(db, cipher),
    transparency: new SqlTransparencyStore(db, cipher),
    subjects: new SqlSubjectDirectory(db, opts.operatorAccountId),
    recordings: new SqlRecordingStore(db),
  };
}
export type SqlStores = ReturnType<typeof sqlStores>;
