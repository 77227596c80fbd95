import type { PlanId } from '@conclave/protocol';

// What the trust center may read about the people a request names: the account data the
// system really holds. Meeting media is never stored and E2EE content is never readable, so
// there is no method for content at all.

export interface SubjectUser {
  userId: string;
  accountId: string;
  email: string;
  name: string;
  role: string;
  status: string;
  createdAt: Date;
}

export interface SubjectAccount {
  accountId: string;
  name: string;
  plan: PlanId;
  allowE2ee: boolean;
  country: string | null;
  subdivision: string | null;
  createdAt: Date;
}

export interface SubjectMeeting {
  meetingId: string;
  accountId: string | null;
  ownerUserId: string | null;
  title: string | null;
  createdAt: Date;
  startsAt: Date | null;
  endedAt: Date | null;
  e2eeAllowed: boolean;
  cohostUserIds: string[];
}

export interface SubjectDirectory {
  userByEmail(email: string): Promise<SubjectUser | undefined>;
  userById(id: string): Promise<SubjectUser | undefined>;
  account(id: string): Promise<SubjectAccount | undefined>;
  meeting(id: string): Promise<SubjectMeeting | undefined>;
  /** Meetings the user owns or co-hosts created in [from, to]. */
  meetingsOfUser(userId: string, from: Date, to: Date): Promise<SubjectMeeting[]>;
  /** Active owners and admins: they receive notices for managed accounts. */
  accountAdmins(accountId: string): Promise<SubjectUser[]>;
  /** Active legal_reviewer / legal_admin users of the operator account (reminders). */
  legalTeam(): Promise<SubjectUser[]>;
  /** The operator's own account: legal roles count only there (config, else the oldest). */
  operatorAccountId(): Promise<string | undefined>;
}
