import { randomUUID } from 'node:crypto';
import { ConclaveError } from '@conclave/protocol';
import type { RequesterRegisterBody } from '@conclave/protocol';
import { hashPassword, newToken, sha256Hex, verifyPassword } from '../accounts/secrets';
import { newTotpSecret, totpStep, totpUri } from '../accounts/totp';
import { audit } from './actor';
import type { Clock } from './deadlines';
import type { AgencyRecord, LegalStore, RequesterRecord } from './legal-store';

// Requester accounts live apart from user accounts (DESIGN.md §5): their own table, sessions and
// cookie, so a government requester can never reach a meeting or an admin route and no user
// session can reach the portal.

export const ATTESTATION_VERSION = 1 as const;
export const ATTESTATION_TEXT =
  'I am a government official acting in my official capacity. The requests I submit are made under the legal authority cited in them, the documents are genuine, and I understand that false statements may be reported to my agency and to the appropriate authorities.';

const VERIFY_TTL_MS = 48 * 3_600_000;

export interface RequesterContext {
  sessionId: string;
  requester: RequesterRecord;
  agency: AgencyRecord;
  /** Email verified, TOTP enrolled, attestation accepted: only then may it submit or read. */
  verified: boolean;
}

export interface RequesterServiceDeps {
  store: LegalStore;
  /** Called after a transaction that queued mail commits. */
  mailQueued?: () => void;
  clock: Clock;
  baseUrl: () => string;
  /** Operator allow-list (config `legal.allowedEmailDomains`): a domain or a parent of it. */
  allowedDomains: () => readonly string[];
  sessionTtlMs: number;
  /**
   * The account whose outbox keeps requester mail when there is no SMTP (the operator's), so
   * its owner can pass the verification link on; with SMTP it only labels the message.
   */
  mailAccountId: () => Promise<string | undefined>;
}

export function domainAllowed(email: string, allowed: readonly string[]): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return allowed.some((d) => domain === d.toLowerCase() || domain.endsWith(`.${d.toLowerCase()}`));
}

export function isVerified(r: RequesterRecord): boolean {
  return Boolean(
    r.status === 'active' &&
    r.emailVerifiedAt &&
    r.totpSecret &&
    r.attestationVersion === ATTESTATION_VERSION,
  );
}

export class RequesterService {
  readonly #d: RequesterServiceDeps;
  constructor(deps: RequesterServiceDeps) {
    this.#d = deps;
  }

  async register(body: RequesterRegisterBody): Promise<{ requesterId: string }> {
    if (!domainAllowed(body.email, this.#d.allowedDomains()))
      throw new ConclaveError('LEGAL_DOMAIN_NOT_ALLOWED');
    const agency = await this.#agencyFor(body.email);
    if (!agency) throw new ConclaveError('LEGAL_DOMAIN_NOT_ALLOWED');
    const now = this.#d.clock();
    const requester: RequesterRecord = {
      id: randomUUID(),
      agencyId: agency.id,
      email: body.email,
      fullName: body.fullName,
      badgeNumber: body.badgeNumber,
      phone: body.phone,
      mailingAddress: body.mailingAddress,
      passwordHash: await hashPassword(body.password),
      emailVerifiedAt: null,
      totpSecret: null,
      totpPendingSecret: null,
      totpLastStep: 0,
      attestationVersion: null,
      attestationAcceptedAt: null,
      status: 'active',
      createdAt: now,
    };
    const token = newToken();
    const mailAccountId = (await this.#d.mailAccountId()) ?? null;
    await this.#d.store.transaction(async (tx) => {
      if (!(await tx.requesters.insertRequester(requester)))
        throw new ConclaveError('LEGAL_EMAIL_TAKEN');
      await tx.requesters.insertToken({
        id: sha256Hex(token),
        requesterId: requester.id,
        purpose: 'verify_email',
        expiresAt: new Date(now.getTime() + VERIFY_TTL_MS),
      });
      await audit(
        tx,
        now,
        { kind: 'requester', id: requester.id },
        'requester.registered',
        'requester',
        requester.id,
        null,
        {
          agencyId: agency.id,
        },
      );
      // Queued with the registration: the link exists iff the requester does.
      await tx.mail.insertMessage({
        id: randomUUID(),
        accountId: mailAccountId,
        to: requester.email,
        subject: 'Verify your email for the Conclave law-enforcement portal',
        body: `Confirm that this official address is yours: ${this.#d.baseUrl()}/legal/portal/verify#token=${token}\n\nThe link works once, for 48 hours.\n`,
        createdAt: now,
      });
    });
    this.#d.mailQueued?.();
    return { requesterId: requester.id };
  }

  /** The agency whose domain list holds the address's domain or its closest parent. */
  async #agencyFor(email: string): Promise<AgencyRecord | undefined> {
    const parts = email.slice(email.lastIndexOf('@') + 1).split('.');
    for (let i = 0; i < parts.length - 1; i++) {
      const a = await this.#d.store.requesters.findAgencyByDomain(parts.slice(i).join('.'));
      if (a) return a;
    }
    return undefined;
  }

