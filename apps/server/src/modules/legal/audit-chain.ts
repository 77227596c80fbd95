import { createHash } from 'node:crypto';
import type { AuditEntryView } from '@conclave/protocol';

// The legal audit log is a hash chain: entry n stores SHA-256(prevHash ‖ "\n" ‖ canonical JSON of
// its fields), so changing, removing or reordering any stored entry breaks every later hash.
// Canonical JSON = keys sorted at every level, no whitespace (the subset of RFC 8785 our values
// need: strings, finite numbers, booleans, null, arrays, plain objects).

export const GENESIS_HASH = '0'.repeat(64);

export type ActorKind = 'user' | 'requester' | 'system';
export type AuditEntity =
  | 'request'
  | 'document'
  | 'decision'
  | 'production'
  | 'notice'
  | 'message'
  | 'checklist'
  | 'requester'
  | 'agency'
  // Issue 8: publishing a transparency report (and editing its guide) is on the same chain.
  | 'transparency_report'
  | 'transparency_guide';

export interface AuditInput {
  at: Date;
  actorKind: ActorKind;
  actorId: string;
  action: string;
  entity: AuditEntity;
  entityId: string;
  requestId: string | null;
  /** Never document contents, meeting content or secrets: ids, states, hashes, counts. */
  detail: Record<string, unknown>;
}

/**
 * A stored entry: what the console shows (`AuditEntryView`, whose `detail` is the canonical JSON
 * text exactly as hashed) plus the request it concerns and the previous entry's hash.
 */
export interface AuditEntry extends AuditEntryView {
  requestId: string | null;
  prevHash: string;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string')
    return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonicalJson: unsupported ${typeof value}`);
}

/** The hash of one entry given the previous entry's hash. */
export function entryHash(prevHash: string, e: Omit<AuditEntry, 'hash' | 'prevHash'>): string {
  const body = canonicalJson({
    seq: e.seq,
    at: e.at,
    actorKind: e.actorKind,
    actorId: e.actorId,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    requestId: e.requestId,
    detail: e.detail,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`).digest('hex');
}

export type VerifyResult =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; firstBrokenSeq: number; problem: string };

/**
 * Recomputes the chain in order. Reports the first entry whose stored prev-hash, hash or sequence
 * number does not follow from the entries before it; `head` is compared with the last hash.
 */
export async function verifyChain(
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
  head?: { seq: number; hash: string },
): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for await (const e of entries) {
    count++;
    if (e.seq !== expectedSeq)
      return { ok: false, entries: count, firstBrokenSeq: expectedSeq, problem: 'entry missing' };
    if (e.prevHash !== prev)
      return { ok: false, entries: count, firstBrokenSeq: e.seq, problem: 'prev-hash mismatch' };
    if (entryHash(prev, e) !== e.hash)
      return { ok: false, entries: count, firstBrokenSeq: e.seq, problem: 'hash mismatch' };
    prev = e.hash;
    expectedSeq++;
  }
  if (head && (head.seq !== count || head.hash !== prev))
    return {
      ok: false,
      entries: count,
      firstBrokenSeq: Math.min(head.seq, count) + 1,
      problem: 'entries after the last one are missing (head mismatch)',
    };
  return { ok: true, entries: count, head: prev };
}
