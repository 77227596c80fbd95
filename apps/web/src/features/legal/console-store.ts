import type {
  AgencyBody,
  AgencyView,
  AuditEntryView,
  CheckResult,
  DecisionBody,
  QueueItem,
  ReviewGround,
  ReviewRequestDetail,
  SuppressionReason,
} from '@conclave/protocol';
import { ConclaveError, ERRORS } from '@conclave/protocol';
import { createStore } from '../../state/create-store';

/** The one sentence for "not legal staff of the operator", whichever check said no. */
export const LEGAL_TEAM_ONLY =
  'Only legal reviewers and legal admins of the operator account can open the legal console.';
/** The one sentence for "legal staff, but no second factor" (the server's own wording). */
export const LEGAL_NEEDS_2FA = ERRORS.LEGAL_TWO_FACTOR_REQUIRED.message;
import { legalApi } from './legal-api';

// The legal console's one state module: the queue, the open request with its audit trail, and
// the outcome of the last action. Every action reloads the request (and its trail), so what the
// reviewer sees is what the server recorded.

export interface ConsoleState {
  queue: QueueItem[] | undefined;
  agencies: AgencyView[] | undefined;
  detail: ReviewRequestDetail | undefined;
  trail: AuditEntryView[] | undefined;
  /** FORBIDDEN / NOT_SIGNED_IN from the server: shown instead of the console. */
  denied: string | undefined;
  error: string | undefined;
  notice: string | undefined;
  busy: boolean;
}

const store = createStore<ConsoleState>({
  queue: undefined,
  agencies: undefined,
  detail: undefined,
  trail: undefined,
  denied: undefined,
  error: undefined,
  notice: undefined,
  busy: false,
});
export const useConsole = store.use;

const message = (err: unknown) => (err instanceof Error ? err.message : 'That did not work.');
/** A refusal to open the console, worded the same as the console's own check. */
const denial = (err: unknown) =>
  err instanceof ConclaveError && err.code === 'FORBIDDEN' ? LEGAL_TEAM_ONLY : message(err);

async function run(fn: () => Promise<void>, done?: string): Promise<boolean> {
  store.set({ busy: true, error: undefined, notice: undefined });
  try {
    await fn();
    if (done) store.set({ notice: done });
    return true;
  } catch (err) {
    store.set({ error: message(err) });
    return false;
  } finally {
    store.set({ busy: false });
  }
}

export async function loadQueue(): Promise<void> {
  try {
    store.set({ queue: (await legalApi.queue()).queue, denied: undefined });
  } catch (err) {
    store.set({ denied: denial(err) });
  }
}

async function reload(id: string): Promise<void> {
  const [detail, audit] = await Promise.all([legalApi.view(id), legalApi.audit(id)]);
  store.set({ detail, trail: audit.entries });
}

export async function openRequest(id: string): Promise<void> {
  if (store.get().detail?.request.id !== id)
    store.set({ detail: undefined, trail: undefined, error: undefined, notice: undefined });
  try {
    await reload(id);
    store.set({ denied: undefined });
  } catch (err) {
    store.set({ denied: denial(err) });
  }
}

const act = (id: string, fn: () => Promise<unknown>, done: string) =>
  run(async () => {
    await fn();
    await reload(id);
  }, done);

export const saveChecklist = (
  id: string,
  answers: { ground: ReviewGround; result: CheckResult; notes: string }[],
) => act(id, () => legalApi.saveChecklist(id, answers), 'Checklist saved.');

export const decide = (id: string, body: DecisionBody) =>
  act(id, () => legalApi.decide(id, body), 'Decision recorded.');

export const approveDecision = (id: string, decisionId: string) =>
  act(id, () => legalApi.approve(id, decisionId), 'Disclosure approved.');

export const reviewNdo = (id: string, valid: boolean, notes: string) =>
  act(
    id,
    () => legalApi.reviewNdo(id, valid, notes),
    valid ? 'Order marked valid.' : 'Order marked not valid.',
  );

export const extendNdo = (id: string, newEndDate: string, citation: string) =>
  act(id, () => legalApi.extendNdo(id, newEndDate, citation), 'Extension recorded.');

export const markEmergencyOver = (id: string) =>
  act(id, () => legalApi.emergencyOver(id), 'Emergency marked over.');

export const suppressNotice = (
  id: string,
  noticeId: string,
  reason: SuppressionReason,
  notes: string,
) => act(id, () => legalApi.suppressNotice(id, noticeId, reason, notes), 'Notice held.');

export const sendNotice = (id: string, noticeId: string) =>
  act(id, () => legalApi.sendNotice(id, noticeId), 'Notice sent.');

export const buildProduction = (id: string) =>
  act(id, () => legalApi.buildProduction(id), 'Production built.');

export const releaseProduction = (id: string, prodId: string) =>
  act(id, () => legalApi.releaseProduction(id, prodId), 'Production released to the requester.');

export const sendReviewerMessage = (id: string, body: string) =>
  act(id, () => legalApi.message(id, body), 'Message sent.');

// ---- agencies (whose official domains may register; legal admins add them)

export async function loadAgencies(): Promise<void> {
  try {
    store.set({ agencies: (await legalApi.agencies()).agencies });
  } catch (err) {
    store.set({ error: message(err) });
  }
}

export const createAgency = (body: AgencyBody) =>
  run(
    async () => {
      await legalApi.createAgency(body);
      await loadAgencies();
    },
    `${body.name} can now register requesters from ${body.emailDomains.join(', ')}.`,
  );
