import type { OutboxStore } from '../mail/outbox-store';
import type {
  ChallengeKind,
  CheckResult,
  DecisionKind,
  Outcome,
  RequestStatus,
  RequestType,
  ReviewGround,
  SuppressionReason,
  TargetType,
} from '@conclave/protocol';
import type { AuditEntry, AuditInput } from './audit-chain';

// The trust center's storage port (CONVENTIONS.md rule 8). Every write of a request, document,
// decision, production or notice happens inside `transaction()` together with its audit entry.

export interface AgencyRecord {
  id: string;
  name: string;
  country: string;
  subdivision: string | null;
  level: string;
  emailDomains: string[];
  createdAt: Date;
}

export type RequesterStatus = 'active' | 'suspended';

export interface RequesterRecord {
  id: string;
  agencyId: string;
  email: string;
  fullName: string;
  badgeNumber: string;
  phone: string;
  mailingAddress: string;
  passwordHash: string;
  emailVerifiedAt: Date | null;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpLastStep: number;
  attestationVersion: number | null;
  attestationAcceptedAt: Date | null;
  status: RequesterStatus;
  createdAt: Date;
}

export type RequesterPatch = Partial<
  Pick<
    RequesterRecord,
    | 'emailVerifiedAt'
    | 'totpSecret'
    | 'totpPendingSecret'
    | 'attestationVersion'
    | 'attestationAcceptedAt'
    | 'status'
  >
>;

export interface TargetRecord {
  id: string;
  position: number;
  type: TargetType;
  value: string;
}

export interface LegalRequestRecord {
  id: string;
  requesterId: string;
  agencyId: string;
  idempotencyKey: string;
  receivedAt: Date;
  type: RequestType;
  country: string;
  subdivision: string | null;
  originCountry: string | null;
  legalBasis: string;
  issuingAuthority: string;
  externalRef: string | null;
  description: string;
  isEmergency: boolean;
  isPreservation: boolean;
  isNationalSecurity: boolean;
  wantsSubscriberInfo: boolean;
  wantsNonContent: boolean;
  wantsContent: boolean;
  accountsSpecified: number;
  rangeFrom: Date;
  rangeTo: Date;
  deadlineAt: Date;
  hasNdo: boolean;
  ndoEndAt: Date | null;
  ndoCitation: string | null;
  ndoValid: boolean | null;
  emergencyOverAt: Date | null;
  status: RequestStatus;
  outcome: Outcome | null;
  closedAt: Date | null;
  updatedAt: Date;
  targets: TargetRecord[];
}

export type RequestPatch = Partial<
  Pick<
    LegalRequestRecord,
    'status' | 'outcome' | 'closedAt' | 'ndoValid' | 'ndoEndAt' | 'emergencyOverAt' | 'updatedAt'
  >
>;

export interface DocumentMeta {
  id: string;
  requestId: string;
  filename: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: Date;
}

export interface MessageRecord {
  id: string;
  requestId: string;
  authorKind: 'requester' | 'reviewer';
  authorId: string;
  body: string;
  createdAt: Date;
}

export interface ChecklistAnswer {
  requestId: string;
  ground: ReviewGround;
  result: CheckResult;
  notes: string;
  reviewerId: string;
  updatedAt: Date;
}

export type DecisionState = 'pending_approval' | 'effective' | 'superseded';

export interface DecisionRecord {
  id: string;
  requestId: string;
  kind: DecisionKind;
  challengeKind: ChallengeKind | null;
  rationale: string;
  state: DecisionState;
  decidedBy: string;
  decidedAt: Date;
  approvedBy: string | null;
  approvedAt: Date | null;
}

export interface ProductionMeta {
  id: string;
  requestId: string;
  decisionId: string;
  manifest: string;
  packageSha256: string;
  createdBy: string;
  createdAt: Date;
  releasedBy: string | null;
  releasedAt: Date | null;
  firstDownloadedAt: Date | null;
}

export type NoticeState = 'pending' | 'suppressed' | 'sent';

export interface NoticeRecord {
  id: string;
  requestId: string;
  recipientUserId: string;
  recipientKind: 'account_holder' | 'account_admin';
  subjectUserId: string;
  state: NoticeState;
  suppressionReason: SuppressionReason | null;
  suppressionNotes: string | null;
  suppressedBy: string | null;
  body: string;
  createdAt: Date;
  claimedBy: string | null;
  sentAt: Date | null;
}

export interface NdoExtensionRecord {
  id: string;
  requestId: string;
  previousEndAt: Date | null;
  newEndAt: Date;
  citation: string;
  recordedBy: string;
  recordedAt: Date;
}

export interface UserNoticeRecord {
  id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
}

