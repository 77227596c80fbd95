import type { LegalRequestRecord, RequesterRecord, TargetRecord } from './legal-store';
import { rangeDays } from './deadlines';
import type { SubjectDirectory } from './subject-directory';

// Automatic pre-checks shown beside each request (issue 7). They flag what the data can show;
// the reviewer still answers the seven grounds of the checklist.

export interface PrecheckLimits {
  maxTargets: number;
  maxRangeDays: number;
}
export const DEFAULT_PRECHECK_LIMITS: PrecheckLimits = { maxTargets: 10, maxRangeDays: 366 };

export type PrecheckCode =
  | 'requester_verified'
  | 'ndo_without_end_date'
  | 'subpoena_for_content'
  | 'targets_outside_jurisdiction'
  | 'targets_without_account'
  | 'too_many_targets'
  | 'date_range_too_long'
  | 'content_not_held';

export interface Precheck {
  code: PrecheckCode;
  /** `flag`: a reviewer must look at it; `ok`: checked and fine; `info`: context. */
  level: 'ok' | 'flag' | 'info';
  detail: string;
  targetIds?: string[];
}

export interface ResolvedTarget {
  target: TargetRecord;
  userId: string | null;
  accountId: string | null;
  accountCountry: string | null;
  accountSubdivision: string | null;
  meetingId: string | null;
}

/** Which accounts a request's targets name; meeting ids resolve to the meeting's owner. */
export async function resolveTargets(
  targets: TargetRecord[],
  dir: SubjectDirectory,
): Promise<ResolvedTarget[]> {
  const out: ResolvedTarget[] = [];
  for (const t of targets) {
    let userId: string | null;
    let meetingId: string | null = null;
    if (t.type === 'email') userId = (await dir.userByEmail(t.value))?.userId ?? null;
    else if (t.type === 'user_id') userId = (await dir.userById(t.value))?.userId ?? null;
    else {
      const m = await dir.meeting(t.value);
      meetingId = m?.meetingId ?? null;
      userId = m?.ownerUserId ?? null;
    }
    const user = userId ? await dir.userById(userId) : undefined;
    const account = user ? await dir.account(user.accountId) : undefined;
    out.push({
      target: t,
      userId: user?.userId ?? null,
      accountId: account?.accountId ?? null,
      accountCountry: account?.country ?? null,
      accountSubdivision: account?.subdivision ?? null,
      meetingId,
    });
  }
  return out;
}

export function precheck(
  r: LegalRequestRecord,
  requester: RequesterRecord | undefined,
  resolved: ResolvedTarget[],
  limits: PrecheckLimits,
): Precheck[] {
  const out: Precheck[] = [];
  const verified = Boolean(
    requester?.emailVerifiedAt && requester.totpSecret && requester.attestationAcceptedAt,
  );
  out.push({
    code: 'requester_verified',
    level: verified ? 'ok' : 'flag',
    detail: verified
      ? 'Official email verified, two-factor enrolled, attestation accepted.'
      : 'The requester has not completed verification.',
  });
  if (r.hasNdo && !r.ndoEndAt)
    out.push({
      code: 'ndo_without_end_date',
      level: 'flag',
      detail: 'The nondisclosure order has no end date (a challenge ground).',
    });
  // ECPA ladder (research §4.2): a subpoena reaches basic subscriber information only.
  if (r.type === 'subpoena' && (r.wantsContent || r.wantsNonContent))
    out.push({
      code: 'subpoena_for_content',
      level: 'flag',
      detail: r.wantsContent
        ? 'A subpoena asks for content; content needs a search warrant.'
        : 'A subpoena asks for non-content records beyond subscriber information.',
    });
  const outside = resolved.filter(
    (t) =>
      t.accountId &&
      ((t.accountCountry && t.accountCountry !== r.country) ||
        (r.subdivision && t.accountSubdivision && t.accountSubdivision !== r.subdivision)),
  );
  if (outside.length)
    out.push({
      code: 'targets_outside_jurisdiction',
      level: 'flag',
      detail: `${outside.length} target(s) belong to accounts located outside ${r.country}${r.subdivision ? `-${r.subdivision}` : ''}.`,
      targetIds: outside.map((t) => t.target.id),
    });
  const unknown = resolved.filter((t) => !t.userId && !t.meetingId);
  if (unknown.length)
    out.push({
      code: 'targets_without_account',
      level: 'flag',
      detail: `${unknown.length} target(s) match no account or meeting.`,
      targetIds: unknown.map((t) => t.target.id),
    });
  if (r.targets.length > limits.maxTargets)
    out.push({
      code: 'too_many_targets',
      level: 'flag',
      detail: `${r.targets.length} targets (more than ${limits.maxTargets}): possibly overbroad.`,
    });
  const days = rangeDays(r.rangeFrom, r.rangeTo);
  if (days > limits.maxRangeDays)
    out.push({
      code: 'date_range_too_long',
      level: 'flag',
      detail: `The date range spans ${days} days (more than ${limits.maxRangeDays}).`,
    });
  if (r.wantsContent)
    out.push({
      code: 'content_not_held',
      level: 'info',
      detail:
        'Meeting audio, video and screen shares are stored only as cloud recordings a host chose to make (never of end-to-end encrypted meetings; the production lists them), chat is not stored, and end-to-end encrypted content cannot be read by the service.',
    });
  return out;
}
