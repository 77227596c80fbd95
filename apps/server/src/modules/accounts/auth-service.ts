import { ConclaveError } from '@conclave/protocol';
import type { LoginBody } from '@conclave/protocol';
import type { Mailer } from '../mail/mailer';
import type { AccountRecord, AccountStore } from './account-store';
import type { AdminAuditStore } from './audit-store';
import {
  hashPassword,
  hashRecoveryCode,
  newRecoveryCodes,
  newToken,
  sha256Hex,
  verifyPassword,
} from './secrets';
import type { SessionStore } from './session-store';
import type { TokenStore } from './token-store';
import { newTotpSecret, totpStep, totpUri } from './totp';
import type { UserRecord, UserStore } from './user-store';

export interface AuthDeps {
  users: UserStore;
  sessions: SessionStore;
  tokens: TokenStore;
  accounts: AccountStore;
  audit: AdminAuditStore;
  mailer: Mailer;
  /** Links in mail are built from it. */
  baseUrl: () => string;
  sessionTtlMs: number;
  maxFailedLogins: number;
  lockoutMs: number;
  now?: () => Date;
}

/** Who is calling, resolved from the session cookie on every request. */
export interface SessionContext {
  /** The stored id (hash) of the session, never the cookie value. */
  sessionId: string;
  user: UserRecord;
  account: AccountRecord;
  /** The account requires 2FA and the user has none: only enrolment routes are open. */
  mustEnrollTwoFactor: boolean;
}

const RESET_TTL_MS = 60 * 60 * 1000;

/** Sign-in, sessions, two-factor and password reset. Knows nothing of HTTP or cookies. */
export class AuthService {
  readonly #d: AuthDeps;
  readonly #now: () => Date;

  constructor(deps: AuthDeps) {
    this.#d = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  /** Checks password (and 2FA when on) and opens a session; returns the cookie value. */
  async login(body: LoginBody): Promise<{ token: string; userId: string }> {
    const now = this.#now();
    const user = await this.#d.users.findUserByEmail(body.email);
    if (user?.lockedUntil && user.lockedUntil > now) throw new ConclaveError('ACCOUNT_LOCKED');
    const ok = await verifyPassword(user?.passwordHash ?? null, body.password);
    // Deactivated and not-yet-accepted users get the same answer as a wrong password.
    if (!user || !ok || user.status !== 'active') {
      if (user) await this.#failed(user, now);
      throw new ConclaveError('LOGIN_FAILED');
    }
    if (user.totpSecret) await this.#secondFactor(user, user.totpSecret, body, now);
    if (user.failedLogins > 0 || user.lockedUntil)
      await this.#d.users.updateUser(user.id, { failedLogins: 0, lockedUntil: null });
    return { token: await this.#openSession(user.id, now), userId: user.id };
  }

  /** A TOTP code or, instead, an unused recovery code; a wrong one counts as a failed sign-in. */
  async #secondFactor(
    user: UserRecord,
    totpSecret: string,
    body: LoginBody,
    now: Date,
  ): Promise<void> {
    let accepted: boolean;
    if (body.totpCode) accepted = await this.#acceptTotp(user, totpSecret, body.totpCode, now);
    else if (body.recoveryCode)
      accepted = await this.#d.users.useRecoveryCode(
        user.id,
        hashRecoveryCode(user.id, body.recoveryCode),
        now,
      );
    else throw new ConclaveError('TWO_FACTOR_REQUIRED');
    if (!accepted) {
      await this.#failed(user, now);
      throw new ConclaveError('TWO_FACTOR_CODE_WRONG');
    }
  }

