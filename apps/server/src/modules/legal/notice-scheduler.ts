import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logger';
import type { Clock, LegalTimeRules } from './deadlines';
import { ndoExpired, ndoReminderDue } from './deadlines';
import type { LegalStore } from './legal-store';
import type { NoticeService } from './notice-service';
import type { SubjectDirectory } from './subject-directory';

// Runs the trust center's timed work: pending notices go out, NDO-suppressed notices go out when
// the order ends (an extension moves the end date, so it is re-read every tick), emergency
// suppressions are released when the emergency is marked over, the legal team is reminded
// before an order ends. Safe in several processes at once: each notice is claimed by a
// conditional UPDATE and each reminder by a unique key, so nothing is sent twice.

export interface SchedulerDeps {
  store: LegalStore;
  notices: NoticeService;
  directory: SubjectDirectory;
  clock: Clock;
  /** Called after a transaction that queued mail commits. */
  mailQueued?: () => void;
  rules: LegalTimeRules;
  logger?: Logger;
  baseUrl: () => string;
}

export interface TickReport {
  sent: number;
  reminders: number;
}

export class NoticeScheduler {
  readonly #d: SchedulerDeps;
  readonly #id = `scheduler-${randomUUID().slice(0, 8)}`;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<TickReport> | undefined;

  constructor(deps: SchedulerDeps) {
    this.#d = deps;
  }

  start(intervalMs: number): void {
    this.#timer ??= setInterval(() => {
      this.tick().catch((err: unknown) =>
        this.#d.logger?.error({ err }, 'legal scheduler tick failed'),
      );
    }, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** One pass; overlapping calls in one process share the running pass. */
  tick(): Promise<TickReport> {
    this.#running ??= this.#tick().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #tick(): Promise<TickReport> {
    const now = this.#d.clock();
    let sent = 0;
    let reminders = 0;
    const requests = new Map<string, Awaited<ReturnType<LegalStore['requests']['findRequest']>>>();
    const requestOf = async (id: string) => {
      if (!requests.has(id)) requests.set(id, await this.#d.store.requests.findRequest(id));
      return requests.get(id);
    };
    for (const n of await this.#d.store.notices.listUnsent()) {
      const r = await requestOf(n.requestId);
      if (!r || r.status === 'withdrawn') continue;
      let due = false;
      if (n.state === 'pending') due = true;
      else if (n.suppressionReason === 'ndo') due = !r.ndoEndAt || ndoExpired(r.ndoEndAt, now);
      else if (n.suppressionReason === 'life_threatening_emergency')
        due = r.emergencyOverAt !== null;
      if (due && (await this.#d.notices.deliver(n, this.#id))) sent++;
      if (
        n.state === 'suppressed' &&
        n.suppressionReason === 'ndo' &&
        r.ndoEndAt &&
        ndoReminderDue(r.ndoEndAt, now, this.#d.rules)
      )
        if (
          await this.#remindOnce(
            `ndo-reminder:${r.id}:${r.ndoEndAt.toISOString()}`,
            now,
            `The delayed-notification order on request ${r.id} ends ${r.ndoEndAt.toISOString()} (UTC). The user notice will go out automatically then unless an extension is recorded.`,
          )
        )
          reminders++;
      if (
        n.state === 'suppressed' &&
        r.emergencyOverAt &&
        n.suppressionReason !== 'ndo' &&
        n.suppressionReason !== 'life_threatening_emergency'
      )
        if (
          await this.#remindOnce(
            `emergency-over:${r.id}`,
            now,
            `The emergency on request ${r.id} was marked over. Revisit its suppressed user notices (${n.suppressionReason}).`,
          )
        )
          reminders++;
    }
    return { sent, reminders };
  }

  /** The claim and the queued reminders commit together: a claimed reminder is never lost. */
  async #remindOnce(key: string, now: Date, text: string): Promise<boolean> {
    const team = await this.#d.directory.legalTeam();
    const won = await this.#d.store.transaction(async (tx) => {
      if (!(await tx.notices.claimOnce(key, this.#id, now))) return false;
      for (const u of team)
        await tx.mail.insertMessage({
          id: randomUUID(),
          accountId: u.accountId,
          to: u.email,
          subject: 'Trust center reminder',
          body: `${text}\n\n${this.#d.baseUrl()}/legal\n`,
          createdAt: now,
        });
      return true;
    });
    if (won) this.#d.mailQueued?.();
    return won;
  }
}
