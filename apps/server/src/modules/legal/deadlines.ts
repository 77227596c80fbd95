import type { RequestStatus } from '@conclave/protocol';
import type { LegalRequestRecord } from './legal-store';

// The one place that computes trust-center deadlines and expiries. Every instant is a JS Date
// (UTC milliseconds); nothing here reads the wall clock: callers pass `now` from an injected
// clock, so tests can move time.

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface LegalTimeRules {
  /** Internal time to a first legal review (research §4.5: OpenRelief SOP, illustrative). */
  reviewSlaHours: number;
  /** Emergency disclosure requests: reviewed within this many hours. */
  emergencySlaHours: number;
  /** Remind the legal team this long before a delayed-notification order ends. */
  ndoReminderDays: number;
}

export const DEFAULT_TIME_RULES: LegalTimeRules = {
  reviewSlaHours: 72,
  emergencySlaHours: 4,
  ndoReminderDays: 7,
};

/** The instant a request must be handled by: our SLA or the requester's deadline, whichever first. */
export function slaDueAt(r: LegalRequestRecord, rules: LegalTimeRules): Date {
  const hours = r.isEmergency ? rules.emergencySlaHours : rules.reviewSlaHours;
  const sla = r.receivedAt.getTime() + hours * HOUR;
  return new Date(Math.min(sla, r.deadlineAt.getTime()));
}

/** Queue order: live emergencies first, then the earliest due. */
export function compareQueue(
  a: LegalRequestRecord,
  b: LegalRequestRecord,
  rules: LegalTimeRules,
): number {
  const ea = a.isEmergency && !a.emergencyOverAt ? 0 : 1;
  const eb = b.isEmergency && !b.emergencyOverAt ? 0 : 1;
  if (ea !== eb) return ea - eb;
  const d = slaDueAt(a, rules).getTime() - slaDueAt(b, rules).getTime();
  return d !== 0 ? d : a.receivedAt.getTime() - b.receivedAt.getTime();
}

/**
 * The review SLA runs while the answer is ours to give: received, in review, or a disclosure
 * waiting for its second reviewer. A decided request (preserved, access withheld, disclosure
 * approved and waiting for release) or a challenged one (waiting on the requester) is no longer
 * overdue, even though it stays in the queue.
 */
const AWAITING_OUR_ANSWER: readonly RequestStatus[] = [
  'received',
  'in_review',
  'awaiting_approval',
];

export function isOverdue(r: LegalRequestRecord, rules: LegalTimeRules, now: Date): boolean {
  return AWAITING_OUR_ANSWER.includes(r.status) && now.getTime() > slaDueAt(r, rules).getTime();
}

/** An order ends at its end instant: from then on notice is no longer delayed. */
export function ndoExpired(endAt: Date, now: Date): boolean {
  return now.getTime() >= endAt.getTime();
}

export function ndoReminderDue(endAt: Date, now: Date, rules: LegalTimeRules): boolean {
  return !ndoExpired(endAt, now) && now.getTime() >= endAt.getTime() - rules.ndoReminderDays * DAY;
}

/** Length of the requested date range in whole days, rounded up. */
export function rangeDays(from: Date, to: Date): number {
  return Math.ceil((to.getTime() - from.getTime()) / DAY);
}
