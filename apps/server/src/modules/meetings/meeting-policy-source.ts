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

/**
 * What the operator decided for guest meetings (config `meetings.*`): they have no plan and no
 * account admin, so the operator stands in for both (DESIGN.md §4.1 rule 2). Read on every
 * creation and admission, like the account policy.
 */
export interface GuestMeetingPolicy {
  /** Anyone may create a meeting without signing in. */
  creation: boolean;
  /** Hosts of guest meetings may turn on E2EE. */
  e2ee: boolean;
}
