import type { Generated } from 'kysely';

// Table types for kysely. Timestamps are ISO-8601 UTC strings so SQLite and PostgreSQL agree.
export interface MeetingsTable {
  id: string;
  passcode_hash: string | null;
  host_key_hash: string;
  created_at: string;
  ended_at: string | null;
  e2ee_allowed: Generated<number>;
  unsupported_client_policy: Generated<string>;
}

export interface Database {
  meetings: MeetingsTable;
}
