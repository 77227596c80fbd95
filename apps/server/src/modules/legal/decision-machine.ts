import type { DecisionKind, Outcome, RequestStatus } from '@conclave/protocol';

// The request life cycle as a table (issue 7 "decisions state machine"). Disclosures wait for a
// second reviewer; everything else takes effect at once. Terminal states accept no decision.

export const OPEN_STATUSES: readonly RequestStatus[] = ['received', 'in_review', 'challenged'];
export const WITHDRAWABLE: readonly RequestStatus[] = [...OPEN_STATUSES, 'awaiting_approval'];

export function isDisclosure(kind: DecisionKind): boolean {
  return kind === 'disclose_content' || kind === 'disclose_non_content';
}

export interface Transition {
  /** Status right after the decision is recorded. */
  status: RequestStatus;
  /** Status once approved (disclosures only). */
  approvedStatus?: RequestStatus;
  outcome: Outcome;
  needsApproval: boolean;
}

const TABLE: Record<DecisionKind, Transition> = {
  reject: { status: 'closed', outcome: 'rejected', needsApproval: false },
  // A challenge keeps the request open: the requester may narrow it or withdraw.
  challenge: { status: 'challenged', outcome: 'challenged', needsApproval: false },
  no_responsive_data: { status: 'closed', outcome: 'no_data', needsApproval: false },
  // We explained our process and gave no data: closes the request, nothing leaves, no approval.
  general_information: { status: 'closed', outcome: 'general_information', needsApproval: false },
  withdrawn: { status: 'withdrawn', outcome: 'withdrawn', needsApproval: false },
  // Preservation is not disclosure (research §8): nothing leaves, no approval needed.
  preserve: { status: 'decided', outcome: 'preserved', needsApproval: false },
  withhold_access: { status: 'decided', outcome: 'access_withheld', needsApproval: false },
  disclose_non_content: {
    status: 'awaiting_approval',
    approvedStatus: 'decided',
    outcome: 'non_content_disclosed',
    needsApproval: true,
  },
  disclose_content: {
    status: 'awaiting_approval',
    approvedStatus: 'decided',
    outcome: 'content_disclosed',
    needsApproval: true,
  },
};

/** The transition for `kind` from `from`, or undefined when the request cannot take it. */
export function transition(from: RequestStatus, kind: DecisionKind): Transition | undefined {
  // A pending disclosure may be replaced by another decision (the second reviewer disagrees).
  if (!WITHDRAWABLE.includes(from)) return undefined;
  return TABLE[kind];
}

export function isFinal(status: RequestStatus): boolean {
  return status === 'closed' || status === 'withdrawn' || status === 'released';
}
