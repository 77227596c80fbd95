import { randomBytes } from 'node:crypto';
import { ConclaveError, planIdSchema } from '@conclave/protocol';
import type { PlanId } from '@conclave/protocol';
import { z } from 'zod';
import { createAccountWithOwner } from '../modules/accounts/account-setup';
import { hashPassword } from '../modules/accounts/secrets';
import type { SqlStores } from '../storage/sql-stores';

// The operator commands; cli/main.ts parses arguments and opens storage. Inputs are validated
// here with the same rules as the HTTP API.

const email = z.string().trim().toLowerCase().max(254).pipe(z.email());
const password = z.string().min(12, 'passwords are at least 12 characters').max(256);

export class UsageError extends Error {
  override name = 'UsageError';
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(`${what}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

export async function createAccountCommand(
  stores: SqlStores,
  opts: { name?: string; email?: string; password?: string; ownerName?: string; plan?: string },
): Promise<string> {
  const name = parse(z.string().trim().min(1).max(200), opts.name, '--name');
  const ownerEmail = parse(email, opts.email, '--email');
  const ownerPassword = parse(password, opts.password, '--password');
  const plan: PlanId = parse(planIdSchema, opts.plan ?? 'basic', '--plan');
  const ownerName = opts.ownerName?.trim() || ownerEmail.split('@')[0] || ownerEmail;
  try {
    const { accountId } = await createAccountWithOwner(stores, {
      name,
      ownerEmail,
      ownerName,
      ownerPassword,
      plan,
    });
    return `Created account "${name}" (${accountId}) on plan ${plan} with owner ${ownerEmail}.`;
  } catch (err) {
    if (err instanceof ConclaveError && err.code === 'EMAIL_TAKEN')
      throw new UsageError(`a user with the email ${ownerEmail} already exists`);
    throw err;
  }
}

export async function resetPasswordCommand(
  stores: SqlStores,
  opts: { email?: string; password?: string },
): Promise<string> {
  const address = parse(email, opts.email, '--email');
  const generated = opts.password === undefined;
  const next = generated
    ? randomBytes(15).toString('base64url')
    : parse(password, opts.password, '--password');
  const user = await stores.users.findUserByEmail(address);
  if (!user) throw new UsageError(`no user with the email ${address}`);
  await stores.users.updateUser(user.id, {
    passwordHash: await hashPassword(next),
    failedLogins: 0,
    lockedUntil: null,
    ...(user.status === 'invited' ? { status: 'active' as const } : {}),
  });
  const ended = await stores.sessions.deleteUserSessions(user.id);
  await stores.audit.append({
    accountId: user.accountId,
    actorUserId: null,
    action: 'user.password_reset_by_operator',
    target: user.id,
    detail: { email: address, sessionsEnded: ended },
    at: new Date(),
  });
  return generated
    ? `New password for ${address} (shown once): ${next}\nEnded ${ended} session(s).`
    : `Password for ${address} changed. Ended ${ended} session(s).`;
}

/**
 * `conclave user reset-2fa --email E`: turns a user's 2FA off, removes their recovery codes and
 * ends their sessions — for a lost phone when no admin can sign in, or a TOTP secret the server
 * key no longer opens (it never reads the secret, so it works in both cases).
 */
export async function resetTwoFactorCommand(
  stores: SqlStores,
  opts: { email?: string },
): Promise<string> {
  const address = parse(email, opts.email, '--email');
  const user = await stores.users.findUserRefByEmail(address);
  if (!user) throw new UsageError(`no user with the email ${address}`);
  await stores.users.updateUser(user.id, { totpSecret: null, totpPendingSecret: null });
  await stores.users.replaceRecoveryCodes(user.id, []);
  const ended = await stores.sessions.deleteUserSessions(user.id);
  await stores.audit.append({
    accountId: user.accountId,
    actorUserId: null,
    action: 'user.reset_2fa_by_operator',
    target: user.id,
    detail: { email: address, sessionsEnded: ended },
    at: new Date(),
  });
  return `Two-factor sign-in turned off for ${address}; they enrol again if their account requires it. Ended ${ended} session(s).`;
}
