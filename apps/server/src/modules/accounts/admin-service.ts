import { randomUUID } from 'node:crypto';
import { ConclaveError, PLANS } from '@conclave/protocol';
import type {
  AccountLocation,
  AccountMeetingSettings,
  AccountRole,
  PlanId,
} from '@conclave/protocol';
import type { Mailer } from '../mail/mailer';
import type { OutboxStore, QueuedMail } from '../mail/outbox-store';
import { TypedEmitter } from '../../util/typed-emitter';
import type { AccountStore } from './account-store';
import type { AdminAuditEntry, AdminAuditStore } from './audit-store';
import type { SessionContext } from './auth-service';
import { newToken, sha256Hex } from './secrets';
import type { SessionStore } from './session-store';
import type { TokenStore } from './token-store';
import type { UserQuery, UserRecord, UserStore } from './user-store';

export interface AdminDeps {
  accounts: AccountStore;
  users: UserStore;
  sessions: SessionStore;
  tokens: TokenStore;
  audit: AdminAuditStore;
  outbox: OutboxStore;
  mailer: Mailer;
  baseUrl: () => string;
  now?: () => Date;
}

export type AdminEvents = {
  /** Plan or meeting settings changed: running meetings of the account must re-read them. */
  policyChanged: [accountId: string];
};

const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const LEGAL_ROLES: readonly AccountRole[] = ['legal_reviewer', 'legal_admin'];
export const isLegalRole = (role: AccountRole): boolean => LEGAL_ROLES.includes(role);

/**
 * Legal roles are granted, changed and removed only by an owner or a legal admin: an admin who
 * could mint legal staff could approve their own disclosures (issue 15). A legal admin manages
 * legal staff only, between the legal roles and `member`.
 */
function checkLegalRoleChange(
  actor: SessionContext,
  from: AccountRole | undefined,
  to: AccountRole,
) {
  const touchesLegal = (from !== undefined && isLegalRole(from)) || isLegalRole(to);
  if (!touchesLegal) return;
  const role = actor.user.role;
  if (role !== 'owner' && role !== 'legal_admin') throw new ConclaveError('LEGAL_ROLES_RESTRICTED');
  if (role === 'legal_admin') {
    const staffOrMember = (r: AccountRole) => isLegalRole(r) || r === 'member';
    if ((from !== undefined && !staffOrMember(from)) || !staffOrMember(to))
      throw new ConclaveError('FORBIDDEN');
  }
}

/** A mail as the outbox shows it: the body only to its recipient. */
export type OutboxEntry = Omit<QueuedMail, 'body'> & { body: string | null };

/** The admin-audit action by which the owner confirms an independent reviewer. */
export const REVIEWER_CONFIRMED = 'user.reviewer_confirmed';

/** Deactivating legal staff or resetting their 2FA is removing or weakening a legal role. */
function checkLegalStaffAction(actor: SessionContext, target: UserRecord) {
  if (isLegalRole(target.role) && actor.user.role !== 'owner' && actor.user.role !== 'legal_admin')
    throw new ConclaveError('LEGAL_ROLES_RESTRICTED');
}

/**
 * The account admin console. Every method acts on the caller's own account only (the account id
 * comes from the session, never from the request) and writes one admin audit row.
 */
export class AdminService extends TypedEmitter<AdminEvents> {
  readonly #d: AdminDeps;
  readonly #now: () => Date;

  constructor(deps: AdminDeps) {
    super();
    this.#d = deps;
    this.#now = deps.now ?? (() => new Date());
  }

  listUsers(actor: SessionContext, query: UserQuery) {
    return this.#d.users.listUsers(actor.account.id, query);
  }

