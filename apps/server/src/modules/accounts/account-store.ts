import type { AccountLocation, AccountMeetingSettings, PlanId } from '@conclave/protocol';

export interface AccountRecord {
  id: string;
  name: string;
  plan: PlanId;
  meetingSettings: AccountMeetingSettings;
  requireTwoFactor: boolean;
  /** Billing-address country and subdivision (trust-center jurisdiction check). */
  location: AccountLocation;
  createdAt: Date;
}

export interface AccountPatch {
  plan?: PlanId;
  meetingSettings?: AccountMeetingSettings;
  requireTwoFactor?: boolean;
  location?: AccountLocation;
}

/** Storage port for accounts (organisations); adapters live in storage/. */
export interface AccountStore {
  insertAccount(account: AccountRecord): Promise<void>;
  findAccount(id: string): Promise<AccountRecord | undefined>;
  updateAccount(id: string, patch: AccountPatch): Promise<void>;
}
