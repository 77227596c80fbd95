import type { Kysely, Selectable } from 'kysely';
import type {
  AgencyRecord,
  RequesterPatch,
  RequesterRecord,
  RequesterRepo,
} from '../modules/legal/legal-store';
import type { ColumnCipher } from './column-cipher';
import type { Database, LegalAgenciesTable, LegalRequestersTable } from './schema';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

export class SqlRequesterRepo implements RequesterRepo {
  readonly #db: Kysely<Database>;
  readonly #cipher: ColumnCipher;
  /** `cipher` seals the TOTP secret columns (column-cipher.ts); there is no clear-text mode. */
  constructor(db: Kysely<Database>, cipher: ColumnCipher) {
    this.#db = db;
    this.#cipher = cipher;
  }

  async insertAgency(a: AgencyRecord): Promise<boolean> {
    const taken = await this.#db
      .selectFrom('legal_agency_domains')
      .select('domain')
      .where('domain', 'in', a.emailDomains)
      .executeTakeFirst();
    if (taken) return false;
    await this.#db
      .insertInto('legal_agencies')
      .values({
        id: a.id,
        name: a.name,
        country_iso2: a.country,
        subdivision: a.subdivision,
        level: a.level,
        created_at: a.createdAt.toISOString(),
      })
      .execute();
    await this.#db
      .insertInto('legal_agency_domains')
      .values(a.emailDomains.map((domain) => ({ domain, agency_id: a.id })))
      .execute();
    return true;
  }

