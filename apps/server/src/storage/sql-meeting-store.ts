import { unsupportedClientPolicySchema } from '@conclave/protocol';
import type { MeetingId } from '@conclave/protocol';
import type { Kysely } from 'kysely';
import type { MeetingRecord, MeetingStore } from '../modules/meetings/meeting-store';
import type { Database } from './schema';

/** MeetingStore over kysely; the same code serves SQLite and (later) PostgreSQL. */
export class SqlMeetingStore implements MeetingStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(r: MeetingRecord): Promise<boolean> {
    const result = await this.#db
      .insertInto('meetings')
      .values({
        id: r.id,
        passcode_hash: r.passcodeHash,
        host_key_hash: r.hostKeyHash,
        created_at: r.createdAt.toISOString(),
        ended_at: r.endedAt?.toISOString() ?? null,
        e2ee_allowed: r.settings.e2eeAllowed ? 1 : 0,
        unsupported_client_policy: r.settings.unsupportedClientPolicy,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async findById(id: MeetingId): Promise<MeetingRecord | undefined> {
    const row = await this.#db
      .selectFrom('meetings')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id as MeetingId,
      passcodeHash: row.passcode_hash,
      hostKeyHash: row.host_key_hash,
      createdAt: new Date(row.created_at),
      endedAt: row.ended_at ? new Date(row.ended_at) : null,
      settings: {
        e2eeAllowed: row.e2ee_allowed === 1,
        unsupportedClientPolicy: unsupportedClientPolicySchema
          .catch('downgrade')
          .parse(row.unsupported_client_policy),
      },
    };
  }

  async markEnded(id: MeetingId, at: Date): Promise<void> {
    await this.#db
      .updateTable('meetings')
      .set({ ended_at: at.toISOString() })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .execute();
  }
}
