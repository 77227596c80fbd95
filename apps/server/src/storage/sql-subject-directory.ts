import type { PlanId } from '@conclave/protocol';
import type { Kysely, Selectable } from 'kysely';
import type {
  SubjectDirectory,
  SubjectMeeting,
  SubjectUser,
} from '../modules/legal/subject-directory';
import type { Database, MeetingsTable, UsersTable } from './schema';

/** Reads the account data a production may contain; never writes. */
export class SqlSubjectDirectory implements SubjectDirectory {
  readonly #db: Kysely<Database>;
  readonly #operatorAccountId: string | undefined;
  constructor(db: Kysely<Database>, operatorAccountId?: string) {
    this.#db = db;
    this.#operatorAccountId = operatorAccountId;
  }

  async userByEmail(email: string) {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  async userById(id: string) {
    const row = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  async account(id: string) {
    const r = await this.#db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      accountId: r.id,
      name: r.name,
      plan: r.plan as PlanId,
      allowE2ee: r.allow_e2ee === 1,
      country: r.country_iso2 ?? null,
      subdivision: r.subdivision ?? null,
      createdAt: new Date(r.created_at),
    };
  }

  async meeting(id: string) {
    const row = await this.#db
      .selectFrom('meetings')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.#withCohosts(row) : undefined;
  }

  async meetingsOfUser(userId: string, from: Date, to: Date): Promise<SubjectMeeting[]> {
    const rows = await this.#db
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
      )
      .where('created_at', '>=', from.toISOString())
      .where('created_at', '<=', to.toISOString())
      .orderBy('created_at')
      .execute();
    return Promise.all(rows.map((r) => this.#withCohosts(r)));
  }

  async accountAdmins(accountId: string): Promise<SubjectUser[]> {
    const rows = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('role', 'in', ['owner', 'admin'])
      .where('status', '=', 'active')
      .execute();
    return rows.map(toUser);
  }

  async legalTeam(): Promise<SubjectUser[]> {
    const op = await this.operatorAccountId();
    if (!op) return [];
    const rows = await this.#db
      .selectFrom('users')
      .selectAll()
      .where('account_id', '=', op)
      .where('role', 'in', ['legal_reviewer', 'legal_admin'])
      .where('status', '=', 'active')
      .execute();
    return rows.map(toUser);
  }

  async operatorAccountId(): Promise<string | undefined> {
    if (this.#operatorAccountId) return this.#operatorAccountId;
    const row = await this.#db
      .selectFrom('accounts')
      .select('id')
      .orderBy('created_at')
      .orderBy('id')
      .executeTakeFirst();
    return row?.id;
  }

  async #withCohosts(r: Selectable<MeetingsTable>): Promise<SubjectMeeting> {
    const cohosts = await this.#db
      .selectFrom('meeting_cohosts')
      .select('user_id')
      .where('meeting_id', '=', r.id)
      .execute();
    return {
      meetingId: r.id,
      accountId: r.account_id,
      ownerUserId: r.owner_user_id,
      title: r.title,
      createdAt: new Date(r.created_at),
      startsAt: r.starts_at ? new Date(r.starts_at) : null,
      endedAt: r.ended_at ? new Date(r.ended_at) : null,
      e2eeAllowed: r.e2ee_allowed === 1,
      cohostUserIds: cohosts.map((c) => c.user_id),
    };
  }
}

function toUser(r: Selectable<UsersTable>): SubjectUser {
  return {
    userId: r.id,
    accountId: r.account_id,
    email: r.email,
    name: r.name,
    role: r.role,
    status: r.status,
    createdAt: new Date(r.created_at),
  };
}
