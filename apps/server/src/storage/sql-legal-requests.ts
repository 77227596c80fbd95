import type { Outcome, RequestStatus, RequestType, TargetType } from '@conclave/protocol';
import type { Kysely, Selectable, Updateable } from 'kysely';
import type {
  DocumentMeta,
  LegalRequestRecord,
  MessageRecord,
  RequestPatch,
  RequestRepo,
} from '../modules/legal/legal-store';
import type {
  Database,
  LegalDocumentsTable,
  LegalRequestsTable,
  LegalRequestTargetsTable,
} from './schema';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);
const bit = (b: boolean) => (b ? 1 : 0);
const FINAL: readonly RequestStatus[] = ['closed', 'released', 'withdrawn'];

export class SqlRequestRepo implements RequestRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insertRequest(r: LegalRequestRecord): Promise<void> {
    await this.#db
      .insertInto('legal_requests')
      .values({
        id: r.id,
        requester_id: r.requesterId,
        agency_id: r.agencyId,
        idempotency_key: r.idempotencyKey,
        received_at: r.receivedAt.toISOString(),
        request_type: r.type,
        country_iso2: r.country,
        subdivision: r.subdivision,
        origin_country_iso2: r.originCountry,
        legal_basis: r.legalBasis,
        issuing_authority: r.issuingAuthority,
        external_ref: r.externalRef,
        description: r.description,
        is_emergency: bit(r.isEmergency),
        is_preservation: bit(r.isPreservation),
        is_national_security: bit(r.isNationalSecurity),
        wants_subscriber_info: bit(r.wantsSubscriberInfo),
        wants_non_content: bit(r.wantsNonContent),
        wants_content: bit(r.wantsContent),
        accounts_specified: r.accountsSpecified,
        range_from: r.rangeFrom.toISOString(),
        range_to: r.rangeTo.toISOString(),
        deadline_at: r.deadlineAt.toISOString(),
        has_ndo: bit(r.hasNdo),
        ndo_end_at: iso(r.ndoEndAt),
        ndo_citation: r.ndoCitation,
        ndo_valid: r.ndoValid === null ? null : bit(r.ndoValid),
        emergency_over_at: iso(r.emergencyOverAt),
        status: r.status,
        outcome: r.outcome,
        closed_at: iso(r.closedAt),
        updated_at: r.updatedAt.toISOString(),
      })
      .execute();
    if (r.targets.length)
      await this.#db
        .insertInto('legal_request_targets')
        .values(
          r.targets.map((t) => ({
            id: t.id,
            request_id: r.id,
            position: t.position,
            target_type: t.type,
            value: t.value,
          })),
        )
        .execute();
  }

  async findRequest(id: string): Promise<LegalRequestRecord | undefined> {
    const row = await this.#db
      .selectFrom('legal_requests')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? (await this.#withTargets([row]))[0] : undefined;
  }

  async findByIdempotencyKey(requesterId: string, key: string) {
    const row = await this.#db
      .selectFrom('legal_requests')
      .selectAll()
      .where('requester_id', '=', requesterId)
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    return row ? (await this.#withTargets([row]))[0] : undefined;
  }

  async listForAgency(agencyId: string): Promise<LegalRequestRecord[]> {
    const rows = await this.#db
      .selectFrom('legal_requests')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .orderBy('received_at', 'desc')
      .execute();
    return this.#withTargets(rows);
  }

  async listOpen(): Promise<LegalRequestRecord[]> {
    const rows = await this.#db
      .selectFrom('legal_requests')
      .selectAll()
      .where('status', 'not in', FINAL)
      .execute();
    return this.#withTargets(rows);
  }

  async listWithNdoOrEmergency(): Promise<LegalRequestRecord[]> {
    const rows = await this.#db
      .selectFrom('legal_requests')
      .selectAll()
      .where((eb) => eb.or([eb('has_ndo', '=', 1), eb('is_emergency', '=', 1)]))
      .execute();
    return this.#withTargets(rows);
  }

  async updateRequest(
    id: string,
    p: RequestPatch,
    from?: readonly RequestStatus[],
  ): Promise<boolean> {
    const set: Updateable<LegalRequestsTable> = {};
    if (p.status !== undefined) set.status = p.status;
    if (p.outcome !== undefined) set.outcome = p.outcome;
    if (p.closedAt !== undefined) set.closed_at = iso(p.closedAt);
    if (p.ndoValid !== undefined) set.ndo_valid = p.ndoValid === null ? null : bit(p.ndoValid);
    if (p.ndoEndAt !== undefined) set.ndo_end_at = iso(p.ndoEndAt);
    if (p.emergencyOverAt !== undefined) set.emergency_over_at = iso(p.emergencyOverAt);
    if (p.updatedAt !== undefined) set.updated_at = p.updatedAt.toISOString();
    let q = this.#db.updateTable('legal_requests').set(set).where('id', '=', id);
    if (from) q = q.where('status', 'in', from);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async insertDocument(m: DocumentMeta, content: Uint8Array): Promise<void> {
    await this.#db
      .insertInto('legal_documents')
      .values({
        id: m.id,
        request_id: m.requestId,
        filename: m.filename,
        size_bytes: m.sizeBytes,
        sha256: m.sha256,
        content: Buffer.from(content.buffer, content.byteOffset, content.byteLength),
        uploaded_by: m.uploadedBy,
        uploaded_at: m.uploadedAt.toISOString(),
      })
      .execute();
  }

  async listDocuments(requestId: string): Promise<DocumentMeta[]> {
    const rows = await this.#db
      .selectFrom('legal_documents')
      .select([
        'id',
        'request_id',
        'filename',
        'size_bytes',
        'sha256',
        'uploaded_by',
        'uploaded_at',
      ])
      .where('request_id', '=', requestId)
      .orderBy('uploaded_at')
      .execute();
    return rows.map(toDoc);
  }

  async readDocument(requestId: string, id: string) {
    const row = await this.#db
      .selectFrom('legal_documents')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { meta: toDoc(row), content: new Uint8Array(row.content) } : undefined;
  }

  async insertMessage(m: MessageRecord): Promise<void> {
    await this.#db
      .insertInto('legal_messages')
      .values({
        id: m.id,
        request_id: m.requestId,
        author_kind: m.authorKind,
        author_id: m.authorId,
        body: m.body,
        created_at: m.createdAt.toISOString(),
      })
      .execute();
  }

  async listMessages(requestId: string): Promise<MessageRecord[]> {
    const rows = await this.#db
      .selectFrom('legal_messages')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      requestId: r.request_id,
      authorKind: r.author_kind === 'reviewer' ? 'reviewer' : 'requester',
      authorId: r.author_id,
      body: r.body,
      createdAt: new Date(r.created_at),
    }));
  }

  async #withTargets(rows: Selectable<LegalRequestsTable>[]): Promise<LegalRequestRecord[]> {
    if (rows.length === 0) return [];
    const targets = await this.#db
      .selectFrom('legal_request_targets')
      .selectAll()
      .where(
        'request_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('position')
      .execute();
    const by = new Map<string, Selectable<LegalRequestTargetsTable>[]>();
    for (const t of targets) by.set(t.request_id, [...(by.get(t.request_id) ?? []), t]);
    return rows.map((r) => toRequest(r, by.get(r.id) ?? []));
  }
}

