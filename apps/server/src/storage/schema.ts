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
}