  async listAgencies(): Promise<AgencyRecord[]> {
    const rows = await this.#db.selectFrom('legal_agencies').selectAll().orderBy('name').execute();
    return Promise.all(rows.map((r) => this.#withDomains(r)));
  }

  async findAgency(id: string): Promise<AgencyRecord | undefined> {
    const row = await this.#db
      .selectFrom('legal_agencies')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.#withDomains(row) : undefined;
  }

  async findAgencyByDomain(domain: string): Promise<AgencyRecord | undefined> {
    const row = await this.#db
      .selectFrom('legal_agency_domains')
      .select('agency_id')
      .where('domain', '=', domain.toLowerCase())
      .executeTakeFirst();
    return row ? this.findAgency(row.agency_id) : undefined;
  }

  async #withDomains(r: Selectable<LegalAgenciesTable>): Promise<AgencyRecord> {
    const domains = await this.#db
      .selectFrom('legal_agency_domains')
      .select('domain')
      .where('agency_id', '=', r.id)
      .orderBy('domain')
      .execute();
    return {
      id: r.id,
      name: r.name,
      country: r.country_iso2,
      subdivision: r.subdivision,
      level: r.level,
      emailDomains: domains.map((d) => d.domain),
      createdAt: new Date(r.created_at),
    };
  }

  async insertRequester(r: RequesterRecord): Promise<boolean> {
    const res = await this.#db
      .insertInto('legal_requesters')
      .values({
        id: r.id,
        agency_id: r.agencyId,
        email: r.email,
        full_name: r.fullName,
        badge_number: r.badgeNumber,
        phone: r.phone,
        mailing_address: r.mailingAddress,
        password_hash: r.passwordHash,
        email_verified_at: iso(r.emailVerifiedAt),
        totp_secret: this.#cipher.seal('legal_requesters.totp_secret', r.id, r.totpSecret),
        totp_pending_secret: this.#cipher.seal(
          'legal_requesters.totp_pending_secret',
          r.id,
          r.totpPendingSecret,
        ),
        totp_last_step: r.totpLastStep,
        attestation_version: r.attestationVersion,
        attestation_accepted_at: iso(r.attestationAcceptedAt),
        status: r.status,
        created_at: r.createdAt.toISOString(),
      })
      .onConflict((oc) => oc.column('email').doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async findRequesterById(id: string): Promise<RequesterRecord | undefined> {
    const row = await this.#db
      .selectFrom('legal_requesters')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.#toRequester(row) : undefined;
  }

  async findRequesterByEmail(email: string): Promise<RequesterRecord | undefined> {
    const row = await this.#db
      .selectFrom('legal_requesters')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst();
    return row ? this.#toRequester(row) : undefined;
  }

  async updateRequester(id: string, p: RequesterPatch): Promise<void> {
    const set: Partial<Selectable<LegalRequestersTable>> = {};
    if (p.emailVerifiedAt !== undefined) set.email_verified_at = iso(p.emailVerifiedAt);
    if (p.totpSecret !== undefined)
      set.totp_secret = this.#cipher.seal('legal_requesters.totp_secret', id, p.totpSecret);
    if (p.totpPendingSecret !== undefined)
      set.totp_pending_secret = this.#cipher.seal(
        'legal_requesters.totp_pending_secret',
        id,
        p.totpPendingSecret,
      );
    if (p.attestationVersion !== undefined) set.attestation_version = p.attestationVersion;
    if (p.attestationAcceptedAt !== undefined)
      set.attestation_accepted_at = iso(p.attestationAcceptedAt);
    if (p.status !== undefined) set.status = p.status;
    if (Object.keys(set).length === 0) return;
    await this.#db.updateTable('legal_requesters').set(set).where('id', '=', id).execute();
  }

  async useTotpStep(id: string, step: number): Promise<boolean> {
    const res = await this.#db
      .updateTable('legal_requesters')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where('totp_last_step', '<', step)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async insertSession(s: {
    id: string;
    requesterId: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<void> {
    await this.#db
      .insertInto('legal_requester_sessions')
      .values({
        id: s.id,
        requester_id: s.requesterId,
        created_at: s.createdAt.toISOString(),
        expires_at: s.expiresAt.toISOString(),
      })
      .execute();
  }

  async findSession(id: string) {
    const row = await this.#db
      .selectFrom('legal_requester_sessions')
      .select(['requester_id', 'expires_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { requesterId: row.requester_id, expiresAt: new Date(row.expires_at) } : undefined;
  }

  async deleteSession(id: string): Promise<void> {
    await this.#db.deleteFrom('legal_requester_sessions').where('id', '=', id).execute();
  }

  async insertToken(t: {
    id: string;
    requesterId: string;
    purpose: 'verify_email';
    expiresAt: Date;
  }): Promise<void> {
    await this.#db
      .insertInto('legal_requester_tokens')
      .values({
        id: t.id,
        requester_id: t.requesterId,
        purpose: t.purpose,
        expires_at: t.expiresAt.toISOString(),
        used_at: null,
      })
      .execute();
  }

  async consumeToken(id: string, purpose: 'verify_email', now: Date): Promise<string | undefined> {
    const row = await this.#db
      .updateTable('legal_requester_tokens')
      .set({ used_at: now.toISOString() })
      .where('id', '=', id)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .returning('requester_id')
      .executeTakeFirst();
    return row?.requester_id;
  }

  #toRequester(r: Selectable<LegalRequestersTable>): RequesterRecord {
    return {
      ...toRequester(r),
      totpSecret: this.#cipher.open('legal_requesters.totp_secret', r.id, r.totp_secret),
      totpPendingSecret: this.#cipher.open(
        'legal_requesters.totp_pending_secret',
        r.id,
        r.totp_pending_secret,
      ),
    };
  }
}

/** The row as stored; the TOTP columns are still sealed (`#toRequester` opens them). */
function toRequester(r: Selectable<LegalRequestersTable>): RequesterRecord {
  return {
    id: r.id,
    agencyId: r.agency_id,
    email: r.email,
    fullName: r.full_name,
    badgeNumber: r.badge_number,
    phone: r.phone,
    mailingAddress: r.mailing_address,
    passwordHash: r.password_hash,
    emailVerifiedAt: date(r.email_verified_at),
    totpSecret: r.totp_secret,
    totpPendingSecret: r.totp_pending_secret,
    totpLastStep: Number(r.totp_last_step),
    attestationVersion: r.attestation_version,
    attestationAcceptedAt: date(r.attestation_accepted_at),
    status: r.status === 'suspended' ? 'suspended' : 'active',
    createdAt: new Date(r.created_at),
  };
}
