import type { Generated } from 'kysely';

// Table types for kysely. Timestamps are ISO-8601 UTC strings and booleans integer 0/1 so SQLite
// and PostgreSQL agree.
export interface MeetingsTable {
  id: string;
  passcode_hash: string | null;
  host_key_hash: string;
  created_at: string;
  ended_at: string | null;
  e2ee_allowed: Generated<number>;
  unsupported_client_policy: Generated<string>;
  account_id: string | null;
  owner_user_id: string | null;
  title: string | null;
  starts_at: string | null;
}

export interface MeetingCohostsTable {
  meeting_id: string;
  user_id: string;
}

export interface AccountsTable {
  id: string;
  name: string;
  plan: string;
  allow_e2ee: number;
  unsupported_client_policy: string;
  waiting_room_by_default: number;
  passcode_required: number;
  require_two_factor: number;
  created_at: string;
  country_iso2: Generated<string | null>;
  subdivision: Generated<string | null>;
}

export interface UsersTable {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: string;
  status: string;
  password_hash: string | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: Generated<number>;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface OneTimeTokensTable {
  id: string;
  user_id: string;
  purpose: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  used_at: string | null;
}

export interface AdminAuditTable {
  id: string;
  seq: number;
  account_id: string;
  actor_user_id: string | null;
  action: string;
  target: string | null;
  detail: string;
  at: string;
}

export interface OutboxTable {
  id: string;
  account_id: string | null;
  to_address: string;
  subject: string;
  body: string;
  created_at: string;
  /** Queue columns (migration 0007); next_attempt_at null: never sent (no-SMTP era or given up). */
  attempts: Generated<number>;
  next_attempt_at: string | null;
  last_error: string | null;
  sent_at: string | null;
}

export interface LegalAgenciesTable {
  id: string;
  name: string;
  country_iso2: string;
  subdivision: string | null;
  level: string;
  created_at: string;
}
export interface LegalAgencyDomainsTable {
  domain: string;
  agency_id: string;
}
export interface LegalRequestersTable {
  id: string;
  agency_id: string;
  email: string;
  full_name: string;
  badge_number: string;
  phone: string;
  mailing_address: string;
  password_hash: string;
  email_verified_at: string | null;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: Generated<number>;
  attestation_version: number | null;
  attestation_accepted_at: string | null;
  status: string;
  created_at: string;
}
export interface LegalRequesterSessionsTable {
  id: string;
  requester_id: string;
  created_at: string;
  expires_at: string;
}
export interface LegalRequesterTokensTable {
  id: string;
  requester_id: string;
  purpose: string;
  expires_at: string;
  used_at: string | null;
}
export interface LegalRequestsTable {
  id: string;
  requester_id: string;
  agency_id: string;
  idempotency_key: string;
  received_at: string;
  request_type: string;
  country_iso2: string;
  subdivision: string | null;
  origin_country_iso2: string | null;
  legal_basis: string;
  issuing_authority: string;
  external_ref: string | null;
  description: string;
  is_emergency: number;
  is_preservation: number;
  is_national_security: number;
  wants_subscriber_info: number;
  wants_non_content: number;
  wants_content: number;
  accounts_specified: number;
  range_from: string;
  range_to: string;
  deadline_at: string;
  has_ndo: number;
  ndo_end_at: string | null;
  ndo_citation: string | null;
  ndo_valid: number | null;
  emergency_over_at: string | null;
  status: string;
  outcome: string | null;
  closed_at: string | null;
  updated_at: string;
}
export interface LegalRequestTargetsTable {
  id: string;
  request_id: string;
  position: number;
  target_type: string;
  value: string;
}
export interface LegalDocumentsTable {
  id: string;
  request_id: string;
  filename: string;
  size_bytes: number;
  sha256: string;
  content: Uint8Array;
  uploaded_by: string;
  uploaded_at: string;
}
export interface LegalMessagesTable {
  id: string;
  request_id: string;
  author_kind: string;
  author_id: string;
  body: string;
  created_at: string;
}
export interface LegalChecklistTable {
  request_id: string;
  ground: string;
  result: string;
  notes: string;
  reviewer_id: string;
  updated_at: string;
}
export interface LegalDecisionsTable {
  id: string;
  request_id: string;
  kind: string;
  challenge_kind: string | null;
  rationale: string;
  state: string;
  decided_by: string;
  decided_at: string;
  approved_by: string | null;
  approved_at: string | null;
}
export interface LegalProductionsTable {
  id: string;
  request_id: string;
  decision_id: string;
  manifest: string;
  package: Uint8Array;
  package_sha256: string;
  created_by: string;
  created_at: string;
  released_by: string | null;
  released_at: string | null;
  first_downloaded_at: string | null;
}
export interface LegalNoticesTable {
  id: string;
  request_id: string;
  recipient_user_id: string;
  recipient_kind: string;
  subject_user_id: string;
  state: string;
  suppression_reason: string | null;
  suppression_notes: string | null;
  suppressed_by: string | null;
  body: string;
  created_at: string;
  claimed_by: string | null;
  sent_at: string | null;
}
export interface LegalNdoExtensionsTable {
  id: string;
  request_id: string;
  previous_end_at: string | null;
  new_end_at: string;
  citation: string;
  recorded_by: string;
  recorded_at: string;
}
export interface LegalSchedulerClaimsTable {
  claim_key: string;
  claimed_by: string;
  claimed_at: string;
}
export interface UserNoticesTable {
  id: string;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  created_at: string;
  read_at: string | null;
}
export interface LegalAuditTable {
  seq: number;
  at: string;
  actor_kind: string;
  actor_id: string;
  action: string;
  entity: string;
  entity_id: string;
  request_id: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}
export interface LegalAuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface Database {
  meetings: MeetingsTable;
  meeting_cohosts: MeetingCohostsTable;
  accounts: AccountsTable;
  users: UsersTable;
  sessions: SessionsTable;
  one_time_tokens: OneTimeTokensTable;
  recovery_codes: RecoveryCodesTable;
  admin_audit: AdminAuditTable;
  outbox: OutboxTable;
  legal_agencies: LegalAgenciesTable;
  legal_agency_domains: LegalAgencyDomainsTable;
  legal_requesters: LegalRequestersTable;
  legal_requester_sessions: LegalRequesterSessionsTable;
  legal_requester_tokens: LegalRequesterTokensTable;
  legal_requests: LegalRequestsTable;
  legal_request_targets: LegalRequestTargetsTable;
  legal_documents: LegalDocumentsTable;
  legal_messages: LegalMessagesTable;
  legal_checklist: LegalChecklistTable;
  legal_decisions: LegalDecisionsTable;
  legal_productions: LegalProductionsTable;
  legal_notices: LegalNoticesTable;
  legal_ndo_extensions: LegalNdoExtensionsTable;
  legal_scheduler_claims: LegalSchedulerClaimsTable;
  user_notices: UserNoticesTable;
  legal_audit: LegalAuditTable;
  legal_audit_head: LegalAuditHeadTable;
  transparency_reports: TransparencyReportsTable;
  transparency_texts: TransparencyTextsTable;
  recordings: RecordingsTable;
  recording_files: RecordingFilesTable;
  account_recording_settings: AccountRecordingSettingsTable;
  recording_holds: RecordingHoldsTable;
  cluster_nodes: ClusterNodesTable;
  meeting_leases: MeetingLeasesTable;
}

export interface TransparencyReportsTable {
  period: string;
  version: number;
  published_at: string;
  published_by: string;
  note: string | null;
  audit_seq: number;
  audit_head: string;
  data_json: string;
}
export interface TransparencyTextsTable {
  key: string;
  markdown: string;
  updated_at: string;
  updated_by: string;
}

/** Migration 0008 (issue 20). */
export interface RecordingsTable {
  id: string;
  account_id: string;
  meeting_id: string;
  owner_user_id: string | null;
  started_by_name: string;
  started_at: string;
  ended_at: string | null;
  status: string;
  interrupted: number;
  stop_reason: string | null;
  progress: number;
  error: string | null;
  duration_ms: number | string | null;
  deleted_at: string | null;
  deleted_by: string | null;
  deletion_audit_seq: number | null;
  /** Migration 0010: the node composing it, and until when its claim holds (ms since epoch). */
  composer_node: string | null;
  composer_until: number | string | null;
}

export interface RecordingFilesTable {
  id: string;
  recording_id: string;
  kind: string;
  path: string;
  bytes: number | string;
  sha256: string;
  participant_id: string | null;
  participant_name: string | null;
  source: string | null;
  offset_ms: number | string;
  complete: number;
  created_at: string;
}

export interface AccountRecordingSettingsTable {
  account_id: string;
  allow_cloud_recording: number;
  retention_days: number | null;
}

export interface RecordingHoldsTable {
  recording_id: string;
  request_id: string;
  placed_at: string;
  released_at: string | null;
}

export interface ClusterNodesTable {
  node_id: string;
  public_url: string;
  media_address: string;
  participants: number;
  meetings: number;
  cpu: number;
  workers: number;
  /** ms since the epoch (bigint: PostgreSQL returns a string). */
  started_at: number | string;
  heartbeat_at: number | string;
}

export interface MeetingLeasesTable {
  meeting_id: string;
  node_id: string;
  expires_at: number | string;
  taken_at: number | string;
}