  async invite(
    actor: SessionContext,
    req: { email: string; role: AccountRole; name?: string | undefined },
  ): Promise<UserRecord> {
    if (req.role === 'owner' && actor.user.role !== 'owner') throw new ConclaveError('OWNER_ONLY');
    checkLegalRoleChange(actor, undefined, req.role);
    const now = this.#now();
    const user: UserRecord = {
      id: randomUUID(),
      accountId: actor.account.id,
      email: req.email,
      name: req.name ?? req.email.split('@')[0] ?? req.email,
      role: req.role,
      status: 'invited',
      passwordHash: null,
      totpSecret: null,
      totpPendingSecret: null,
      totpLastStep: 0,
      failedLogins: 0,
      lockedUntil: null,
      createdAt: now,
    };
    if (!(await this.#d.users.insertUser(user))) throw new ConclaveError('EMAIL_TAKEN');
    const token = newToken();
    await this.#d.tokens.insertToken({
      id: sha256Hex(token),
      userId: user.id,
      purpose: 'invite',
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITE_TTL_MS),
    });
    await this.#d.mailer.send({
      accountId: actor.account.id,
      to: user.email,
      subject: `You are invited to ${actor.account.name} on Conclave`,
      text: `${actor.user.name} invited you to ${actor.account.name} on Conclave.\n\nAccept and set your password: ${this.#d.baseUrl()}/accept-invite#token=${token}\n\nThe link works once, for seven days.\n`,
    });
    await this.#log(actor, 'user.invite', user.id, { email: user.email, role: user.role });
    return user;
  }

  async changeRole(actor: SessionContext, userId: string, role: AccountRole): Promise<UserRecord> {
    const target = await this.#target(actor, userId);
    if ((role === 'owner' || target.role === 'owner') && actor.user.role !== 'owner')
      throw new ConclaveError('OWNER_ONLY');
    checkLegalRoleChange(actor, target.role, role);
    if (target.role === 'owner' && role !== 'owner') await this.#keepAnOwner(actor, target);
    await this.#d.users.updateUser(target.id, { role });
    await this.#log(actor, 'user.role_change', target.id, { from: target.role, to: role });
    return { ...target, role };
  }

  async setActive(actor: SessionContext, userId: string, active: boolean): Promise<UserRecord> {
    const target = await this.#target(actor, userId);
    if (target.role === 'owner' && actor.user.role !== 'owner')
      throw new ConclaveError('OWNER_ONLY');
    checkLegalStaffAction(actor, target);
    if (!active && target.role === 'owner') await this.#keepAnOwner(actor, target);
    // Reactivating an invitee who never set a password would leave a user who cannot sign in.
    const status = active ? (target.passwordHash ? 'active' : 'invited') : 'deactivated';
    await this.#d.users.updateUser(target.id, { status });
    if (!active) await this.#d.sessions.deleteUserSessions(target.id);
    await this.#log(actor, active ? 'user.reactivate' : 'user.deactivate', target.id, {
      email: target.email,
    });
    return { ...target, status };
  }

  /** Ends every session of a user (a lost laptop); they sign in again. */
  async signOutUser(actor: SessionContext, userId: string): Promise<number> {
    const target = await this.#target(actor, userId);
    if (target.role === 'owner' && actor.user.role !== 'owner')
      throw new ConclaveError('OWNER_ONLY');
    const ended = await this.#d.sessions.deleteUserSessions(target.id);
    await this.#log(actor, 'user.sign_out_everywhere', target.id, { sessionsEnded: ended });
    return ended;
  }

  /**
   * Turns a user's 2FA off (a lost phone and no recovery codes) and ends their sessions; if the
   * account requires 2FA they must enrol again at their next sign-in.
   */
  async resetTwoFactor(actor: SessionContext, userId: string): Promise<UserRecord> {
    const target = await this.#target(actor, userId);
    if (target.role === 'owner' && actor.user.role !== 'owner')
      throw new ConclaveError('OWNER_ONLY');
    checkLegalStaffAction(actor, target);
    await this.#d.users.updateUser(target.id, { totpSecret: null, totpPendingSecret: null });
    await this.#d.users.replaceRecoveryCodes(target.id, []);
    await this.#d.sessions.deleteUserSessions(target.id);
    await this.#log(actor, 'user.reset_2fa', target.id, { email: target.email });
    return { ...target, totpSecret: null, totpPendingSecret: null };
  }

  async #target(actor: SessionContext, userId: string): Promise<UserRecord> {
    const target = await this.#d.users.findUserById(userId);
    // Another account's user is "not found": ids of other accounts are not confirmed.
    if (!target || target.accountId !== actor.account.id) throw new ConclaveError('USER_NOT_FOUND');
    if (target.id === actor.user.id) throw new ConclaveError('CANNOT_CHANGE_SELF');
    return target;
  }

  async #keepAnOwner(actor: SessionContext, target: UserRecord): Promise<void> {
    const owners = await this.#d.users.countActiveOwners(actor.account.id);
    if (owners <= (target.status === 'active' ? 1 : 0)) throw new ConclaveError('LAST_OWNER');
  }

  async setPlan(actor: SessionContext, plan: PlanId): Promise<void> {
    const account = await this.#account(actor);
    const settings = account.meetingSettings;
    // A plan without E2EE switches the admin setting off too, so upgrading later is a choice.
    const meetingSettings =
      !PLANS[plan].e2ee && settings.allowE2ee ? { ...settings, allowE2ee: false } : settings;
    await this.#d.accounts.updateAccount(account.id, { plan, meetingSettings });
    await this.#log(actor, 'plan.change', account.id, { from: account.plan, to: plan });
    this.emit('policyChanged', account.id);
  }

  async meetingSettings(actor: SessionContext) {
    const account = await this.#account(actor);
    return { ...account.meetingSettings, planIncludesE2ee: PLANS[account.plan].e2ee };
  }

  async setMeetingSettings(
    actor: SessionContext,
    patch: Partial<AccountMeetingSettings>,
  ): Promise<AccountMeetingSettings> {
    const account = await this.#account(actor);
    const next = { ...account.meetingSettings, ...patch };
    if (next.allowE2ee && !PLANS[account.plan].e2ee) throw new ConclaveError('PLAN_EXCLUDES_E2EE');
    await this.#d.accounts.updateAccount(account.id, { meetingSettings: next });
    await this.#log(actor, 'meeting_settings.change', account.id, {
      from: account.meetingSettings,
      to: next,
    });
    this.emit('policyChanged', account.id);
    return next;
  }

  async setRequireTwoFactor(actor: SessionContext, requireTwoFactor: boolean): Promise<void> {
    const account = await this.#account(actor);
    await this.#d.accounts.updateAccount(account.id, { requireTwoFactor });
    await this.#log(actor, 'security.require_2fa', account.id, {
      from: account.requireTwoFactor,
      to: requireTwoFactor,
    });
  }

  /** The billing-address location the trust center's jurisdiction pre-check reads. */
  async setLocation(actor: SessionContext, location: AccountLocation): Promise<AccountLocation> {
    const account = await this.#account(actor);
    await this.#d.accounts.updateAccount(account.id, { location });
    await this.#log(actor, 'account.location_change', account.id, {
      from: account.location,
      to: location,
    });
    return location;
  }

  async #account(actor: SessionContext) {
    // Re-read: the session's copy may be older than another admin's change.
    const account = await this.#d.accounts.findAccount(actor.account.id);
    if (!account) throw new ConclaveError('NOT_SIGNED_IN');
    return account;
  }

  async currentAccount(actor: SessionContext) {
    return this.#account(actor);
  }

  auditLog(actor: SessionContext, limit: number, beforeSeq?: number): Promise<AdminAuditEntry[]> {
    return this.#d.audit.list(actor.account.id, limit, beforeSeq);
  }

  /**
   * Mail not delivered yet, as metadata: recipient, subject, delivery state. Bodies carry
   * credentials (invite, reset and verification links), so a body is shown only to its
   * recipient; an admin who could read them could take over the account the link opens, or
   * accept an invitation to a legal role (issue 15).
   */
  async outbox(actor: SessionContext, limit = 100): Promise<OutboxEntry[]> {
    const all = await this.#d.outbox.listMessages(actor.account.id, limit);
    const visible = all.map((m) => ({ ...m, body: m.to === actor.user.email ? m.body : null }));
    await this.#log(actor, 'outbox.read', actor.account.id, { count: visible.length });
    return visible;
  }

  /**
   * The owner vouches that a legal staff member is a separate person from whoever invited them
   * (or gave them their legal role): lifts the rule that keeps the two from being the two
   * reviewers of one disclosure (modules/legal/README.md "Two independent reviewers").
   */
  async confirmIndependentReviewer(actor: SessionContext, userId: string): Promise<UserRecord> {
    if (actor.user.role !== 'owner') throw new ConclaveError('FORBIDDEN');
    const target = await this.#target(actor, userId);
    if (!isLegalRole(target.role)) throw new ConclaveError('BAD_REQUEST', 'Not legal staff.');
    await this.#log(actor, REVIEWER_CONFIRMED, target.id, { email: target.email });
    return target;
  }

  /** Admin actions of the caller that are not covered above (e.g. sign-out of a user). */
  async #log(
    actor: SessionContext,
    action: string,
    target: string | null,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.#d.audit.append({
      accountId: actor.account.id,
      actorUserId: actor.user.id,
      action,
      target,
      detail,
      at: this.#now(),
    });
  }
}
