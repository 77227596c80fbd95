import type { AdminAuditStore } from './audit-store';
import { REVIEWER_CONFIRMED } from './admin-service';

/** Admin-audit actions by which one user brings another into a legal role. */
const BRINGS_IN = ['user.invite', 'user.role_change'] as const;

/**
 * Whether two legal staff members are independent enough to be the two reviewers of one
 * disclosure (modules/legal/README.md "Two independent reviewers"). They are linked when, within
 * `windowDays`, one invited the other or changed their role — directly or through a chain of
 * such people (someone invited by someone the decider invited) — unless the owner confirmed the
 * invited person afterwards. The admin audit log is the record of who invited whom.
 */
export class ReviewerLinks {
  readonly #audit: AdminAuditStore;
  readonly #windowMs: number;
  readonly #now: () => Date;

  constructor(audit: AdminAuditStore, windowDays: number, now: () => Date = () => new Date()) {
    this.#audit = audit;
    this.#windowMs = windowDays * 86_400_000;
    this.#now = now;
  }

  async linked(accountId: string, a: string, b: string): Promise<boolean> {
    if (a === b) return true;
    const [upA, upB] = await Promise.all([
      this.#inviters(accountId, a),
      this.#inviters(accountId, b),
    ]);
    return upA.has(b) || upB.has(a);
  }

  /** Everyone who brought `userId` in, and who brought them in, within the window. */
  async #inviters(accountId: string, userId: string): Promise<Set<string>> {
    const since = new Date(this.#now().getTime() - this.#windowMs);
    const found = new Set<string>();
    let frontier = [userId];
    for (let depth = 0; depth < 8 && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const id of frontier) {
        for (const inviter of await this.#directInviters(accountId, id, since)) {
          if (found.has(inviter) || inviter === userId) continue;
          found.add(inviter);
          next.push(inviter);
        }
      }
      frontier = next;
    }
    return found;
  }

  async #directInviters(accountId: string, userId: string, since: Date): Promise<string[]> {
    const entries = await this.#audit.forTarget(
      accountId,
      userId,
      [...BRINGS_IN, REVIEWER_CONFIRMED],
      since,
    );
    // An owner's confirmation clears the links recorded before it.
    const lastConfirmed = entries.findLastIndex((e) => e.action === REVIEWER_CONFIRMED);
    return entries
      .slice(lastConfirmed + 1)
      .filter((e) => e.action !== REVIEWER_CONFIRMED && e.actorUserId !== null)
      .map((e) => e.actorUserId!);
  }
}