  async verifyEmail(token: string): Promise<void> {
    const now = this.#d.clock();
    await this.#d.store.transaction(async (tx) => {
      const id = await tx.requesters.consumeToken(sha256Hex(token), 'verify_email', now);
      if (!id) throw new ConclaveError('TOKEN_INVALID');
      await tx.requesters.updateRequester(id, { emailVerifiedAt: now });
      await audit(
        tx,
        now,
        { kind: 'requester', id },
        'requester.email_verified',
        'requester',
        id,
        null,
      );
    });
  }

  async login(email: string, password: string, totpCode?: string): Promise<string> {
    const r = await this.#d.store.requesters.findRequesterByEmail(email);
    const ok = await verifyPassword(r?.passwordHash ?? null, password);
    if (!r || !ok || r.status !== 'active') throw new ConclaveError('LOGIN_FAILED');
    const now = this.#d.clock();
    if (r.totpSecret) {
      if (!totpCode) throw new ConclaveError('TWO_FACTOR_REQUIRED');
      const step = totpStep(r.totpSecret, totpCode, now);
      if (step === undefined || !(await this.#d.store.requesters.useTotpStep(r.id, step)))
        throw new ConclaveError('TWO_FACTOR_CODE_WRONG');
    }
    const token = newToken();
    await this.#d.store.requesters.insertSession({
      id: sha256Hex(token),
      requesterId: r.id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.#d.sessionTtlMs),
    });
    return token;
  }

  async resolve(token: string): Promise<RequesterContext | undefined> {
    const s = await this.#d.store.requesters.findSession(sha256Hex(token));
    if (!s || s.expiresAt <= this.#d.clock()) return undefined;
    const requester = await this.#d.store.requesters.findRequesterById(s.requesterId);
    if (!requester || requester.status !== 'active') return undefined;
    const agency = await this.#d.store.requesters.findAgency(requester.agencyId);
    if (!agency) return undefined;
    return { sessionId: sha256Hex(token), requester, agency, verified: isVerified(requester) };
  }

  async logout(ctx: RequesterContext): Promise<void> {
    await this.#d.store.requesters.deleteSession(ctx.sessionId);
  }

  async enrollTotp(ctx: RequesterContext): Promise<{ secret: string; otpauthUrl: string }> {
    if (ctx.requester.totpSecret) throw new ConclaveError('TWO_FACTOR_ALREADY_ENABLED');
    const secret = newTotpSecret();
    await this.#d.store.requesters.updateRequester(ctx.requester.id, { totpPendingSecret: secret });
    return { secret, otpauthUrl: totpUri(secret, ctx.requester.email) };
  }

  async confirmTotp(ctx: RequesterContext, code: string): Promise<void> {
    const r = ctx.requester;
    if (r.totpSecret) throw new ConclaveError('TWO_FACTOR_ALREADY_ENABLED');
    if (!r.totpPendingSecret) throw new ConclaveError('TWO_FACTOR_NOT_STARTED');
    const now = this.#d.clock();
    const step = totpStep(r.totpPendingSecret, code, now);
    if (step === undefined || !(await this.#d.store.requesters.useTotpStep(r.id, step)))
      throw new ConclaveError('TWO_FACTOR_CODE_WRONG');
    await this.#d.store.transaction(async (tx) => {
      await tx.requesters.updateRequester(r.id, {
        totpSecret: r.totpPendingSecret,
        totpPendingSecret: null,
      });
      await audit(
        tx,
        now,
        { kind: 'requester', id: r.id },
        'requester.totp_enrolled',
        'requester',
        r.id,
        null,
      );
    });
  }

  async acceptAttestation(ctx: RequesterContext): Promise<void> {
    const now = this.#d.clock();
    await this.#d.store.transaction(async (tx) => {
      await tx.requesters.updateRequester(ctx.requester.id, {
        attestationVersion: ATTESTATION_VERSION,
        attestationAcceptedAt: now,
      });
      await audit(
        tx,
        now,
        { kind: 'requester', id: ctx.requester.id },
        'requester.attestation_accepted',
        'requester',
        ctx.requester.id,
        null,
        { version: ATTESTATION_VERSION },
      );
    });
  }
}
