import { randomUUID } from 'node:crypto';
import { SYSTEM, audit } from './actor';
import type { Actor } from './actor';
import type { Clock } from './deadlines';
import { ndoExpired } from './deadlines';
import type { LegalRequestRecord, LegalStore, NoticeRecord } from './legal-store';
import type { ResolvedTarget } from './prechecks';
import type { SubjectDirectory } from './subject-directory';

// User notice before disclosure (research §4.4): the affected user, or the admins of a managed
// account, learn what was requested, by whom, under what legal basis and what will be disclosed.

/** Plans whose accounts an organisation manages: the notice goes to its admins (Google, Microsoft). */
const MANAGED_PLANS = new Set(['business', 'enterprise']);

export interface NoticeRecipient {
  recipientUserId: string;
  recipientKind: 'account_holder' | 'account_admin';
  subjectUserId: string;
}

export interface NoticeDeps {
  store: LegalStore;
  directory: SubjectDirectory;
  clock: Clock;
  /** Called after a transaction that queued mail commits (server.ts: the dispatcher sends it). */
  mailQueued?: () => void;
}

export function noticeBody(r: LegalRequestRecord, agencyName: string, disclosing: string): string {
  return [
    `On ${r.receivedAt.toISOString().slice(0, 10)} (UTC) we received a ${r.type.replace(/_/g, ' ')} from ${agencyName} (${r.country}${r.subdivision ? `-${r.subdivision}` : ''}), issued by ${r.issuingAuthority}.`,
    `Legal basis cited: ${r.legalBasis}.`,
    `It asks for data about your account between ${r.rangeFrom.toISOString().slice(0, 10)} and ${r.rangeTo.toISOString().slice(0, 10)}.`,
    `After legal review we intend to disclose: ${disclosing}.`,
    'Meeting audio, video and chat are not stored and end-to-end encrypted content cannot be read by us, so none will be disclosed.',
    'You may wish to seek legal advice or challenge the request. Reply to this notice to contact our legal team.',
  ].join('\n\n');
}

export class NoticeService {
  readonly #d: NoticeDeps;
  constructor(deps: NoticeDeps) {
    this.#d = deps;
  }

  /**
   * Who must be told about each matched target: the user, or the active owners and admins of a
   * managed account. Read before the approving transaction opens (account data, not legal data).
   */
  async recipientsFor(resolved: ResolvedTarget[]): Promise<NoticeRecipient[]> {
    const out: NoticeRecipient[] = [];
    for (const t of resolved) {
      if (!t.userId || !t.accountId) continue;
      const account = await this.#d.directory.account(t.accountId);
      const managed = account ? MANAGED_PLANS.has(account.plan) : false;
      const ids = managed
        ? (await this.#d.directory.accountAdmins(t.accountId)).map((u) => u.userId)
        : [t.userId];
      for (const recipientUserId of ids)
        out.push({
          recipientUserId,
          recipientKind: managed ? 'account_admin' : 'account_holder',
          subjectUserId: t.userId,
        });
    }
    return out;
  }

  /**
   * Creates one notice per recipient, in the approving transaction. A reviewed-valid
   * delayed-notification order with an end date suppresses it (reason `ndo`) until that date;
   * anything else starts pending and goes out before the production can be released.
   */
  async createForDisclosure(
    tx: LegalStore,
    r: LegalRequestRecord,
    recipients: NoticeRecipient[],
    disclosing: string,
    actor: Actor,
  ): Promise<NoticeRecord[]> {
    const now = this.#d.clock();
    const agency = await tx.requesters.findAgency(r.agencyId);
    const body = noticeBody(r, agency?.name ?? 'a government agency', disclosing);
    const ndoHolds = Boolean(r.hasNdo && r.ndoValid && r.ndoEndAt && !ndoExpired(r.ndoEndAt, now));
    const created: NoticeRecord[] = [];
    for (const rcpt of recipients) {
      const n: NoticeRecord = {
        id: randomUUID(),
        requestId: r.id,
        ...rcpt,
        state: ndoHolds ? 'suppressed' : 'pending',
        suppressionReason: ndoHolds ? 'ndo' : null,
        suppressionNotes: ndoHolds
          ? `Delayed-notification order (${r.ndoCitation ?? 'cited'}) until ${r.ndoEndAt!.toISOString()}`
          : null,
        suppressedBy: ndoHolds ? actor.id : null,
        body,
        createdAt: now,
        claimedBy: null,
        sentAt: null,
      };
      if (await tx.notices.insertNotice(n)) {
        created.push(n);
        await audit(
          tx,
          now,
          actor,
          n.state === 'suppressed' ? 'notice.created_suppressed' : 'notice.created',
          'notice',
          n.id,
          r.id,
          { recipientKind: n.recipientKind, suppressionReason: n.suppressionReason },
        );
      }
    }
    return created;
  }

  /**
   * Sends one notice if nobody else has: the conditional UPDATE to `sent` is the claim, so two
   * processes (or two schedulers) never both send it. The in-app notice, the audit entry and the
   * queued email commit with the claim, so the email exists iff the claim does; the mail
   * dispatcher sends it and retries while SMTP is down.
   */
  async deliver(notice: NoticeRecord, claimer: string, actor: Actor = SYSTEM): Promise<boolean> {
    const now = this.#d.clock();
    // Account data, read before the transaction like recipientsFor().
    const user = await this.#d.directory.userById(notice.recipientUserId);
    const won = await this.#d.store.transaction(async (tx) => {
      if (!(await tx.notices.claimSend(notice.id, claimer, now))) return false;
      await tx.notices.insertUserNotice({
        id: randomUUID(),
        userId: notice.recipientUserId,
        kind: 'government_request',
        title: 'A government request for data about your account',
        body: notice.body,
        createdAt: now,
        readAt: null,
      });
      await audit(tx, now, actor, 'notice.sent', 'notice', notice.id, notice.requestId, {
        previousState: notice.state,
        suppressionReason: notice.suppressionReason,
      });
      if (user)
        await tx.mail.insertMessage({
          id: randomUUID(),
          accountId: user.accountId,
          to: user.email,
          subject: 'A government request for data about your account',
          body: notice.body,
          createdAt: now,
        });
      return true;
    });
    if (won) this.#d.mailQueued?.();
    return won;
  }
}
