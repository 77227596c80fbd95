import { PLANS } from '@conclave/protocol';
import type { AccountMeetingPolicy, MeetingPolicySource } from '../meetings/meeting-policy-source';
import type { AccountRecord, AccountStore } from './account-store';

/** The plan's feature matrix combined with the admin's settings. */
export function policyOf(account: AccountRecord): AccountMeetingPolicy {
  const plan = PLANS[account.plan];
  return {
    planIncludesE2ee: plan.e2ee,
    allowE2ee: account.meetingSettings.allowE2ee,
    unsupportedClientPolicy: account.meetingSettings.unsupportedClientPolicy,
    passcodeRequired: account.meetingSettings.passcodeRequired,
    waitingRoomByDefault: account.meetingSettings.waitingRoomByDefault,
    maxParticipants: plan.maxParticipants,
  };
}

/** MeetingPolicySource over the account store: always the stored state, never a cache. */
export class AccountPolicySource implements MeetingPolicySource {
  readonly #accounts: AccountStore;
  constructor(accounts: AccountStore) {
    this.#accounts = accounts;
  }

  async policyFor(accountId: string): Promise<AccountMeetingPolicy | undefined> {
    const account = await this.#accounts.findAccount(accountId);
    return account ? policyOf(account) : undefined;
  }
}
