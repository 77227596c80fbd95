import { PLANS } from '@conclave/protocol';
import type { MeResult, UserView } from '@conclave/protocol';
import type { SessionContext } from '../../modules/accounts/auth-service';
import type { UserRecord } from '../../modules/accounts/user-store';

/** What the API shows of a user: never hashes, secrets or lockout counters. */
export function userView(u: UserRecord): UserView {
  return {
    id: u.id,
    accountId: u.accountId,
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.status,
    twoFactorEnabled: u.totpSecret !== null,
    createdAt: u.createdAt.toISOString(),
  };
}

export function meView(ctx: SessionContext, csrfToken: string): MeResult {
  return {
    user: userView(ctx.user),
    account: { id: ctx.account.id, name: ctx.account.name, plan: ctx.account.plan },
    mustEnrollTwoFactor: ctx.mustEnrollTwoFactor,
    csrfToken,
  };
}

export function planView(plan: keyof typeof PLANS) {
  return { plan, plans: Object.values(PLANS) };
}
