import { z } from 'zod';
import { iso3166Problem } from './iso3166';

// Trust center (issue 7): the shapes the requester portal and the legal console exchange with
// the server. Enumerations are the reporting vocabulary of research/legal-requests-and-
// transparency.md §7 so issue 8 can count them without translation.

export const REQUEST_TYPES = [
  'subpoena',
  'court_order',
  'search_warrant',
  'emergency',
  'preservation',
  'preservation_extension',
  'mlat',
  'cloud_act',
  'letters_rogatory',
  'withhold_access',
  'national_security',
] as const;
export const requestTypeSchema = z.enum(REQUEST_TYPES);
export type RequestType = z.infer<typeof requestTypeSchema>;

export const TARGET_TYPES = ['email', 'user_id', 'meeting_id'] as const;
export const targetTypeSchema = z.enum(TARGET_TYPES);
export type TargetType = z.infer<typeof targetTypeSchema>;

export const DATA_CATEGORIES = ['basic_subscriber_info', 'non_content_records', 'content'] as const;
export const dataCategorySchema = z.enum(DATA_CATEGORIES);
export type DataCategory = z.infer<typeof dataCategorySchema>;

/** The seven challenge grounds (Zoom's published list; research §4.1). */
export const REVIEW_GROUNDS = [
  'overbroad_or_vague',
  'no_legal_basis_in_jurisdiction',
  'not_good_faith_crime',
  'target_not_subject_to_jurisdiction',
  'requester_lacks_authority',
  'ndo_without_end_date',
  'improperly_served_or_deficient',
] as const;
export const reviewGroundSchema = z.enum(REVIEW_GROUNDS);
export type ReviewGround = z.infer<typeof reviewGroundSchema>;

export const CHECK_RESULTS = ['pass', 'fail', 'not_applicable'] as const;
export const checkResultSchema = z.enum(CHECK_RESULTS);
export type CheckResult = z.infer<typeof checkResultSchema>;

export const DECISION_KINDS = [
  'reject',
  'challenge',
  'disclose_non_content',
  'disclose_content',
  'no_responsive_data',
  /** Process information only (how to serve, what we require): no user data (research §2, Zoom). */
  'general_information',
  'withdrawn',
  'preserve',
  'withhold_access',
] as const;
export const decisionKindSchema = z.enum(DECISION_KINDS);
export type DecisionKind = z.infer<typeof decisionKindSchema>;

export const CHALLENGE_KINDS = ['narrow', 'push_back', 'redirect_to_customer'] as const;
export const challengeKindSchema = z.enum(CHALLENGE_KINDS);
export type ChallengeKind = z.infer<typeof challengeKindSchema>;

