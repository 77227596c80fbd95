import { randomUUID } from 'node:crypto';
import { ConclaveError } from '@conclave/protocol';
import type {
  AgencyBody,
  DecisionBody,
  ReviewGround,
  CheckResult,
  SuppressionReason,
} from '@conclave/protocol';
import { audit } from './actor';
import { COUNTED_KEY, countedFactsNow } from './counted-facts';
import type { Actor } from './actor';
import type { Clock, LegalTimeRules } from './deadlines';
import { compareQueue, isOverdue, ndoExpired, slaDueAt } from './deadlines';
import { isDisclosure, isFinal, transition } from './decision-machine';
import type {
  AgencyRecord,
  DecisionRecord,
  LegalRequestRecord,
  LegalStore,
  MessageRecord,
} from './legal-store';
import type { NoticeService } from './notice-service';
import { precheck, resolveTargets } from './prechecks';
import type { PrecheckLimits } from './prechecks';
import { buildProduction } from './production-builder';
import type { SubjectDirectory } from './subject-directory';

// The legal console (roles legal_reviewer / legal_admin). Every read of a request, document,
// decision, production or notice and every change is appended to the audit chain in the same
// transaction. Reviewers never see meeting content: the system holds none to show.

export interface ReviewDeps {
  store: LegalStore;
  directory: SubjectDirectory;
  notices: NoticeService;
  clock: Clock;
  rules: LegalTimeRules;
  limits: PrecheckLimits;
  /**
   * Whether one reviewer brought the other into a legal role recently (accounts'
   * ReviewerLinks): such a pair may not be the two reviewers of a disclosure.
   */
  reviewersLinked?: (deciderId: string, approverId: string) => Promise<boolean>;
}

const disclosing = (kind: string, r: LegalRequestRecord) =>
  kind === 'disclose_content'
    ? 'account profile and meeting metadata (no meeting content is held)'
    : r.wantsNonContent
      ? 'account profile and meeting metadata'
      : 'account profile (basic subscriber information)';

export class ReviewService {
  readonly #d: ReviewDeps;
  constructor(deps: ReviewDeps) {
    this.#d = deps;
  }

