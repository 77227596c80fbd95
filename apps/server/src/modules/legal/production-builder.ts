import { createHash } from 'node:crypto';
import type { DecisionKind } from '@conclave/protocol';
import { canonicalJson } from './audit-chain';
import type { LegalRequestRecord } from './legal-store';
import type { ResolvedTarget } from './prechecks';
import type { RecordingCustody } from './recording-custody';
import type { SubjectDirectory } from './subject-directory';

// A production holds only what the system really stores for the targets and the date range.
// Conclave records meeting media only when a host makes a cloud recording (never under
// end-to-end encryption), keeps no chat history and cannot read end-to-end encrypted content
// (DESIGN.md §4, §8): the package lists every recording held, and says the rest in words.

export const PRODUCTION_FORMAT = 'conclave-production/1';

export const NOT_HELD = {
  participantLogs:
    'Not retained: the service keeps no per-participant join/leave log after a meeting ends.',
  chat: 'Not retained: in-meeting chat is relayed live and never stored by the service.',
  meetingContent:
    'Not held, except cloud recordings: audio, video and screen shares are forwarded in real time and not stored unless a host made a cloud recording; every recording held for the targets is listed in recordings-held.json with its size and SHA-256, and deleted ones with the audit entry of their deletion. End-to-end encrypted meetings cannot be cloud-recorded: their media and chat are encrypted with keys that never reach the service, which therefore holds no media of end-to-end encrypted meetings and cannot read or produce it. Recordings a participant made on their own device never reach the service.',
  recordingMedia:
    'The media files of the recordings listed are not part of this package; their size and SHA-256 identify them.',
} as const;

export interface ProductionFile {
  name: string;
  sha256: string;
  bytes: number;
}

export interface BuiltProduction {
  manifest: {
    format: string;
    requestId: string;
    generatedAt: string;
    files: ProductionFile[];
    statements: typeof NOT_HELD;
  };
  pkg: Uint8Array;
  packageSha256: string;
}

const sha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');

export async function buildProduction(
  r: LegalRequestRecord,
  kind: DecisionKind,
  resolved: ResolvedTarget[],
  dir: SubjectDirectory,
  now: Date,
  recordings?: RecordingCustody,
): Promise<BuiltProduction> {
  const withRecords = kind === 'disclose_non_content' || kind === 'disclose_content';
  const subscribers: unknown[] = [];
  const meetings: unknown[] = [];
  const held: unknown[] = [];
  const seen = new Set<string>();
  for (const t of resolved) {
    if (!t.userId || seen.has(t.userId)) continue;
    seen.add(t.userId);
    const user = await dir.userById(t.userId);
    const account = user ? await dir.account(user.accountId) : undefined;
    if (!user || !account) continue;
    if (r.wantsSubscriberInfo || withRecords)
      subscribers.push({
        target: { type: t.target.type, value: t.target.value },
        userId: user.userId,
        name: user.name,
        email: user.email,
        role: user.role,
        status: user.status,
        userCreatedAt: user.createdAt.toISOString(),
        account: {
          accountId: account.accountId,
          name: account.name,
          plan: account.plan,
          country: account.country,
          createdAt: account.createdAt.toISOString(),
        },
      });
    if (withRecords && recordings)
      held.push({
        target: { type: t.target.type, value: t.target.value },
        userId: user.userId,
        recordings: (await recordings.custodyOf(user.userId)).filter((x) => {
          const at = new Date(x.startedAt);
          return at >= r.rangeFrom && at <= r.rangeTo;
        }),
      });
    if (withRecords && r.wantsNonContent)
      for (const m of await dir.meetingsOfUser(user.userId, r.rangeFrom, r.rangeTo))
        meetings.push({
          meetingId: m.meetingId,
          title: m.title,
          ownerUserId: m.ownerUserId,
          cohostUserIds: m.cohostUserIds,
          createdAt: m.createdAt.toISOString(),
          startsAt: m.startsAt?.toISOString() ?? null,
          endedAt: m.endedAt?.toISOString() ?? null,
          endToEndEncryptionAllowed: m.e2eeAllowed,
        });
  }
  for (const t of resolved) {
    // A meeting id names a meeting: its metadata is a non-content record.
    if (!withRecords || !r.wantsNonContent || !t.meetingId) continue;
    const m = await dir.meeting(t.meetingId);
    if (m && !meetings.some((x) => (x as { meetingId: string }).meetingId === m.meetingId))
      meetings.push({
        meetingId: m.meetingId,
        title: m.title,
        ownerUserId: m.ownerUserId,
        cohostUserIds: m.cohostUserIds,
        createdAt: m.createdAt.toISOString(),
        endedAt: m.endedAt?.toISOString() ?? null,
        endToEndEncryptionAllowed: m.e2eeAllowed,
      });
  }
  const files: Record<string, string> = {
    'subscriber-information.json': canonicalJson(subscribers),
    'statement.txt': [
      `Production for request ${r.id}, generated ${now.toISOString()} (UTC).`,
      `Date range: ${r.rangeFrom.toISOString()} to ${r.rangeTo.toISOString()}.`,
      `Participant logs: ${NOT_HELD.participantLogs}`,
      `Chat: ${NOT_HELD.chat}`,
      `Meeting content: ${NOT_HELD.meetingContent}`,
      `Recording media: ${NOT_HELD.recordingMedia}`,
      '',
    ].join('\n'),
  };
  if (withRecords && r.wantsNonContent) files['meeting-metadata.json'] = canonicalJson(meetings);
  if (withRecords && recordings) files['recordings-held.json'] = canonicalJson(held);
  const list: ProductionFile[] = Object.entries(files)
    .map(([name, text]) => ({ name, sha256: sha(text), bytes: Buffer.byteLength(text) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const manifest = {
    format: PRODUCTION_FORMAT,
    requestId: r.id,
    generatedAt: now.toISOString(),
    files: list,
    statements: NOT_HELD,
  };
  const pkg = Buffer.from(canonicalJson({ manifest, files }), 'utf8');
  return { manifest, pkg: new Uint8Array(pkg), packageSha256: sha(pkg) };
}
