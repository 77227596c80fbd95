import { randomUUID } from 'node:crypto';
import { ConclaveError } from '@conclave/protocol';
import type { PlanId } from '@conclave/protocol';
import type { AccountStore } from './account-store';
import type { AdminAuditStore } from './audit-store';
import { hashPassword } from './secrets';
import type { UserStore } from './user-store';

export interface NewAccount {
  name: string;
  ownerEmail: string;
  ownerName: string;
  ownerPassword: string;
  plan?: PlanId;
}

/** Creates an account with its first owner (the operator's CLI command, and tests). */
export async function createAccountWithOwner(
  stores: { accounts: AccountStore; users: UserStore; audit: AdminAuditStore },
  req: NewAccount,
  now = new Date(),
): Promise<{ accountId: string; ownerId: string }> {
  const email = req.ownerEmail.trim().toLowerCase();
  if (await stores.users.findUserByEmail(email)) throw new ConclaveError('EMAIL_TAKEN');
  const accountId = randomUUID();
  const ownerId = randomUUID();
  await stores.accounts.insertAccount({
    id: accountId,
    name: req.name,
    plan: req.plan ?? 'basic',
    meetingSettings: {
      allowE2ee: false,
      unsupportedClientPolicy: 'downgrade',
      waitingRoomByDefault: false,
      passcodeRequired: false,
    },
    requireTwoFactor: false,
    location: { country: null, subdivision: null },
    createdAt: now,
  });
  const inserted = await stores.users.insertUser({
    id: ownerId,
    accountId,
    email,
    name: req.ownerName,
    role: 'owner',
    status: 'active',
    passwordHash: await hashPassword(req.ownerPassword),
    totpSecret: null,
    totpPendingSecret: null,
    totpLastStep: 0,
    failedLogins: 0,
    lockedUntil: null,
    createdAt: now,
  });
  if (!inserted) throw new ConclaveError('EMAIL_TAKEN');
  await stores.audit.append({
    accountId,
    actorUserId: null,
    action: 'account.create',
    target: accountId,
    detail: { name: req.name, ownerEmail: email, plan: req.plan ?? 'basic' },
    at: now,
  });
  return { accountId, ownerId };
}