  async #request(tx: LegalStore, id: string): Promise<LegalRequestRecord> {
    const r = await tx.requests.findRequest(id);
    if (!r) throw new ConclaveError('NOT_FOUND');
    return r;
  }

  async queue(actor: Actor) {
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      const open = await tx.requests.listOpen();
      open.sort((a, b) => compareQueue(a, b, this.#d.rules));
      await audit(tx, now, actor, 'queue.viewed', 'request', 'queue', null, { count: open.length });
      return open.map((r) => ({
        request: r,
        slaDueAt: slaDueAt(r, this.#d.rules),
        overdue: isOverdue(r, this.#d.rules, now),
      }));
    });
  }

  async view(actor: Actor, id: string) {
    const now = this.#d.clock();
    // Account lookups run outside the transaction: on SQLite one connection serves both, and a
    // read waiting behind our own open transaction would never finish.
    const pre = await this.#request(this.#d.store, id);
    const resolved = await resolveTargets(pre.targets, this.#d.directory);
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#request(tx, id);
      const requester = await tx.requesters.findRequesterById(r.requesterId);
      const agency = await tx.requesters.findAgency(r.agencyId);
      const [documents, messages, checklist, decisions, productions, notices, ndoExtensions] =
        await Promise.all([
          tx.requests.listDocuments(id),
          tx.requests.listMessages(id),
          tx.review.listChecklist(id),
          tx.review.listDecisions(id),
          tx.review.listProductions(id),
          tx.notices.listNotices(id),
          tx.review.listNdoExtensions(id),
        ]);
      await audit(tx, now, actor, 'request.viewed', 'request', id, id);
      return {
        request: r,
        agency,
        requester: requester && {
          id: requester.id,
          fullName: requester.fullName,
          email: requester.email,
          badgeNumber: requester.badgeNumber,
          phone: requester.phone,
          mailingAddress: requester.mailingAddress,
        },
        slaDueAt: slaDueAt(r, this.#d.rules),
        prechecks: precheck(r, requester, resolved, this.#d.limits),
        targets: resolved.map((t) => ({
          ...t.target,
          matched: Boolean(t.userId || t.meetingId),
          accountCountry: t.accountCountry,
          accountSubdivision: t.accountSubdivision,
        })),
        documents,
        messages,
        checklist,
        decisions,
        productions,
        notices,
        ndoExtensions,
      };
    });
  }

  async saveChecklist(
    actor: Actor,
    id: string,
    answers: { ground: ReviewGround; result: CheckResult; notes: string }[],
  ) {
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#request(tx, id);
      if (isFinal(r.status)) throw new ConclaveError('LEGAL_REQUEST_CLOSED');
      for (const a of answers)
        await tx.review.upsertChecklist({
          requestId: id,
          ...a,
          reviewerId: actor.id,
          updatedAt: now,
        });
      const started = r.status === 'received';
      if (started)
        await tx.requests.updateRequest(id, { status: 'in_review', updatedAt: now }, ['received']);
      await audit(tx, now, actor, 'checklist.saved', 'checklist', id, id, {
        answers: answers.map((a) => ({ ground: a.ground, result: a.result })),
        ...(started ? { [COUNTED_KEY]: await countedFactsNow(tx, id) } : {}),
      });
      return tx.review.listChecklist(id);
    });
  }

  async decide(actor: Actor, id: string, b: DecisionBody): Promise<DecisionRecord> {
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#request(tx, id);
      const t = transition(r.status, b.kind);
      if (!t) throw new ConclaveError('LEGAL_TRANSITION_NOT_ALLOWED');
      await tx.review.supersedeDecisions(id);
      const d: DecisionRecord = {
        id: randomUUID(),
        requestId: id,
        kind: b.kind,
        challengeKind: b.challengeKind ?? null,
        rationale: b.rationale,
        state: t.needsApproval ? 'pending_approval' : 'effective',
        decidedBy: actor.id,
        decidedAt: now,
        approvedBy: null,
        approvedAt: null,
      };
      await tx.review.insertDecision(d);
      const final = t.status === 'closed' || t.status === 'withdrawn';
      const ok = await tx.requests.updateRequest(
        id,
        {
          status: t.status,
          outcome: t.needsApproval ? null : t.outcome,
          ...(final ? { closedAt: now } : {}),
          updatedAt: now,
        },
        [r.status],
      );
      if (!ok) throw new ConclaveError('LEGAL_TRANSITION_NOT_ALLOWED');
      await audit(tx, now, actor, 'decision.recorded', 'decision', d.id, id, {
        kind: d.kind,
        challengeKind: d.challengeKind,
        state: d.state,
        from: r.status,
        to: t.status,
        [COUNTED_KEY]: await countedFactsNow(tx, id),
      });
      return d;
    });
  }

  /** The second reviewer's approval of a disclosure; creates the user notices with it. */
  async approve(actor: Actor, id: string, decisionId: string): Promise<DecisionRecord> {
    const now = this.#d.clock();
    const pre = await this.#request(this.#d.store, id);
    const recipients = await this.#d.notices.recipientsFor(
      await resolveTargets(pre.targets, this.#d.directory),
    );
    // Account tables are read outside the transaction (see view()); a decision's author never
    // changes, so reading it first is safe.
    const decided = await this.#d.store.review.findDecision(id, decisionId);
    if (
      decided &&
      decided.decidedBy !== actor.id &&
      (await this.#d.reviewersLinked?.(decided.decidedBy, actor.id))
    )
      throw new ConclaveError('LEGAL_REVIEWERS_LINKED');
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#request(tx, id);
      const d = await tx.review.findDecision(id, decisionId);
      if (!d) throw new ConclaveError('NOT_FOUND');
      if (d.state !== 'pending_approval' || r.status !== 'awaiting_approval')
        throw new ConclaveError('LEGAL_TRANSITION_NOT_ALLOWED');
      if (d.decidedBy === actor.id) throw new ConclaveError('LEGAL_SECOND_REVIEWER_REQUIRED');
      if (!(await tx.review.approveDecision(d.id, actor.id, now)))
        throw new ConclaveError('LEGAL_TRANSITION_NOT_ALLOWED');
      const t = transition('in_review', d.kind)!;
      await tx.requests.updateRequest(
        id,
        { status: t.approvedStatus ?? 'decided', outcome: t.outcome, updatedAt: now },
        ['awaiting_approval'],
      );
      await audit(tx, now, actor, 'decision.approved', 'decision', d.id, id, {
        kind: d.kind,
        [COUNTED_KEY]: await countedFactsNow(tx, id),
      });
      await this.#d.notices.createForDisclosure(tx, r, recipients, disclosing(d.kind, r), actor);
      return { ...d, state: 'effective', approvedBy: actor.id, approvedAt: now };
    });
  }

  async reviewNdo(actor: Actor, id: string, valid: boolean, notes: string) {
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#request(tx, id);
      if (!r.hasNdo)
        throw new ConclaveError('BAD_REQUEST', 'This request has no nondisclosure order.');
      // An order without an end date is a challenge ground; it can never be marked valid.
      if (valid && !r.ndoEndAt) throw new ConclaveError('LEGAL_SUPPRESSION_INVALID');
      await tx.requests.updateRequest(id, { ndoValid: valid, updatedAt: now });
      await audit(tx, now, actor, 'request.ndo_reviewed', 'request', id, id, {
        valid,
        notesGiven: notes.length > 0,
      });
    });
  }

  async extendNdo(actor: Actor, id: string, newEndDate: Date, citation: string) {
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#request(tx, id);
      if (!r.hasNdo || !r.ndoEndAt)
        throw new ConclaveError('BAD_REQUEST', 'This request has no dated nondisclosure order.');
      if (ndoExpired(r.ndoEndAt, now))
        throw new ConclaveError('BAD_REQUEST', 'The order has already ended; notice is due.');
      if (newEndDate <= r.ndoEndAt)
        throw new ConclaveError('BAD_REQUEST', 'An extension must end after the current end date.');
      const ext = {
        id: randomUUID(),
        requestId: id,
        previousEndAt: r.ndoEndAt,
        newEndAt: newEndDate,
        citation,
        recordedBy: actor.id,
        recordedAt: now,
      };
      await tx.review.insertNdoExtension(ext);
      await tx.requests.updateRequest(id, { ndoEndAt: newEndDate, updatedAt: now });
      await audit(tx, now, actor, 'request.ndo_extended', 'request', id, id, {
        previousEndAt: r.ndoEndAt.toISOString(),
        newEndAt: newEndDate.toISOString(),
      });
      return ext;
    });
  }

  async emergencyOver(actor: Actor, id: string) {
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#request(tx, id);
      if (!r.isEmergency || r.emergencyOverAt)
        throw new ConclaveError('LEGAL_TRANSITION_NOT_ALLOWED');
      await tx.requests.updateRequest(id, { emergencyOverAt: now, updatedAt: now });
      await audit(tx, now, actor, 'request.emergency_over', 'request', id, id);
    });
  }

  async suppressNotice(
    actor: Actor,
    id: string,
    noticeId: string,
    reason: SuppressionReason,
    notes: string,
  ) {
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#request(tx, id);
      const n = (await tx.notices.listNotices(id)).find((x) => x.id === noticeId);
      if (!n) throw new ConclaveError('NOT_FOUND');
      const allowed =
        reason === 'ndo'
          ? r.hasNdo && r.ndoValid === true && r.ndoEndAt !== null && !ndoExpired(r.ndoEndAt, now)
          : reason === 'life_threatening_emergency'
            ? r.isEmergency && !r.emergencyOverAt
            : true; // child endangerment, threat to the service: a reviewer's call, with notes
      if (!allowed) throw new ConclaveError('LEGAL_SUPPRESSION_INVALID');
      if (!(await tx.notices.suppressNotice(noticeId, reason, notes, actor.id)))
        throw new ConclaveError('LEGAL_TRANSITION_NOT_ALLOWED');
      await audit(tx, now, actor, 'notice.suppressed', 'notice', noticeId, id, { reason });
    });
  }

  async sendNoticeNow(actor: Actor, id: string, noticeId: string): Promise<void> {
    const n = (await this.#d.store.notices.listNotices(id)).find((x) => x.id === noticeId);
    if (!n) throw new ConclaveError('NOT_FOUND');
    if (!(await this.#d.notices.deliver(n, `user:${actor.id}`, actor)))
      throw new ConclaveError('LEGAL_TRANSITION_NOT_ALLOWED');
  }

  async createProduction(actor: Actor, id: string) {
    const now = this.#d.clock();
    const effective = async (s: LegalStore) => {
      const r = await this.#request(s, id);
      const d = (await s.review.listDecisions(id)).find(
        (x) => x.state === 'effective' && isDisclosure(x.kind),
      );
      if (!d || r.status !== 'decided') throw new ConclaveError('LEGAL_TRANSITION_NOT_ALLOWED');
      return { r, d };
    };
    // Built from the account data before the transaction (see view()); re-checked inside it.
    const pre = await effective(this.#d.store);
    const resolved = await resolveTargets(pre.r.targets, this.#d.directory);
    const built = await buildProduction(pre.r, pre.d.kind, resolved, this.#d.directory, now);
    return this.#d.store.transaction(async (tx) => {
      const { d } = await effective(tx);
      if (d.id !== pre.d.id) throw new ConclaveError('LEGAL_TRANSITION_NOT_ALLOWED');
      const meta = {
        id: randomUUID(),
        requestId: id,
        decisionId: d.id,
        manifest: JSON.stringify(built.manifest),
        packageSha256: built.packageSha256,
        createdBy: actor.id,
        createdAt: now,
        releasedBy: null,
        releasedAt: null,
        firstDownloadedAt: null,
      };
      await tx.review.insertProduction(meta, built.pkg);
      await audit(tx, now, actor, 'production.created', 'production', meta.id, id, {
        sha256: meta.packageSha256,
        files: built.manifest.files.map((f) => ({ name: f.name, sha256: f.sha256 })),
      });
      return meta;
    });
  }

  /** Released to the requester's portal only, and only once every notice is sent or validly held. */
  async releaseProduction(actor: Actor, id: string, prodId: string) {
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#request(tx, id);
      if (r.status !== 'decided') throw new ConclaveError('LEGAL_TRANSITION_NOT_ALLOWED');
      const p = (await tx.review.listProductions(id)).find((x) => x.id === prodId);
      if (!p) throw new ConclaveError('NOT_FOUND');
      if ((await tx.notices.listNotices(id)).some((n) => n.state === 'pending'))
        throw new ConclaveError('LEGAL_NOTICE_PENDING');
      if (!(await tx.review.releaseProduction(prodId, actor.id, now)))
        throw new ConclaveError('LEGAL_TRANSITION_NOT_ALLOWED');
      await tx.requests.updateRequest(id, { status: 'released', closedAt: now, updatedAt: now }, [
        'decided',
      ]);
      await audit(tx, now, actor, 'production.released', 'production', prodId, id, {
        sha256: p.packageSha256,
        [COUNTED_KEY]: await countedFactsNow(tx, id),
      });
    });
  }

  async readProduction(actor: Actor, id: string, prodId: string) {
    return this.#d.store.transaction(async (tx) => {
      const p = await tx.review.readProduction(id, prodId);
      if (!p) throw new ConclaveError('NOT_FOUND');
      await audit(tx, this.#d.clock(), actor, 'production.viewed', 'production', prodId, id);
      return p;
    });
  }

  async readDocument(actor: Actor, id: string, docId: string) {
    return this.#d.store.transaction(async (tx) => {
      const doc = await tx.requests.readDocument(id, docId);
      if (!doc) throw new ConclaveError('NOT_FOUND');
      await audit(tx, this.#d.clock(), actor, 'document.viewed', 'document', docId, id);
      return doc;
    });
  }

  async message(actor: Actor, id: string, body: string): Promise<MessageRecord> {
    const now = this.#d.clock();
    return this.#d.store.transaction(async (tx) => {
      const r = await this.#request(tx, id);
      if (r.status === 'withdrawn') throw new ConclaveError('LEGAL_REQUEST_CLOSED');
      const m: MessageRecord = {
        id: randomUUID(),
        requestId: id,
        authorKind: 'reviewer',
        authorId: actor.id,
        body,
        createdAt: now,
      };
      await tx.requests.insertMessage(m);
      await audit(tx, now, actor, 'message.sent', 'message', m.id, id);
      return m;
    });
  }

  async trail(actor: Actor, id: string) {
    return this.#d.store.transaction(async (tx) => {
      await this.#request(tx, id);
      await audit(tx, this.#d.clock(), actor, 'audit.viewed', 'request', id, id);
      return tx.audit.forRequest(id);
    });
  }

  async createAgency(actor: Actor, b: AgencyBody): Promise<AgencyRecord> {
    const now = this.#d.clock();
    const a: AgencyRecord = {
      id: randomUUID(),
      name: b.name,
      country: b.country,
      subdivision: b.subdivision ?? null,
      level: b.level,
      emailDomains: [...new Set(b.emailDomains)],
      createdAt: now,
    };
    return this.#d.store.transaction(async (tx) => {
      if (!(await tx.requesters.insertAgency(a)))
        throw new ConclaveError(
          'BAD_REQUEST',
          'One of these domains already belongs to an agency.',
        );
      await audit(tx, now, actor, 'agency.created', 'agency', a.id, null, {
        country: a.country,
        domains: a.emailDomains,
      });
      return a;
    });
  }

  listAgencies(): Promise<AgencyRecord[]> {
    return this.#d.store.requesters.listAgencies();
  }
}
