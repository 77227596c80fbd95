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

// What the trust center's routes send (apps/server/src/http/routes/legal-views.ts), as JSON:
// dates arrive as ISO-8601 UTC strings. Shared by the requester portal and the legal console.

export interface AgencyView {
  id: string;
  name: string;
  country: string;
  subdivision: string | null;
  level: string;
  emailDomains: string[];
}

export interface RequesterMe {
  id: string;
  email: string;
  fullName: string;
  agency: AgencyView;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  attestationAccepted: boolean;
  verified: boolean;
  csrfToken: string;
  /** The largest document the server accepts. */
  maxDocumentBytes: number;
}

export interface TargetView {
  id: string;
  position: number;
  type: TargetType;
  value: string;
}

export interface RequestView {
  id: string;
  requesterId: string;
  agencyId: string;
  receivedAt: string;
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
  rangeFrom: string;
  rangeTo: string;
  deadlineAt: string;
  hasNdo: boolean;
  ndoEndAt: string | null;
  ndoCitation: string | null;
  ndoValid: boolean | null;
  emergencyOverAt: string | null;
  status: RequestStatus;
  outcome: Outcome | null;
  closedAt: string | null;
  updatedAt: string;
  targets: TargetView[];
}

export interface DocumentView {
  id: string;
  requestId: string;
  filename: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
}

export interface MessageView {
  id: string;
  authorKind: 'requester' | 'reviewer';
  authorId: string;
  body: string;
  createdAt: string;
}

export interface ProductionView {
  id: string;
  decisionId: string;
  manifest: unknown;
  packageSha256: string;
  createdBy: string;
  createdAt: string;
  releasedBy: string | null;
  releasedAt: string | null;
  firstDownloadedAt: string | null;
}

export interface PrecheckView {
  code: string;
  level: 'ok' | 'flag' | 'info';
  detail: string;
  targetIds?: string[];
}

export interface ResolvedTargetView extends TargetView {
  matched: boolean;
  accountCountry: string | null;
  accountSubdivision: string | null;
}

export interface ChecklistAnswerView {
  ground: ReviewGround;
  result: CheckResult;
  notes: string;
  reviewerId: string;
  updatedAt: string;
}

export interface DecisionView {
  id: string;
  kind: DecisionKind;
  challengeKind: ChallengeKind | null;
  rationale: string;
  state: 'pending_approval' | 'effective' | 'superseded';
  decidedBy: string;
  decidedAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
}

export interface NoticeView {
  id: string;
  recipientKind: 'account_holder' | 'account_admin';
  state: 'pending' | 'suppressed' | 'sent';
  suppressionReason: SuppressionReason | null;
  suppressionNotes: string | null;
  body: string;
  createdAt: string;
  sentAt: string | null;
}

export interface NdoExtensionView {
  id: string;
  previousEndAt: string | null;
  newEndAt: string;
  citation: string;
  recordedAt: string;
}

export interface AuditEntryView {
  seq: number;
  at: string;
  actorKind: string;
  actorId: string;
  action: string;
  entity: string;
  entityId: string;
  detail: string;
  hash: string;
}

export interface PortalRequestDetail {
  request: RequestView;
  documents: DocumentView[];
  messages: MessageView[];
  productions: ProductionView[];
}

export interface ReviewRequestDetail extends PortalRequestDetail {
  agency: AgencyView | null;
  requester: {
    id: string;
    fullName: string;
    email: string;
    badgeNumber: string;
    phone: string;
    mailingAddress: string;
  } | null;
  slaDueAt: string;
  prechecks: PrecheckView[];
  targets: ResolvedTargetView[];
  checklist: ChecklistAnswerView[];
  decisions: DecisionView[];
  notices: NoticeView[];
  ndoExtensions: NdoExtensionView[];
}

export interface QueueItem {
  request: RequestView;
  slaDueAt: string;
  overdue: boolean;
}