function toDoc(r: Omit<Selectable<LegalDocumentsTable>, 'content'>): DocumentMeta {
  return {
    id: r.id,
    requestId: r.request_id,
    filename: r.filename,
    sizeBytes: Number(r.size_bytes),
    sha256: r.sha256,
    uploadedBy: r.uploaded_by,
    uploadedAt: new Date(r.uploaded_at),
  };
}

function toRequest(
  r: Selectable<LegalRequestsTable>,
  targets: Selectable<LegalRequestTargetsTable>[],
): LegalRequestRecord {
  return {
    id: r.id,
    requesterId: r.requester_id,
    agencyId: r.agency_id,
    idempotencyKey: r.idempotency_key,
    receivedAt: new Date(r.received_at),
    type: r.request_type as RequestType,
    country: r.country_iso2,
    subdivision: r.subdivision,
    originCountry: r.origin_country_iso2,
    legalBasis: r.legal_basis,
    issuingAuthority: r.issuing_authority,
    externalRef: r.external_ref,
    description: r.description,
    isEmergency: r.is_emergency === 1,
    isPreservation: r.is_preservation === 1,
    isNationalSecurity: r.is_national_security === 1,
    wantsSubscriberInfo: r.wants_subscriber_info === 1,
    wantsNonContent: r.wants_non_content === 1,
    wantsContent: r.wants_content === 1,
    accountsSpecified: Number(r.accounts_specified),
    rangeFrom: new Date(r.range_from),
    rangeTo: new Date(r.range_to),
    deadlineAt: new Date(r.deadline_at),
    hasNdo: r.has_ndo === 1,
    ndoEndAt: date(r.ndo_end_at),
    ndoCitation: r.ndo_citation,
    ndoValid: r.ndo_valid === null ? null : r.ndo_valid === 1,
    emergencyOverAt: date(r.emergency_over_at),
    status: r.status as RequestStatus,
    outcome: r.outcome as Outcome | null,
    closedAt: date(r.closed_at),
    updatedAt: new Date(r.updated_at),
    targets: targets.map((t) => ({
      id: t.id,
      position: Number(t.position),
      type: t.target_type as TargetType,
      value: t.value,
    })),
  };
}