  async #failed(user: UserRecord, now: Date): Promise<void> {
    const failed = user.failedLogins + 1;
    if (failed >= this.#d.maxFailedLogins) {
      await this.#d.users.updateUser(user.id, {
        failedLogins: 0,
        lockedUntil: new Date(now.getTime() + this.#d.lockoutMs),
      });
    } else {
      await this.#d.users.updateUser(user.id, { failedLogins: failed });
    }
  }

  async #openSession(userId: string, now: Date): Promise<string> {
    const token = newToken();
    await this.#d.sessions.insertSession({
      id: sha256Hex(token),
      userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.#d.sessionTtlMs),
    });
    return token;
  }

  /** The caller behind a cookie value, or undefined (expired, signed out, deactivated). */
  async resolve(token: string): Promise<SessionContext | undefined> {
    const session = await this.#d.sessions.findSession(sha256Hex(token));
    if (!session) return undefined;
    if (session.expiresAt <= this.#now()) {
      await this.#d.sessions.deleteSession(session.id);
      return undefined;
    }
    const user = await this.#d.users.findUserById(session.userId);
    if (!user || user.status !== 'active') return undefined;
    const account = await this.#d.accounts.findAccount(user.accountId);
    if (!account) return undefined;
    return {
      sessionId: session.id,
      user,
      account,
      mustEnrollTwoFactor: account.requireTwoFactor && !user.totpSecret,
    };
  }

  async logout(ctx: SessionContext): Promise<void> {
    await this.#d.sessions.deleteSession(ctx.sessionId);
  }

  /** Sign-out everywhere: every session of the user, this one included. */
  async logoutAll(userId: string): Promise<number> {
    return this.#d.sessions.deleteUserSessions(userId);
  }

  // ---- two-factor (RFC 6238 TOTP)

  async enrollTotp(user: UserRecord): Promise<{ secret: string; otpauthUrl: string }> {
    if (user.totpSecret) throw new ConclaveError('TWO_FACTOR_ALREADY_ENABLED');
    const secret = newTotpSecret();
    await this.#d.users.updateUser(user.id, { totpPendingSecret: secret });
    return { secret, otpauthUrl: totpUri(secret, user.email) };
  }

  /** Confirms enrolment with a first code; returns the recovery codes (shown once). */
  async confirmTotp(user: UserRecord, code: string): Promise<string[]> {
    if (user.totpSecret) throw new ConclaveError('TWO_FACTOR_ALREADY_ENABLED');
    if (!user.totpPendingSecret) throw new ConclaveError('TWO_FACTOR_NOT_STARTED');
    if (!(await this.#acceptTotp(user, user.totpPendingSecret, code, this.#now())))
      throw new ConclaveError('TWO_FACTOR_CODE_WRONG');
    await this.#d.users.updateUser(user.id, {
      totpSecret: user.totpPendingSecret,
      totpPendingSecret: null,
    });
    return this.#issueRecoveryCodes(user.id);
  }

  async disableTotp(ctx: SessionContext, password: string, code: string): Promise<void> {
    const { user } = ctx;
    if (!user.totpSecret) throw new ConclaveError('TWO_FACTOR_NOT_ENABLED');
    if (ctx.account.requireTwoFactor)
      throw new ConclaveError('FORBIDDEN', 'Your account requires two-factor authentication.');
    await this.#confirmPassword(user, password);
    if (!(await this.#acceptTotp(user, user.totpSecret, code, this.#now())))
      throw new ConclaveError('TWO_FACTOR_CODE_WRONG');
    await this.#d.users.updateUser(user.id, { totpSecret: null, totpPendingSecret: null });
    await this.#d.users.replaceRecoveryCodes(user.id, []);
  }

  /** A right code of a step not used before (a code seen by a shoulder-surfer is spent). */
  async #acceptTotp(user: UserRecord, secret: string, code: string, now: Date): Promise<boolean> {
    const step = totpStep(secret, code, now);
    return step !== undefined && (await this.#d.users.useTotpStep(user.id, step));
  }

  async regenerateRecoveryCodes(user: UserRecord, password: string): Promise<string[]> {
    if (!user.totpSecret) throw new ConclaveError('TWO_FACTOR_NOT_ENABLED');
    await this.#confirmPassword(user, password);
    return this.#issueRecoveryCodes(user.id);
  }

  async #issueRecoveryCodes(userId: string): Promise<string[]> {
    const codes = newRecoveryCodes();
    await this.#d.users.replaceRecoveryCodes(
      userId,
      codes.map((c) => hashRecoveryCode(userId, c)),
    );
    return codes;
  }

  async #confirmPassword(user: UserRecord, password: string): Promise<void> {
    if (!(await verifyPassword(user.passwordHash, password)))
      throw new ConclaveError('PASSWORD_WRONG');
  }

  /** Changes the password and ends every other session of the user (this one stays). */
  async changePassword(ctx: SessionContext, current: string, next: string): Promise<void> {
    await this.#confirmPassword(ctx.user, current);
    await this.#d.users.updateUser(ctx.user.id, { passwordHash: await hashPassword(next) });
    await this.#d.sessions.deleteUserSessions(ctx.user.id, ctx.sessionId);
  }

  // ---- password reset and invites (one-time links)

  /** Always succeeds from the caller's view, so it cannot be used to probe for addresses. */
  async requestReset(email: string): Promise<void> {
    const user = await this.#d.users.findUserByEmail(email);
    if (!user || user.status !== 'active') return;
    const now = this.#now();
    await this.#d.tokens.voidTokens(user.id, 'reset', now);
    const token = newToken();
    await this.#d.tokens.insertToken({
      id: sha256Hex(token),
      userId: user.id,
      purpose: 'reset',
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESET_TTL_MS),
    });
    // The token rides in the fragment: browsers never send it to servers or in Referer headers.
    await this.#d.mailer.send({
      accountId: user.accountId,
      to: user.email,
      subject: 'Reset your Conclave password',
      text: `Someone asked to reset the password for ${user.email}.\n\nSet a new password: ${this.#d.baseUrl()}/reset-password#token=${token}\n\nThe link works once, for one hour. If it was not you, ignore this mail.\n`,
    });
  }

  /** Sets the new password and ends every session of the user. */
  async completeReset(token: string, password: string): Promise<void> {
    const userId = await this.#d.tokens.consumeToken(sha256Hex(token), 'reset', this.#now());
    if (!userId) throw new ConclaveError('TOKEN_INVALID');
    await this.#d.users.updateUser(userId, {
      passwordHash: await hashPassword(password),
      failedLogins: 0,
      lockedUntil: null,
    });
    await this.#d.sessions.deleteUserSessions(userId);
  }

  /** Activates an invited user with their password and signs them in. */
  async acceptInvite(
    token: string,
    password: string,
    name?: string,
  ): Promise<{ token: string; userId: string }> {
    const now = this.#now();
    const userId = await this.#d.tokens.consumeToken(sha256Hex(token), 'invite', now);
    const user = userId ? await this.#d.users.findUserById(userId) : undefined;
    if (!user || user.status !== 'invited') throw new ConclaveError('TOKEN_INVALID');
    await this.#d.users.updateUser(user.id, {
      status: 'active',
      passwordHash: await hashPassword(password),
      ...(name ? { name } : {}),
    });
    await this.#d.audit.append({
      accountId: user.accountId,
      actorUserId: user.id,
      action: 'user.invite_accepted',
      target: user.id,
      detail: { email: user.email },
      at: now,
    });
    return { token: await this.#openSession(user.id, now), userId: user.id };
  }
}
