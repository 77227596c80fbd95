import type { UnsupportedClientPolicy } from '@conclave/protocol';

/** An account's current meeting policy: its plan's features combined with the admin settings. */
export interface AccountMeetingPolicy {
  planIncludesE2ee: boolean;
  /** The admin's "Allow end-to-end encryption" switch. */
  allowE2ee: boolean;
  unsupportedClientPolicy: UnsupportedClientPolicy;
  passcodeRequired: boolean;
  waitingRoomByDefault: boolean;
  maxParticipants: number;
}

/**
 * How the meetings module (and through it rtc/) asks an account's settings *now*: read on every
 * admission and on every settings change, never copied into the meeting row, so a plan change
 * reaches running meetings at once. The accounts module implements it; main.ts injects it.
 */
export interface MeetingPolicySource {
  policyFor(accountId: string): Promise<AccountMeetingPolicy | undefined>;
}