export interface RequesterRepo {
  insertAgency(a: AgencyRecord): Promise<boolean>;
  listAgencies(): Promise<AgencyRecord[]>;
  findAgency(id: string): Promise<AgencyRecord | undefined>;
  findAgencyByDomain(domain: string): Promise<AgencyRecord | undefined>;
  insertRequester(r: RequesterRecord): Promise<boolean>;
  findRequesterById(id: string): Promise<RequesterRecord | undefined>;
  findRequesterByEmail(email: string): Promise<RequesterRecord | undefined>;
  updateRequester(id: string, patch: RequesterPatch): Promise<void>;
  /** Accepts a TOTP step only if it is newer than the last one used (RFC 6238 §5.2). */
  useTotpStep(id: string, step: number): Promise<boolean>;
  insertSession(s: {
    id: string;
    requesterId: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<void>;
  findSession(id: string): Promise<{ requesterId: string; expiresAt: Date } | undefined>;
  deleteSession(id: string): Promise<void>;
  insertToken(t: {
    id: string;
    requesterId: string;
    purpose: 'verify_email';
    expiresAt: Date;
  }): Promise<void>;
  /** Marks an unexpired, unused token used; returns its requester (once). */
  consumeToken(id: string, purpose: 'verify_email', now: Date): Promise<string | undefined>;
}

export interface RequestRepo {
  insertRequest(r: LegalRequestRecord): Promise<void>;
  findRequest(id: string): Promise<LegalRequestRecord | undefined>;
  findByIdempotencyKey(requesterId: string, key: string): Promise<LegalRequestRecord | undefined>;
  listForAgency(agencyId: string): Promise<LegalRequestRecord[]>;
  /** Requests not closed, released or withdrawn. */
  listOpen(): Promise<LegalRequestRecord[]>;
  /** Conditional update: applies only while the status is one of `from` (optimistic check). */
  updateRequest(id: string, patch: RequestPatch, from?: readonly RequestStatus[]): Promise<boolean>;
  insertDocument(meta: DocumentMeta, content: Uint8Array): Promise<void>;
  listDocuments(requestId: string): Promise<DocumentMeta[]>;
  readDocument(
    requestId: string,
    id: string,
  ): Promise<{ meta: DocumentMeta; content: Uint8Array } | undefined>;
  insertMessage(m: MessageRecord): Promise<void>;
  listMessages(requestId: string): Promise<MessageRecord[]>;
  listWithNdoOrEmergency(): Promise<LegalRequestRecord[]>;
}

export interface ReviewRepo {
  upsertChecklist(a: ChecklistAnswer): Promise<void>;
  listChecklist(requestId: string): Promise<ChecklistAnswer[]>;
  insertDecision(d: DecisionRecord): Promise<void>;
  findDecision(requestId: string, id: string): Promise<DecisionRecord | undefined>;
  listDecisions(requestId: string): Promise<DecisionRecord[]>;
  /** pending_approval -> effective with the approver; false when someone else got there first. */
  approveDecision(id: string, approvedBy: string, at: Date): Promise<boolean>;
  supersedeDecisions(requestId: string): Promise<void>;
  insertProduction(p: ProductionMeta, pkg: Uint8Array): Promise<void>;
  listProductions(requestId: string): Promise<ProductionMeta[]>;
  readProduction(
    requestId: string,
    id: string,
  ): Promise<{ meta: ProductionMeta; pkg: Uint8Array } | undefined>;
  releaseProduction(id: string, by: string, at: Date): Promise<boolean>;
  markDownloaded(id: string, at: Date): Promise<void>;
  insertNdoExtension(e: NdoExtensionRecord): Promise<void>;
  listNdoExtensions(requestId: string): Promise<NdoExtensionRecord[]>;
}

export interface NoticeRepo {
  /** False when the recipient already has a notice for this request (unique key). */
  insertNotice(n: NoticeRecord): Promise<boolean>;
  listNotices(requestId: string): Promise<NoticeRecord[]>;
  listUnsent(): Promise<NoticeRecord[]>;
  suppressNotice(
    id: string,
    reason: SuppressionReason,
    notes: string,
    by: string,
  ): Promise<boolean>;
  /** Conditional update to `sent`: exactly one caller wins for each notice. */
  claimSend(id: string, claimer: string, at: Date): Promise<boolean>;
  /** A unique key claimed once across all processes (reminders). */
  claimOnce(key: string, claimer: string, at: Date): Promise<boolean>;
  insertUserNotice(n: UserNoticeRecord): Promise<void>;
  listUserNotices(userId: string): Promise<UserNoticeRecord[]>;
  /**
   * Marks one of the user's notices read (the first time counts); returns its `readAt`, or
   * undefined when the user has no notice with this id (someone else's included).
   */
  markUserNoticeRead(userId: string, id: string, at: Date): Promise<Date | undefined>;
}

export interface AuditRepo {
  append(e: AuditInput): Promise<AuditEntry>;
  head(): Promise<{ seq: number; hash: string }>;
  /** Every entry in order, read page by page. */
  entries(): AsyncIterable<AuditEntry>;
  forRequest(requestId: string): Promise<AuditEntry[]>;
}

export interface LegalStore {
  requesters: RequesterRepo;
  requests: RequestRepo;
  review: ReviewRepo;
  notices: NoticeRepo;
  audit: AuditRepo;
  /** The mail queue on the same connection: mail queued in `transaction()` commits with it. */
  mail: OutboxStore;
  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: (tx: LegalStore) => Promise<T>): Promise<T>;
}
