import type {
  AgencyView,
  ChecklistAnswerView,
  DecisionView,
  DocumentView,
  MessageView,
  NdoExtensionView,
  NoticeView,
  PortalRequestDetail,
  ProductionView,
  QueueItem,
  RequestView,
  RequesterMe,
  ReviewRequestDetail,
} from '@conclave/protocol';
import type {
  AgencyRecord,
  ChecklistAnswer,
  DecisionRecord,
  DocumentMeta,
  LegalRequestRecord,
  MessageRecord,
  NdoExtensionRecord,
  NoticeRecord,
  ProductionMeta,
} from '../../modules/legal/legal-store';
import type { RequesterContext } from '../../modules/legal/requester-service';
import type { ReviewService } from '../../modules/legal/review-service';

// What the trust center's routes send: records minus anything internal (password hashes, TOTP
// secrets, idempotency keys), typed by the wire shapes of @conclave/protocol. Dates become
// ISO-8601 UTC here, as JSON.stringify would; overriding a spread key keeps its position, so the
// JSON is the same as serialising the record.

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d === null ? null : d.toISOString());

export function requesterView(
  ctx: RequesterContext,
): Omit<RequesterMe, 'csrfToken' | 'maxDocumentBytes'> {
  const r = ctx.requester;
  return {
    id: r.id,
    email: r.email,
    fullName: r.fullName,
    agency: agencyView(ctx.agency),
    emailVerified: r.emailVerifiedAt !== null,
    twoFactorEnabled: r.totpSecret !== null,
    attestationAccepted: r.attestationAcceptedAt !== null,
    verified: ctx.verified,
  };
}

export function agencyView(a: AgencyRecord): AgencyView {
  return {
    id: a.id,
    name: a.name,
    country: a.country,
    subdivision: a.subdivision,
    level: a.level,
    emailDomains: a.emailDomains,
  };
}

export function requestView(r: LegalRequestRecord): RequestView {
  const { idempotencyKey: _key, ...rest } = r;
  return {
    ...rest,
    receivedAt: iso(r.receivedAt),
    rangeFrom: iso(r.rangeFrom),
    rangeTo: iso(r.rangeTo),
    deadlineAt: iso(r.deadlineAt),
    ndoEndAt: isoOrNull(r.ndoEndAt),
    emergencyOverAt: isoOrNull(r.emergencyOverAt),
    closedAt: isoOrNull(r.closedAt),
    updatedAt: iso(r.updatedAt),
  };
}

export function documentView(d: DocumentMeta): DocumentView {
  return { ...d, uploadedAt: iso(d.uploadedAt) };
}

export function messageView(m: MessageRecord): MessageView {
  return { ...m, createdAt: iso(m.createdAt) };
}

export function productionView(p: ProductionMeta): ProductionView {
  return {
    ...p,
    manifest: JSON.parse(p.manifest) as unknown,
    createdAt: iso(p.createdAt),
    releasedAt: isoOrNull(p.releasedAt),
    firstDownloadedAt: isoOrNull(p.firstDownloadedAt),
  };
}

export function portalDetailView(v: {
  request: LegalRequestRecord;
  documents: DocumentMeta[];
  messages: MessageRecord[];
  productions: ProductionMeta[];
}): PortalRequestDetail {
  return {
    request: requestView(v.request),
    documents: v.documents.map(documentView),
    messages: v.messages.map(messageView),
    productions: v.productions.map(productionView),
  };
}

export function queueItemView(q: {
  request: LegalRequestRecord;
  slaDueAt: Date;
  overdue: boolean;
}): QueueItem {
  return { request: requestView(q.request), slaDueAt: iso(q.slaDueAt), overdue: q.overdue };
}

export function checklistView(a: ChecklistAnswer): ChecklistAnswerView {
  return { ...a, updatedAt: iso(a.updatedAt) };
}

export function decisionView(d: DecisionRecord): DecisionView {
  return { ...d, decidedAt: iso(d.decidedAt), approvedAt: isoOrNull(d.approvedAt) };
}

export function noticeView(n: NoticeRecord): NoticeView {
  return { ...n, createdAt: iso(n.createdAt), sentAt: isoOrNull(n.sentAt) };
}

export function ndoExtensionView(e: NdoExtensionRecord): NdoExtensionView {
  return {
    ...e,
    previousEndAt: isoOrNull(e.previousEndAt),
    newEndAt: iso(e.newEndAt),
    recordedAt: iso(e.recordedAt),
  };
}

/** The console's request page; its keys keep the order of the service's view. */
export function reviewDetailView(
  v: Awaited<ReturnType<ReviewService['view']>>,
): ReviewRequestDetail {
  return {
    ...v,
    request: requestView(v.request),
    agency: v.agency && agencyView(v.agency),
    slaDueAt: iso(v.slaDueAt),
    documents: v.documents.map(documentView),
    messages: v.messages.map(messageView),
    checklist: v.checklist.map(checklistView),
    decisions: v.decisions.map(decisionView),
    productions: v.productions.map(productionView),
    notices: v.notices.map(noticeView),
    ndoExtensions: v.ndoExtensions.map(ndoExtensionView),
  };
}
