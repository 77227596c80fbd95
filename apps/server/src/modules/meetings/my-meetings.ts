import { ConclaveError, parseMeetingId } from '@conclave/protocol';
import type { MeetingId } from '@conclave/protocol';
import type { MeetingRecord, MeetingStore } from './meeting-store';

export interface MyMeetingsDeps {
  store: MeetingStore;
  /** True when every id is an active user of the account (co-hosts come from the same account). */
  areAccountUsers: (accountId: string, userIds: string[]) => Promise<boolean>;
  /** Active users of the account, for picking co-hosts (name and email only). */
  colleagues: (accountId: string) => Promise<Colleague[]>;
  now?: () => Date;
}

export interface Colleague {
  id: string;
  name: string;
  email: string;
}

export interface MyMeetingView {
  record: MeetingRecord;
  isOwner: boolean;
  cohostUserIds: string[];
}

/** A signed-in user's meetings: the ones they own or co-host. */
export class MyMeetings {
  readonly #d: MyMeetingsDeps;
  constructor(deps: MyMeetingsDeps) {
    this.#d = deps;
  }

  async list(userId: string, when: 'upcoming' | 'past'): Promise<MyMeetingView[]> {
    const now = this.#d.now?.() ?? new Date();
    const records = await this.#d.store.listForUser(userId, { when, now, limit: 200 });
    return Promise.all(
      records.map(async (record) => ({
        record,
        isOwner: record.ownerUserId === userId,
        cohostUserIds: await this.#d.store.cohosts(record.id),
      })),
    );
  }

  /** The people a user may name as co-hosts: active users of their own account, not themselves. */
  async colleagues(user: { userId: string; accountId: string }): Promise<Colleague[]> {
    return (await this.#d.colleagues(user.accountId)).filter((c) => c.id !== user.userId);
  }

  /** Only the owner names co-hosts; a signed-in co-host joins as host (MeetingService.admit). */
  async setCohosts(
    owner: { userId: string; accountId: string },
    rawId: string,
    userIds: string[],
  ): Promise<string[]> {
    const id: MeetingId | undefined = parseMeetingId(rawId);
    const record = id ? await this.#d.store.findById(id) : undefined;
    if (!record || record.accountId !== owner.accountId)
      throw new ConclaveError('MEETING_NOT_FOUND');
    if (record.ownerUserId !== owner.userId) throw new ConclaveError('NOT_MEETING_OWNER');
    const others = [...new Set(userIds)].filter((u) => u !== owner.userId);
    if (!(await this.#d.areAccountUsers(owner.accountId, others)))
      throw new ConclaveError('USER_NOT_FOUND');
    await this.#d.store.setCohosts(record.id, others);
    return this.#d.store.cohosts(record.id);
  }
}
