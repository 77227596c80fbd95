import type { SuppressionReason } from '@conclave/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { NoticeRecord, NoticeRepo, UserNoticeRecord } from '../modules/legal/legal-store';
import type { NoticeState } from '../modules/legal/legal-store';
import type { Database, LegalNoticesTable } from './schema';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

export class SqlNoticeRepo implements NoticeRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insertNotice(n: NoticeRecord): Promise<boolean> {
    const res = await this.#db
      .insertInto('legal_notices')
      .values({
        id: n.id,
        request_id: n.requestId,
        recipient_user_id: n.recipientUserId,
        recipient_kind: n.recipientKind,
        subject_user_id: n.subjectUserId,
        state: n.state,
        suppression_reason: n.suppressionReason,
        suppression_notes: n.suppressionNotes,
        suppressed_by: n.suppressedBy,
        body: n.body,
        created_at: n.createdAt.toISOString(),
        claimed_by: n.claimedBy,
        sent_at: iso(n.sentAt),
      })
      .onConflict((oc) => oc.columns(['request_id', 'recipient_user_id']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async listNotices(requestId: string): Promise<NoticeRecord[]> {
    const rows = await this.#db
      .selectFrom('legal_notices')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('created_at')
      .execute();
    return rows.map(toNotice);
  }

  async listUnsent(): Promise<NoticeRecord[]> {
    const rows = await this.#db
      .selectFrom('legal_notices')
      .selectAll()
      .where('state', '<>', 'sent')
      .execute();
    return rows.map(toNotice);
  }

  async suppressNotice(
    id: string,
    reason: SuppressionReason,
    notes: string,
    by: string,
  ): Promise<boolean> {
    const res = await this.#db
      .updateTable('legal_notices')
      .set({
        state: 'suppressed',
        suppression_reason: reason,
        suppression_notes: notes,
        suppressed_by: by,
      })
      .where('id', '=', id)
      .where('state', '<>', 'sent')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async claimSend(id: string, claimer: string, at: Date): Promise<boolean> {
    const res = await this.#db
      .updateTable('legal_notices')
      .set({ state: 'sent', claimed_by: claimer, sent_at: at.toISOString() })
      .where('id', '=', id)
      .where('state', '<>', 'sent')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async claimOnce(key: string, claimer: string, at: Date): Promise<boolean> {
    const res = await this.#db
      .insertInto('legal_scheduler_claims')
      .values({ claim_key: key, claimed_by: claimer, claimed_at: at.toISOString() })
      .onConflict((oc) => oc.column('claim_key').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async insertUserNotice(n: UserNoticeRecord): Promise<void> {
    await this.#db
      .insertInto('user_notices')
      .values({
        id: n.id,
        user_id: n.userId,
        kind: n.kind,
        title: n.title,
        body: n.body,
        created_at: n.createdAt.toISOString(),
        read_at: iso(n.readAt),
      })
      .execute();
  }

  async markUserNoticeRead(userId: string, id: string, at: Date): Promise<Date | undefined> {
    await this.#db
      .updateTable('user_notices')
      .set({ read_at: at.toISOString() })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .execute();
    const row = await this.#db
      .selectFrom('user_notices')
      .select('read_at')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? (date(row.read_at) ?? undefined) : undefined;
  }

  async listUserNotices(userId: string): Promise<UserNoticeRecord[]> {
    const rows = await this.#db
      .selectFrom('user_notices')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      kind: r.kind,
      title: r.title,
      body: r.body,
      createdAt: new Date(r.created_at),
      readAt: date(r.read_at),
    }));
  }
}

function toNotice(r: Selectable<LegalNoticesTable>): NoticeRecord {
  return {
    id: r.id,
    requestId: r.request_id,
    recipientUserId: r.recipient_user_id,
    recipientKind: r.recipient_kind === 'account_admin' ? 'account_admin' : 'account_holder',
    subjectUserId: r.subject_user_id,
    state: r.state as NoticeState,
    suppressionReason: r.suppression_reason as SuppressionReason | null,
    suppressionNotes: r.suppression_notes,
    suppressedBy: r.suppressed_by,
    body: r.body,
    createdAt: new Date(r.created_at),
    claimedBy: r.claimed_by,
    sentAt: date(r.sent_at),
  };
}
