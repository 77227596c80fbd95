import { randomUUID } from 'node:crypto';
import { ConclaveError } from '@conclave/protocol';
import type { SubmitRequestBody } from '@conclave/protocol';
import { audit } from './actor';
import { COUNTED_KEY, countedFacts, countedFactsNow } from './counted-facts';
import type { Actor } from './actor';
import type { Clock } from './deadlines';
import { WITHDRAWABLE, isFinal } from './decision-machine';
import { checkDocument, safeFilename } from './documents';
import type { DocumentMeta, LegalRequestRecord, LegalStore, MessageRecord } from './legal-store';
import type { RequesterContext } from './requester-service';

// The single point of intake (issue 7): requests enter only here, from a verified requester,
// and only that requester's agency ever reads them back.

export interface IntakeDeps {
  store: LegalStore;
  clock: Clock;
  maxDocumentBytes: number;
  /** Tells the legal team a request arrived (mail); failures never undo the submission. */
  onSubmitted?: (r: LegalRequestRecord) => void;
}

export class IntakeService {
  readonly #d: IntakeDeps;
  constructor(deps: IntakeDeps) {
    this.#d = deps;
  }

  static actor(ctx: RequesterContext): Actor {
    return { kind: 'requester', id: ctx.requester.id };
  }

  /**
   * Stores the request, its targets and its audit entry in one transaction; only after commit
   * does the caller answer 201, so an acknowledged request is never lost. A retry with the same
   * idempotency key returns the stored request (`created: false`).
   */
  async submit(
    ctx: RequesterContext,
    b: SubmitRequestBody,
  ): Promise<{ request: LegalRequestRecord; created: boolean }> {
    const now = this.#d.clock();
    const result = await this.#d.store.transaction(async (tx) => {
      const existing = await tx.requests.findByIdempotencyKey(ctx.requester.id, b.idempotencyKey);
      if (existing) return { request: existing, created: false };
      const ndo = b.ndo;
      const r: LegalRequestRecord = {
        id: randomUUID(),
        requesterId: ctx.requester.id,
        agencyId: ctx.agency.id,
        idempotencyKey: b.idempotencyKey,
        receivedAt: now,
        type: b.type,
        country: b.country,
        subdivision: b.subdivision ?? null,
        originCountry: b.originCountry ?? null,
        legalBasis: b.legalBasis,
        issuingAuthority: b.issuingAuthority,
        externalRef: b.externalRef ?? null,
        description: b.description,
        isEmergency: b.type === 'emergency',
        isPreservation: b.type === 'preservation' || b.type === 'preservation_extension',
        isNationalSecurity: b.type === 'national_security',
        wantsSubscriberInfo: b.dataCategories.includes('basic_subscriber_info'),
        wantsNonContent: b.dataCategories.includes('non_content_records'),
        wantsContent: b.dataCategories.includes('content'),
        accountsSpecified: b.targets.length,
        rangeFrom: new Date(b.rangeFrom),
        rangeTo: new Date(b.rangeTo),
        deadlineAt: new Date(b.deadline),
        hasNdo: ndo !== null,
        ndoEndAt: ndo?.hasEndDate ? new Date(ndo.endDate) : null,
        ndoCitation: ndo?.citation ?? null,
        ndoValid: null,
        emergencyOverAt: null,
        status: 'received',
        outcome: null,
        closedAt: null,
        updatedAt: now,
        targets: b.targets.map((t, i) => ({
          id: randomUUID(),
          position: i,
          type: t.type,
          value: t.value,
        })),
      };
      await tx.requests.insertRequest(r);
      await audit(tx, now, IntakeService.actor(ctx), 'request.submitted', 'request', r.id, r.id, {
        type: r.type,
        country: r.country,
        targets: r.targets.length,
        emergency: r.isEmergency,
        ndo: r.hasNdo,
        [COUNTED_KEY]: countedFacts(r),
      });
      return { request: r, created: true };
    });
    if (result.created) this.#d.onSubmitted?.(result.request);
    return result;
  }

  /** The request if it belongs to the caller's agency; 404 otherwise (no probing of ids). */
  async #own(tx: LegalStore, ctx: RequesterContext, id: string): Promise<LegalRequestRecord> {
    const r = await tx.requests.findRequest(id);
    if (!r || r.agencyId !== ctx.agency.id) throw new ConclaveError('NOT_FOUND');
    return r;
  }

  async list(ctx: RequesterContext): Promise<LegalRequestRecord[]> {
    return this.#d.store.transaction(async (tx) => {
      const rows = await tx.requests.listForAgency(ctx.agency.id);
      await audit(
        tx,
        this.#d.clock(),
        IntakeService.actor(ctx),
        'request.list_viewed',
        'request',
        'list',
        null,
        {
          count: rows.length,
        },
      );
      return rows;
    });
  }

  async view(ctx: RequesterContext, id: string) {
    return this.#d.store.transaction(async (tx) => {
      const request = await this.#own(tx, ctx, id);
      const [documents, messages, productions] = await Promise.all([
        tx.requests.listDocuments(id),
        tx.requests.listMessages(id),
        tx.review.listProductions(id),
      ]);
      await audit(
        tx,
        this.#d.clock(),
        IntakeService.actor(ctx),
        'request.viewed',
        'request',
        id,
        id,
      );
      return {
        request,
        documents,
        messages,
        // Only released productions exist for the requester; drafts stay with the legal team.
        productions: productions.filter((p) => p.releasedAt),
      };
    });
  }

  async upload(
    ctx: RequesterContext,
    id: string,
    filename: string | undefined,
    bytes: Uint8Array,
  ): Promise<DocumentMeta> {
    const { sha256 } = checkDocument(bytes, this.#d.maxDocumentBytes);
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#own(tx, ctx, id);
      if (isFinal(r.status)) throw new ConclaveError('LEGAL_REQUEST_CLOSED');
      const meta: DocumentMeta = {
        id: randomUUID(),
        requestId: id,
        filename: safeFilename(filename),
        sizeBytes: bytes.length,
        sha256,
        uploadedBy: ctx.requester.id,
        uploadedAt: now,
      };
      await tx.requests.insertDocument(meta, bytes);
      await audit(tx, now, IntakeService.actor(ctx), 'document.uploaded', 'document', meta.id, id, {
        sha256,
        sizeBytes: meta.sizeBytes,
      });
      return meta;
    });
  }

  async readDocument(ctx: RequesterContext, id: string, docId: string) {
    return this.#d.store.transaction(async (tx) => {
      await this.#own(tx, ctx, id);
      const doc = await tx.requests.readDocument(id, docId);
      if (!doc) throw new ConclaveError('NOT_FOUND');
      await audit(
        tx,
        this.#d.clock(),
        IntakeService.actor(ctx),
        'document.viewed',
        'document',
        docId,
        id,
      );
      return doc;
    });
  }

  async message(ctx: RequesterContext, id: string, body: string): Promise<MessageRecord> {
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#own(tx, ctx, id);
      if (isFinal(r.status)) throw new ConclaveError('LEGAL_REQUEST_CLOSED');
      const m: MessageRecord = {
        id: randomUUID(),
        requestId: id,
        authorKind: 'requester',
        authorId: ctx.requester.id,
        body,
        createdAt: now,
      };
      await tx.requests.insertMessage(m);
      await audit(tx, now, IntakeService.actor(ctx), 'message.sent', 'message', m.id, id);
      return m;
    });
  }

  async withdraw(ctx: RequesterContext, id: string, reason: string): Promise<LegalRequestRecord> {
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#own(tx, ctx, id);
      const ok = await tx.requests.updateRequest(
        id,
        { status: 'withdrawn', outcome: 'withdrawn', closedAt: now, updatedAt: now },
        WITHDRAWABLE,
      );
      if (!ok) throw new ConclaveError('LEGAL_TRANSITION_NOT_ALLOWED');
      await tx.review.supersedeDecisions(id);
      // The reason, when given, reaches the legal team as the last message on the request.
      if (reason)
        await tx.requests.insertMessage({
          id: randomUUID(),
          requestId: id,
          authorKind: 'requester',
          authorId: ctx.requester.id,
          body: `Withdrawn: ${reason}`,
          createdAt: now,
        });
      await audit(tx, now, IntakeService.actor(ctx), 'request.withdrawn', 'request', id, id, {
        from: r.status,
        reasonGiven: reason.length > 0,
        [COUNTED_KEY]: await countedFactsNow(tx, id),
      });
      return { ...r, status: 'withdrawn', outcome: 'withdrawn', closedAt: now };
    });
  }

  async downloadProduction(ctx: RequesterContext, id: string, prodId: string) {
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      await this.#own(tx, ctx, id);
      const p = await tx.review.readProduction(id, prodId);
      if (!p || !p.meta.releasedAt) throw new ConclaveError('NOT_FOUND');
      await tx.review.markDownloaded(prodId, now);
      await audit(
        tx,
        now,
        IntakeService.actor(ctx),
        'production.downloaded',
        'production',
        prodId,
        id,
        {
          sha256: p.meta.packageSha256,
        },
      );
      return p;
    });
  }
}
