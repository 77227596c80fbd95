import { unsupportedClientPolicySchema } from '@conclave/protocol';
import type { MeetingId } from '@conclave/protocol';
import type { Kysely, Selectable } from 'kysely';
import type {
  MeetingListQuery,
  MeetingRecord,
  MeetingStore,
} from '../modules/meetings/meeting-store';
import type { Database, MeetingsTable } from './schema';

/** MeetingStore over kysely; the same code serves SQLite and PostgreSQL. */
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
        account_id: r.accountId,
        owner_user_id: r.ownerUserId,
        title: r.title,
        starts_at: r.startsAt?.toISOString() ?? null,
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
    return row ? toRecord(row) : undefined;
  }

  async markEnded(id: MeetingId, at: Date): Promise<void> {
    await this.#db
      .updateTable('meetings')
      .set({ ended_at: at.toISOString() })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .execute();
  }

  async listForUser(userId: string, query: MeetingListQuery): Promise<MeetingRecord[]> {
    let q = this.#db
      .selectFrom('meetings')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('owner_user_id', '=', userId),
          eb(
            'id',
            'in',
            eb.selectFrom('meeting_cohosts').select('meeting_id').where('user_id', '=', userId),
          ),
        ]),
      );
    q =
      query.when === 'upcoming'
        ? q.where('ended_at', 'is', null).orderBy('created_at', 'asc')
        : q.where('ended_at', 'is not', null).orderBy('ended_at', 'desc');
    const rows = await q.orderBy('id').limit(query.limit).execute();
    return rows.map(toRecord);
  }

  async openMeetingIdsOfAccount(accountId: string): Promise<MeetingId[]> {
    const rows = await this.#db
      .selectFrom('meetings')
      .select('id')
      .where('account_id', '=', accountId)
      .where('ended_at', 'is', null)
      .execute();
    return rows.map((r) => r.id as MeetingId);
  }

  async setCohosts(id: MeetingId, userIds: string[]): Promise<void> {
    await this.#db.transaction().execute(async (tx) => {
      await tx.deleteFrom('meeting_cohosts').where('meeting_id', '=', id).execute();
      const unique = [...new Set(userIds)];
      if (unique.length)
        await tx
          .insertInto('meeting_cohosts')
          .values(unique.map((user_id) => ({ meeting_id: id, user_id })))
          .execute();
    });
  }

  async cohosts(id: MeetingId): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('meeting_cohosts')
      .select('user_id')
      .where('meeting_id', '=', id)
      .orderBy('user_id')
      .execute();
    return rows.map((r) => r.user_id);
  }
}

function toRecord(row: Selectable<MeetingsTable>): MeetingRecord {
  return {
    id: row.id as MeetingId,
    passcodeHash: row.passcode_hash,
    hostKeyHash: row.host_key_hash,
    createdAt: new Date(row.created_at),
    endedAt: row.ended_at ? new Date(row.ended_at) : null,
    settings: {
      e2eeAllowed: Number(row.e2ee_allowed) === 1,
      unsupportedClientPolicy: unsupportedClientPolicySchema
        .catch('downgrade')
        .parse(row.unsupported_client_policy),
    },
    accountId: row.account_id,
    ownerUserId: row.owner_user_id,
    title: row.title,
    startsAt: row.starts_at ? new Date(row.starts_at) : null,
  };
}
