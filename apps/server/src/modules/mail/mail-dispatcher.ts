import type { Logger } from '../../logger';
import type { MailMessage } from './mailer';
import type { OutboxStore, QueuedMail } from './outbox-store';

// Sends the queued mail over SMTP. Safe with several server processes on one database: each
// attempt is claimed by a conditional UPDATE (OutboxStore.claim), so a mail goes out once.
// A process that dies between sending and marking sent would let the mail go out again after
// the lease: at-least-once, as with any SMTP client.

/** Where the dispatcher delivers; SmtpMailer in production. */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
}

export interface DispatcherDeps {
  store: OutboxStore;
  transport: MailTransport;
  clock?: () => Date;
  logger?: Logger;
  /** Mail older than this that still failed is no longer tried; it stays with its last error. */
  giveUpAfterMs?: number;
  /** How long a claimed attempt may take before another process may retry it. */
  leaseMs?: number;
  batchSize?: number;
}

export interface DispatchReport {
  sent: number;
  failed: number;
}

const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;

/** Wait after the `attempts`-th failed attempt: 30 s, doubling, capped at 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

/**
 * A short, secret-free reason built from codes only (nodemailer's code, the SMTP reply code and
 * command, the socket error such as ECONNREFUSED), never from free text that could quote the
 * mail, its recipient or credentials.
 */
export function describeMailError(err: unknown): string {
  if (!(err instanceof Error)) return 'unknown error';
  const e = err as Error & { code?: unknown; responseCode?: unknown; command?: unknown };
  const socket = /\b(E[A-Z]{4,})\b/.exec(e.message)?.[1];
  const parts = [
    typeof e.code === 'string' ? e.code : undefined,
    socket && socket !== e.code ? socket : undefined,
    typeof e.responseCode === 'number' ? `SMTP ${e.responseCode}` : undefined,
    typeof e.command === 'string' ? `at ${e.command.split(' ')[0]}` : undefined,
  ].filter(Boolean);
  return (parts.length > 0 ? parts.join(' ') : e.name).slice(0, 120);
}

export class MailDispatcher {
  readonly #d: DispatcherDeps;
  readonly #now: () => Date;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<DispatchReport> | undefined;
  #again = false;
  #stopped = false;

  constructor(deps: DispatcherDeps) {
    this.#d = deps;
    this.#now = deps.clock ?? (() => new Date());
  }

  get #giveUpMs(): number {
    return this.#d.giveUpAfterMs ?? 72 * 3_600_000;
  }

  start(intervalMs: number): void {
    this.#timer ??= setInterval(() => this.kick(), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#again = false;
    await this.#running?.catch(() => undefined);
  }

  /** Runs a pass soon (after mail was queued); errors are logged, never thrown. */
  kick(): void {
    if (this.#stopped) return;
    if (this.#running) this.#again = true;
    this.tick().catch((err: unknown) =>
      this.#d.logger?.error({ err: describeMailError(err) }, 'mail dispatch failed'),
    );
  }

  /** One pass over due mail; overlapping calls share the running pass. */
  tick(): Promise<DispatchReport> {
    this.#running ??= this.#tick().finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.kick();
      }
    });
    return this.#running;
  }

  async #tick(): Promise<DispatchReport> {
    const report: DispatchReport = { sent: 0, failed: 0 };
    const now = this.#now();
    const notBefore = new Date(now.getTime() - this.#giveUpMs);
    const due = await this.#d.store.listDue(now, notBefore, this.#d.batchSize ?? 50);
    for (const mail of due) {
      const leaseUntil = new Date(now.getTime() + (this.#d.leaseMs ?? 5 * 60_000));
      if (!(await this.#d.store.claim(mail, leaseUntil))) continue;
      if (await this.#attempt(mail, mail.attempts + 1)) report.sent++;
      else report.failed++;
    }
    return report;
  }

  async #attempt(mail: QueuedMail, attempts: number): Promise<boolean> {
    try {
      await this.#d.transport.send({
        accountId: mail.accountId,
        to: mail.to,
        subject: mail.subject,
        text: mail.body,
      });
    } catch (err) {
      const reason = describeMailError(err);
      const retryAt = new Date(this.#now().getTime() + retryDelayMs(attempts));
      // The next attempt would fall past the age limit: stop here, the row keeps its error.
      const givesUp = retryAt.getTime() - mail.createdAt.getTime() > this.#giveUpMs;
      await this.#d.store.markFailed(mail.id, reason, givesUp ? null : retryAt);
      this.#d.logger?.warn(
        { mailId: mail.id, attempts, reason, retryAt: givesUp ? null : retryAt.toISOString() },
        givesUp ? 'mail delivery failed; giving up' : 'mail delivery failed; will retry',
      );
      return false;
    }
    await this.#d.store.markSent(mail.id, this.#now());
    return true;
  }
}
