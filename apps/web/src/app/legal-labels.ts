import type {
  ChallengeKind,
  CheckResult,
  DataCategory,
  DecisionKind,
  Outcome,
  RequestStatus,
  RequestType,
  ReviewGround,
  SuppressionReason,
  TargetType,
} from '@conclave/protocol';

// The words people read for the trust center's codes (portal and console say the same thing).

export const REQUEST_TYPE_LABELS: Record<RequestType, string> = {
  subpoena: 'Subpoena',
  court_order: 'Court order',
  search_warrant: 'Search warrant',
  emergency: 'Emergency disclosure request',
  preservation: 'Preservation request',
  preservation_extension: 'Preservation extension',
  mlat: 'MLAT request',
  cloud_act: 'CLOUD Act order',
  letters_rogatory: 'Letters rogatory',
  withhold_access: 'Withhold-access order',
  national_security: 'National security request',
};

export const TARGET_TYPE_LABELS: Record<TargetType, string> = {
  email: 'Email address',
  user_id: 'User id',
  meeting_id: 'Meeting id',
};

export const DATA_CATEGORY_LABELS: Record<DataCategory, string> = {
  basic_subscriber_info: 'Basic subscriber information',
  non_content_records: 'Non-content records (meeting metadata, logs)',
  content: 'Content',
};

export const STATUS_LABELS: Record<RequestStatus, string> = {
  received: 'Received',
  in_review: 'In review',
  challenged: 'Challenged',
  awaiting_approval: 'Awaiting second approval',
  decided: 'Decided',
  released: 'Production released',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
};

export const OUTCOME_LABELS: Record<Outcome, string> = {
  rejected: 'Rejected',
  challenged: 'Challenged',
  withdrawn: 'Withdrawn',
  no_data: 'No responsive data',
  general_information: 'General information only',
  non_content_disclosed: 'Non-content disclosed',
  content_disclosed: 'Content disclosed',
  preserved: 'Preserved',
  access_withheld: 'Access withheld',
};

export const GROUND_LABELS: Record<ReviewGround, string> = {
  overbroad_or_vague: 'Overbroad or vague',
  no_legal_basis_in_jurisdiction: 'No legal basis in the requesting jurisdiction',
  not_good_faith_crime: 'Not about good-faith detection or prevention of crime',
  target_not_subject_to_jurisdiction: 'Targets not subject to the jurisdiction',
  requester_lacks_authority: 'Requesting entity without authority',
  ndo_without_end_date: 'Nondisclosure order without an end date',
  improperly_served_or_deficient: 'Improperly served or deficient',
};

export const CHECK_RESULT_LABELS: Record<CheckResult, string> = {
  pass: 'Pass',
  fail: 'Fail',
  not_applicable: 'Not applicable',
};

export const DECISION_LABELS: Record<DecisionKind, string> = {
  reject: 'Reject',
  challenge: 'Challenge',
  disclose_non_content: 'Disclose non-content',
  disclose_content: 'Disclose content',
  no_responsive_data: 'No responsive data',
  general_information: 'General information only (process, no data)',
  withdrawn: 'Withdrawn',
  preserve: 'Preserve',
  withhold_access: 'Withhold access',
};

export const CHALLENGE_LABELS: Record<ChallengeKind, string> = {
  narrow: 'Ask to narrow',
  push_back: 'Push back',
  redirect_to_customer: 'Redirect to the enterprise customer',
};

export const SUPPRESSION_LABELS: Record<SuppressionReason, string> = {
  ndo: 'Valid delayed-notification order',
  child_endangerment: 'Child endangerment',
  life_threatening_emergency: 'Life-threatening emergency',
  threat_to_service: 'Threat to the service',
};

/** An ISO instant as people read it, always in UTC (issue 7: all deadlines in UTC). */
export function utc(iso: string | null | undefined): string {
  if (!iso) return '—';
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function utcDate(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '—';
}

export function bytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
