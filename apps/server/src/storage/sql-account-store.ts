import { planIdSchema, unsupportedClientPolicySchema } from '@conclave/protocol';
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { AccountPatch, AccountRecord, AccountStore } from '../modules/accounts/account-store';
import type { AccountsTable, Database } from './schema';

export class SqlAccountStore implements AccountStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insertAccount(a: AccountRecord): Promise<void> {
    await this.#db
      .insertInto('accounts')
      .values({
        id: a.id,
        name: a.name,
        plan: a.plan,
        allow_e2ee: a.meetingSettings.allowE2ee ? 1 : 0,
        unsupported_client_policy: a.meetingSettings.unsupportedClientPolicy,
        waiting_room_by_default: a.meetingSettings.waitingRoomByDefault ? 1 : 0,
        passcode_required: a.meetingSettings.passcodeRequired ? 1 : 0,
        require_two_factor: a.requireTwoFactor ? 1 : 0,
        country_iso2: a.location.country,
        subdivision: a.location.subdivision,
        created_at: a.createdAt.toISOString(),
      })
      .execute();
  }

  async findAccount(id: string): Promise<AccountRecord | undefined> {
    const row = await this.#db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toAccount(row) : undefined;
  }

  async updateAccount(id: string, patch: AccountPatch): Promise<void> {
    const set: Updateable<AccountsTable> = {};
    if (patch.plan !== undefined) set.plan = patch.plan;
    if (patch.requireTwoFactor !== undefined)
      set.require_two_factor = patch.requireTwoFactor ? 1 : 0;
    const s = patch.meetingSettings;
    if (s) {
      set.allow_e2ee = s.allowE2ee ? 1 : 0;
      set.unsupported_client_policy = s.unsupportedClientPolicy;
      set.waiting_room_by_default = s.waitingRoomByDefault ? 1 : 0;
      set.passcode_required = s.passcodeRequired ? 1 : 0;
    }
    if (patch.location) {
      set.country_iso2 = patch.location.country;
      set.subdivision = patch.location.subdivision;
    }
    if (Object.keys(set).length === 0) return;
    await this.#db.updateTable('accounts').set(set).where('id', '=', id).execute();
  }
}

function toAccount(row: Selectable<AccountsTable>): AccountRecord {
  return {
    id: row.id,
    name: row.name,
    plan: planIdSchema.catch('basic').parse(row.plan),
    meetingSettings: {
      allowE2ee: Number(row.allow_e2ee) === 1,
      unsupportedClientPolicy: unsupportedClientPolicySchema
        .catch('downgrade')
        .parse(row.unsupported_client_policy),
      waitingRoomByDefault: Number(row.waiting_room_by_default) === 1,
      passcodeRequired: Number(row.passcode_required) === 1,
    },
    requireTwoFactor: Number(row.require_two_factor) === 1,
    location: { country: row.country_iso2 ?? null, subdivision: row.subdivision ?? null },
    createdAt: new Date(row.created_at),
  };
}
