import type { AuditEntry } from '../legal/audit-chain';
import type { CountedFacts } from '../legal/counted-facts';
import { COUNTED_KEY, countedFactsSchema } from '../legal/counted-facts';
import type { ReportInput } from './counting';
import type { Period } from './period';
import { inPeriod } from './period';

// Replays the counted facts the legal services write into the audit log (legal/counted-facts.ts)
// so `conclave transparency verify` can recompute a published report from the log itself, as it
// stood at the snapshot's recorded head, and compare the stored requests with the log.

export interface Replay {
  /** Each request's facts as of entry `headSeq` (the snapshot's recorded head). */
  atHead: Map<string, CountedFacts>;
  /** Each request's facts after the last entry of the log. */
  latest: Map<string, CountedFacts>;
  /** Entries whose counted facts could not be read: a broken promise of the log, reported. */
  unreadable: { seq: number; problem: string }[];
}

function factsOf(e: AuditEntry): unknown[] {
  let detail: unknown;
  try {
    detail = JSON.parse(e.detail);
  } catch {
    return [];
  }
  if (!detail || typeof detail !== 'object' || !(COUNTED_KEY in detail)) return [];
  const counted = (detail as Record<string, unknown>)[COUNTED_KEY];
  return Array.isArray(counted) ? counted : [counted];
}

/**
 * `keep` limits what is held in memory (verify keeps one period's requests: receivedAt never
 * changes through the audited paths, so a request is in the period in every entry or in none).
 */
export async function replayCountedFacts(
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>,
  headSeq: number,
  keep: (f: CountedFacts) => boolean = () => true,
): Promise<Replay> {
  const latest = new Map<string, CountedFacts>();
  const unreadable: Replay['unreadable'] = [];
  let atHead: Map<string, CountedFacts> | undefined;
  for await (const e of entries) {
    if (!atHead && e.seq > headSeq) atHead = new Map(latest);
    for (const raw of factsOf(e)) {
      const parsed = countedFactsSchema.safeParse(raw);
      if (!parsed.success)
        unreadable.push({ seq: e.seq, problem: parsed.error.issues[0]?.message ?? 'invalid' });
      else if (keep(parsed.data)) latest.set(parsed.data.id, parsed.data);
    }
  }
  return { atHead: atHead ?? new Map(latest), latest, unreadable };
}

export function toReportInput(f: CountedFacts): ReportInput {
  return {
    receivedAt: new Date(f.receivedAt),
    type: f.type,
    country: f.country,
    originCountry: f.originCountry,
    isEmergency: f.emergency,
    isNationalSecurity: f.nationalSecurity,
    accountsSpecified: f.accountsSpecified,
    hasNdo: f.ndo,
    status: f.status,
    outcome: f.outcome,
  };
}

export const factsInPeriod = (facts: Iterable<CountedFacts>, period: Period) =>
  [...facts].filter((f) => inPeriod(period, new Date(f.receivedAt)));

export interface FactDifference {
  requestId: string;
  field: keyof CountedFacts | 'request';
  log: unknown;
  stored: unknown;
}

const FIELDS = [
  'receivedAt',
  'type',
  'country',
  'originCountry',
  'emergency',
  'nationalSecurity',
  'accountsSpecified',
  'ndo',
  'status',
  'outcome',
] as const satisfies readonly (keyof CountedFacts)[];

/**
 * The stored requests of a period against the log's latest facts for it, field by field. A
 * request on one side only is one difference (`field: 'request'`).
 */
export function compareStoredWithLog(
  stored: readonly CountedFacts[],
  log: readonly CountedFacts[],
): FactDifference[] {
  const byId = new Map(log.map((f) => [f.id, f]));
  const out: FactDifference[] = [];
  for (const s of stored) {
    const l = byId.get(s.id);
    byId.delete(s.id);
    if (!l) {
      out.push({ requestId: s.id, field: 'request', log: 'not recorded', stored: 'present' });
      continue;
    }
    for (const k of FIELDS)
      if (s[k] !== l[k]) out.push({ requestId: s.id, field: k, log: l[k], stored: s[k] });
  }
  for (const l of byId.values())
    out.push({ requestId: l.id, field: 'request', log: 'recorded', stored: 'missing' });
  return out.sort((a, b) => (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0));
}

/** Requests whose facts changed through audited actions after the snapshot's head. */
export function changedSinceHead(replay: Replay, period: Period): string[] {
  const ids: string[] = [];
  for (const f of factsInPeriod(replay.latest.values(), period)) {
    const before = replay.atHead.get(f.id);
    if (!before || FIELDS.some((k) => before[k] !== f[k])) ids.push(f.id);
  }
  return ids.sort();
}