export const REQUEST_STATUSES = [
  'received',
  'in_review',
  'challenged',
  'awaiting_approval',
  'decided',
  'released',
  'closed',
  'withdrawn',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Reporting outcomes (issue 8 counts these; research §7 `Outcome`). */
export const OUTCOMES = [
  'rejected',
  'challenged',
  'withdrawn',
  'no_data',
  'general_information',
  'non_content_disclosed',
  'content_disclosed',
  'preserved',
  'access_withheld',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const SUPPRESSION_REASONS = [
  'ndo',
  'child_endangerment',
  'life_threatening_emergency',
  'threat_to_service',
] as const;
export const suppressionReasonSchema = z.enum(SUPPRESSION_REASONS);
export type SuppressionReason = z.infer<typeof suppressionReasonSchema>;

export const iso2Schema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code (e.g. US)')
  .superRefine((code, ctx) => {
    const problem = /^[A-Z]{2}$/.test(code) ? iso3166Problem(code) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('ISO 3166-1 alpha-2');
/** ISO 3166-2 subdivision code without the country part, e.g. `CA` for US-CA. */
export const subdivisionSchema = z
  .string()
  .regex(/^[A-Z0-9]{1,3}$/, 'an ISO 3166-2 subdivision code');
const subdivision = subdivisionSchema;
const isoInstant = z.iso.datetime({ offset: false });
const email = z.string().trim().toLowerCase().max(254).pipe(z.email());
const text = (max: number) => z.string().trim().min(1).max(max);

// ---- requester portal

export const requesterRegisterSchema = z.object({
  email,
  password: z.string().min(12).max(256),
  fullName: text(200),
  badgeNumber: text(100),
  phone: text(40),
  mailingAddress: text(500),
});
export type RequesterRegisterBody = z.infer<typeof requesterRegisterSchema>;

export const requesterLoginSchema = z.object({
  email,
  password: z.string().min(1).max(256),
  totpCode: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});
export const tokenBodySchema = z.object({ token: z.string().min(20).max(200) });
export const totpCodeBodySchema = z.object({ code: z.string().regex(/^\d{6}$/) });
export const attestationBodySchema = z.object({
  /** The version of the attestation text the requester read (GET /attestation). */
  version: z.literal(1),
  accept: z.literal(true),
});

export const targetInputSchema = z.object({
  type: targetTypeSchema,
  value: text(254),
});

export const ndoInputSchema = z.discriminatedUnion('hasEndDate', [
  z.object({ hasEndDate: z.literal(true), endDate: isoInstant, citation: text(300) }),
  z.object({ hasEndDate: z.literal(false), citation: text(300) }),
]);

export const submitRequestSchema = z
  .object({
    /** Client-chosen; a retried submission with the same key returns the first result. */
    idempotencyKey: z.string().min(8).max(64),
    type: requestTypeSchema,
    country: iso2Schema,
    subdivision: subdivision.optional(),
    /** For MLAT / CLOUD Act / letters rogatory: the foreign country that originated it. */
    originCountry: iso2Schema.optional(),
    legalBasis: text(500),
    issuingAuthority: text(300),
    externalRef: text(100).optional(),
    description: z.string().trim().max(5000).default(''),
    targets: z.array(targetInputSchema).min(1).max(100),
    dataCategories: z.array(dataCategorySchema).min(1).max(3),
    rangeFrom: isoInstant,
    rangeTo: isoInstant,
    deadline: isoInstant,
    ndo: ndoInputSchema.nullable().default(null),
  })
  .refine((r) => r.rangeFrom <= r.rangeTo, {
    message: 'rangeFrom is after rangeTo',
    path: ['rangeFrom'],
  });
export type SubmitRequestBody = z.infer<typeof submitRequestSchema>;

export const messageBodySchema = z.object({ body: text(10_000) });
export const withdrawBodySchema = z.object({ reason: z.string().trim().max(2000).default('') });

// ---- legal console

export const checklistBodySchema = z.object({
  answers: z
    .array(
      z.object({
        ground: reviewGroundSchema,
        result: checkResultSchema,
        notes: z.string().trim().max(4000).default(''),
      }),
    )
    .min(1)
    .max(7),
});

export const decisionBodySchema = z
  .object({
    kind: decisionKindSchema,
    challengeKind: challengeKindSchema.optional(),
    rationale: text(10_000),
  })
  .refine((d) => (d.kind === 'challenge') === (d.challengeKind !== undefined), {
    message: 'challengeKind is required for a challenge and only for one',
    path: ['challengeKind'],
  });
export type DecisionBody = z.infer<typeof decisionBodySchema>;

export const ndoReviewBodySchema = z.object({
  valid: z.boolean(),
  notes: z.string().max(4000).default(''),
});
export const ndoExtensionBodySchema = z.object({ newEndDate: isoInstant, citation: text(300) });
export const suppressBodySchema = z.object({
  reason: suppressionReasonSchema,
  notes: text(4000),
});
export const agencyBodySchema = z.object({
  name: text(200),
  country: iso2Schema,
  subdivision: subdivision.optional(),
  level: z.enum([
    'federal',
    'state',
    'local',
    'foreign_national',
    'foreign_local',
    'international',
  ]),
  emailDomains: z
    .array(
      z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'a domain name'),
    )
    .min(1)
    .max(20),
});
export type AgencyBody = z.infer<typeof agencyBodySchema>;
export const requestIdParamSchema = z.object({ id: z.string().uuid() });
export const documentParamSchema = z.object({ id: z.string().uuid(), docId: z.string().uuid() });
export const productionParamSchema = z.object({ id: z.string().uuid(), prodId: z.string().uuid() });
export const decisionParamSchema = z.object({
  id: z.string().uuid(),
  decisionId: z.string().uuid(),
});
export const noticeParamSchema = z.object({ id: z.string().uuid(), noticeId: z.string().uuid() });

// ---- responses (JSON): what the portal and the console receive. Dates are ISO-8601 UTC strings;
// the server's records (apps/server/src/modules/legal/legal-store.ts) hold them as Date and may
// carry more fields.

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
  accountsSpecified: number;
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
  uploadedBy: string;
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
  /** Absent only if the record is gone (requests keep their agency and requester). */
  agency?: AgencyView;
  requester?: {
    id: string;
    fullName: string;
    email: string;
    badgeNumber: string;
    phone: string;
    mailingAddress: string;
  };
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
