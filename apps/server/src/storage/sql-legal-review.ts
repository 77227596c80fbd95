import type { ChallengeKind, CheckResult, DecisionKind, ReviewGround } from '@conclave/protocol';
import type { Kysely, Selectable } from 'kysely';
import type {
  ChecklistAnswer,
  DecisionRecord,
  DecisionState,
  NdoExtensionRecord,
  ProductionMeta,
  ReviewRepo,
} from '../modules/legal/legal-store';
import type { Database, LegalDecisionsTable, LegalProductionsTable } from './schema';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

export class SqlReviewRepo implements ReviewRepo {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async upsertChecklist(a: ChecklistAnswer): Promise<void> {
    const values = {
      request_id: a.requestId,
      ground: a.ground,
      result: a.result,
      notes: a.notes,
      reviewer_id: a.reviewerId,
      updated_at: a.updatedAt.toISOString(),
    };
    await this.#db
      .insertInto('legal_checklist')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['request_id', 'ground']).doUpdateSet({
          result: values.result,
          notes: values.notes,
          reviewer_id: values.reviewer_id,
          updated_at: values.updated_at,
        }),
      )
      .execute();
  }

  async listChecklist(requestId: string): Promise<ChecklistAnswer[]> {
    const rows = await this.#db
      .selectFrom('legal_checklist')
      .selectAll()
      .where('request_id', '=', requestId)
      .execute();
    return rows.map((r) => ({
      requestId: r.request_id,
      ground: r.ground as ReviewGround,
      result: r.result as CheckResult,
      notes: r.notes,
      reviewerId: r.reviewer_id,
      updatedAt: new Date(r.updated_at),
    }));
  }

  async insertDecision(d: DecisionRecord): Promise<void> {
    await this.#db
      .insertInto('legal_decisions')
      .values({
        id: d.id,
        request_id: d.requestId,
        kind: d.kind,
        challenge_kind: d.challengeKind,
        rationale: d.rationale,
        state: d.state,
        decided_by: d.decidedBy,
        decided_at: d.decidedAt.toISOString(),
        approved_by: d.approvedBy,
        approved_at: iso(d.approvedAt),
      })
      .execute();
  }

  async findDecision(requestId: string, id: string): Promise<DecisionRecord | undefined> {
    const row = await this.#db
      .selectFrom('legal_decisions')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toDecision(row) : undefined;
  }

  async listDecisions(requestId: string): Promise<DecisionRecord[]> {
    const rows = await this.#db
      .selectFrom('legal_decisions')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('decided_at')
      .execute();
    return rows.map(toDecision);
  }

  async approveDecision(id: string, approvedBy: string, at: Date): Promise<boolean> {
    const res = await this.#db
      .updateTable('legal_decisions')
      .set({ state: 'effective', approved_by: approvedBy, approved_at: at.toISOString() })
      .where('id', '=', id)
      .where('state', '=', 'pending_approval')
      .where('decided_by', '<>', approvedBy)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async supersedeDecisions(requestId: string): Promise<void> {
    await this.#db
      .updateTable('legal_decisions')
      .set({ state: 'superseded' })
      .where('request_id', '=', requestId)
      .where('state', '<>', 'superseded')
      .execute();
  }

  async insertProduction(p: ProductionMeta, pkg: Uint8Array): Promise<void> {
    await this.#db
      .insertInto('legal_productions')
      .values({
        id: p.id,
        request_id: p.requestId,
        decision_id: p.decisionId,
        manifest: p.manifest,
        package: Buffer.from(pkg.buffer, pkg.byteOffset, pkg.byteLength),
        package_sha256: p.packageSha256,
        created_by: p.createdBy,
        created_at: p.createdAt.toISOString(),
        released_by: p.releasedBy,
        released_at: iso(p.releasedAt),
        first_downloaded_at: iso(p.firstDownloadedAt),
      })
      .execute();
  }

  async listProductions(requestId: string): Promise<ProductionMeta[]> {
    const rows = await this.#db
      .selectFrom('legal_productions')
      .select([
        'id',
        'request_id',
        'decision_id',
        'manifest',
        'package_sha256',
        'created_by',
        'created_at',
        'released_by',
        'released_at',
        'first_downloaded_at',
      ])
      .where('request_id', '=', requestId)
      .orderBy('created_at')
      .execute();
    return rows.map(toProduction);
  }

  async readProduction(requestId: string, id: string) {
    const row = await this.#db
      .selectFrom('legal_productions')
      .selectAll()
      .where('request_id', '=', requestId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { meta: toProduction(row), pkg: new Uint8Array(row.package) } : undefined;
  }

  async releaseProduction(id: string, by: string, at: Date): Promise<boolean> {
    const res = await this.#db
      .updateTable('legal_productions')
      .set({ released_by: by, released_at: at.toISOString() })
      .where('id', '=', id)
      .where('released_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async markDownloaded(id: string, at: Date): Promise<void> {
    await this.#db
      .updateTable('legal_productions')
      .set({ first_downloaded_at: at.toISOString() })
      .where('id', '=', id)
      .where('first_downloaded_at', 'is', null)
      .execute();
  }

  async insertNdoExtension(e: NdoExtensionRecord): Promise<void> {
    await this.#db
      .insertInto('legal_ndo_extensions')
      .values({
        id: e.id,
        request_id: e.requestId,
        previous_end_at: iso(e.previousEndAt),
        new_end_at: e.newEndAt.toISOString(),
        citation: e.citation,
        recorded_by: e.recordedBy,
        recorded_at: e.recordedAt.toISOString(),
      })
      .execute();
  }

  async listNdoExtensions(requestId: string): Promise<NdoExtensionRecord[]> {
    const rows = await this.#db
      .selectFrom('legal_ndo_extensions')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('recorded_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      requestId: r.request_id,
      previousEndAt: date(r.previous_end_at),
      newEndAt: new Date(r.new_end_at),
      citation: r.citation,
      recordedBy: r.recorded_by,
      recordedAt: new Date(r.recorded_at),
    }));
  }
}

function toDecision(r: Selectable<LegalDecisionsTable>): DecisionRecord {
  return {
    id: r.id,
    requestId: r.request_id,
    kind: r.kind as DecisionKind,
    challengeKind: r.challenge_kind as ChallengeKind | null,
    rationale: r.rationale,
    state: r.state as DecisionState,
    decidedBy: r.decided_by,
    decidedAt: new Date(r.decided_at),
    approvedBy: r.approved_by,
    approvedAt: date(r.approved_at),
  };
}

function toProduction(r: Omit<Selectable<LegalProductionsTable>, 'package'>): ProductionMeta {
  return {
    id: r.id,
    requestId: r.request_id,
    decisionId: r.decision_id,
    manifest: r.manifest,
    packageSha256: r.package_sha256,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at),
    releasedBy: r.released_by,
    releasedAt: date(r.released_at),
    firstDownloadedAt: date(r.first_downloaded_at),
  };
}
