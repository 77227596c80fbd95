import type { Config } from '../../config/config';
import type { Logger } from '../../logger';
import type { Mailer } from '../mail/mailer';
import type { Clock, LegalTimeRules } from './deadlines';
import { IntakeService } from './intake-service';
import type { LegalStore } from './legal-store';
import { NoticeScheduler } from './notice-scheduler';
import { NoticeService } from './notice-service';
import { RequesterService } from './requester-service';
import { ReviewService } from './review-service';
import type { SubjectDirectory } from './subject-directory';

export interface LegalModule {
  requesters: RequesterService;
  intake: IntakeService;
  review: ReviewService;
  notices: NoticeService;
  scheduler: NoticeScheduler;
  maxDocumentBytes: number;
}

/** Builds the trust center's services from config; server.ts starts and stops the scheduler. */
export function createLegalModule(d: {
  config: Config;
  store: LegalStore;
  directory: SubjectDirectory;
  mailer: Mailer;
  /** Called after a transaction that queued mail commits (the dispatcher sends it). */
  mailQueued: () => void;
  clock: Clock;
  logger: Logger;
  baseUrl: () => string;
  /** Whether one reviewer brought the other into a legal role recently (two-reviewer rule). */
  reviewersLinked?: (deciderId: string, approverId: string) => Promise<boolean>;
}): LegalModule {
  const c = d.config.legal;
  const rules: LegalTimeRules = {
    reviewSlaHours: c.reviewSlaHours,
    emergencySlaHours: c.emergencySlaHours,
    ndoReminderDays: c.ndoReminderDays,
  };
  const maxDocumentBytes = Math.floor(c.maxDocumentMegabytes * 1024 * 1024);
  const requesters = new RequesterService({
    store: d.store,
    mailQueued: d.mailQueued,
    clock: d.clock,
    baseUrl: d.baseUrl,
    allowedDomains: () => c.allowedEmailDomains,
    sessionTtlMs: 8 * 3_600_000,
    mailAccountId: () => d.directory.operatorAccountId(),
  });
  const intake = new IntakeService({
    store: d.store,
    clock: d.clock,
    maxDocumentBytes,
    onSubmitted: (r) => {
      // Only the id and urgency: the request itself stays behind the console's sign-in.
      void (async () => {
        for (const u of await d.directory.legalTeam())
          await d.mailer.send({
            accountId: u.accountId,
            to: u.email,
            subject: r.isEmergency
              ? 'EMERGENCY government request received'
              : 'Government request received',
            text: `Request ${r.id} was received. Review it at ${d.baseUrl()}/legal\n`,
          });
      })().catch((err: unknown) => d.logger.error({ err }, 'legal team notification failed'));
    },
  });
  const notices = new NoticeService({
    store: d.store,
    directory: d.directory,
    mailQueued: d.mailQueued,
    clock: d.clock,
  });
  const review = new ReviewService({
    store: d.store,
    directory: d.directory,
    notices,
    clock: d.clock,
    rules,
    limits: { maxTargets: c.maxTargets, maxRangeDays: c.maxRangeDays },
    ...(d.reviewersLinked ? { reviewersLinked: d.reviewersLinked } : {}),
  });
  const scheduler = new NoticeScheduler({
    store: d.store,
    notices,
    directory: d.directory,
    mailQueued: d.mailQueued,
    clock: d.clock,
    rules,
    logger: d.logger,
    baseUrl: d.baseUrl,
  });
  return { requesters, intake, review, notices, scheduler, maxDocumentBytes };
}
