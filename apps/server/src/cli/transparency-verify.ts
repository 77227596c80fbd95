import type { AuditEntry } from '../modules/legal/audit-chain';
import { verifyChain } from '../modules/legal/audit-chain';
import type { AuditRepo } from '../modules/legal/legal-store';
import { computeReport } from '../modules/transparency/counting';
import { inPeriod, parsePeriod } from '../modules/transparency/period';
import {
  changedSinceHead,
  compareStoredWithLog,
  factsInPeriod,
  replayCountedFacts,
  toReportInput,
} from '../modules/transparency/log-replay';
import { diffReports } from '../modules/transparency/report-diff';
import type { ReportDifference } from '../modules/transparency/report-diff';
import type { TransparencyStore } from '../modules/transparency/transparency-store';
import { UsageError } from './commands';

/** Differences printed per section; the count says how many more there are. */
const MAX_LINES = 50;

async function* upTo(entries: AsyncIterable<AuditEntry>, seq: number) {
  for await (const e of entries) {
    if (e.seq > seq) return;
    yield e;
  }
}

/**
 * `conclave transparency verify PERIOD [--version N]` checks a published snapshot three ways:
 * 1. the audit chain is intact up to the head the snapshot recorded;
 * 2. the report recomputed from the counted facts in the log, as they stood at that head, equals
 *    the published numbers (legal/counted-facts.ts, transparency/log-replay.ts);
 * 3. the stored requests of the period agree with the log's latest facts for them, so a request
 *    changed outside the audited paths (say, by SQL) is named field by field.
 * Exit code 1 when any of them fails. A request decided after publication through the legal
 * console changes neither 1, 2 nor 3: it is listed as a reason for an erratum, not as a fault.
 */
export async function transparencyVerifyCommand(
  store: TransparencyStore,
  audit: AuditRepo,
  periodId: string | undefined,
  versionArg: string | undefined,
): Promise<{ code: number; out: string }> {
  if (!periodId) throw new UsageError('a PERIOD is required, e.g. 2026-H1');
  let period;
  try {
    period = parsePeriod(periodId);
  } catch {
    throw new UsageError('the period must look like 2026-H1 or 2026-H2');
  }
  const version = versionArg === undefined ? undefined : Number(versionArg);
  if (version !== undefined && !(Number.isInteger(version) && version >= 1))
    throw new UsageError('--version must be a positive integer');
  const versions = await store.listVersions(period.id);
  const snap = version ? versions.find((v) => v.version === version) : versions.at(-1);
  if (!snap)
    throw new UsageError(
      `${period.id}${version ? ` version ${version}` : ''} has not been published`,
    );
  const bandWidth = snap.data.nationalSecurity.bandWidth;
  const computedAt = new Date(snap.data.computedAt);

  const lines = [
    `${snap.period} version ${snap.version}, published ${snap.publishedAt}, audit head #${snap.auditSeq} ${snap.auditHead}`,
  ];
  let failed = false;

  // 1. The chain up to the recorded head.
  const chain = await verifyChain(upTo(audit.entries(), snap.auditSeq), {
    seq: snap.auditSeq,
    hash: snap.auditHead,
  });
  if (chain.ok) lines.push(`Audit chain OK up to #${snap.auditSeq} (${chain.entries} entries).`);
  else {
    failed = true;
    lines.push(
      `Audit chain BROKEN at entry ${chain.firstBrokenSeq}: ${chain.problem} (${chain.entries} entries read).`,
    );
  }

  // 2. The published numbers from the log as it stood at the head.
  const replay = await replayCountedFacts(audit.entries(), snap.auditSeq, (f) =>
    inPeriod(period, new Date(f.receivedAt)),
  );
  for (const u of replay.unreadable.slice(0, MAX_LINES)) {
    failed = true;
    lines.push(`Audit entry #${u.seq} carries unreadable counted facts: ${u.problem}.`);
  }
  const fromLog = factsInPeriod(replay.atHead.values(), period);
  const logDiffs = diffReports(
    snap.data,
    computeReport(fromLog.map(toReportInput), period, bandWidth, computedAt),
  );
  if (logDiffs.length === 0)
    lines.push(
      `Report from the audit log up to #${snap.auditSeq}: no differences (${fromLog.length} requests recounted).`,
    );
  else {
    failed = true;
    lines.push(
      `Report from the audit log up to #${snap.auditSeq}: ${logDiffs.length} difference(s) (${fromLog.length} requests recounted):`,
    );
    pushReportDiffs(lines, logDiffs);
  }

  // 3. The stored requests against the log's latest facts.
  const stored = await store.countedFactsBetween(period.start, period.end);
  const latest = factsInPeriod(replay.latest.values(), period);
  const factDiffs = compareStoredWithLog(stored, latest);
  if (factDiffs.length === 0)
    lines.push(
      `Stored requests agree with the audit log (${stored.length} requests of ${period.id}).`,
    );
  else {
    failed = true;
    lines.push(
      `Stored requests DIFFER from the audit log: ${factDiffs.length} difference(s) (changed outside the audited paths):`,
    );
    lines.push('  request  field  log  stored');
    for (const d of factDiffs.slice(0, MAX_LINES))
      lines.push(
        `  ${d.requestId}  ${d.field}  ${JSON.stringify(d.log)}  ${JSON.stringify(d.stored)}`,
      );
    if (factDiffs.length > MAX_LINES) lines.push(`  … and ${factDiffs.length - MAX_LINES} more`);
    // What the out-of-band changes do to the numbers: stored requests vs the log's latest.
    const effect = diffReports(
      computeReport(latest.map(toReportInput), period, bandWidth, computedAt),
      computeReport(stored.map(toReportInput), period, bandWidth, computedAt),
    );
    lines.push(`Effect on the report: ${effect.length} difference(s):`);
    pushReportDiffs(lines, effect, 'log  stored');
  }

  const changed = changedSinceHead(replay, period);
  if (changed.length > 0)
    lines.push(
      `Since publication, ${changed.length} request(s) of ${period.id} changed through audited actions (${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''}): the published numbers stand; an erratum would include them.`,
    );
  return { code: failed ? 1 : 0, out: lines.join('\n') };
}

function pushReportDiffs(
  lines: string[],
  diffs: ReportDifference[],
  columns = 'published  recomputed',
) {
  lines.push(`  field  ${columns}`);
  for (const d of diffs.slice(0, MAX_LINES))
    lines.push(`  ${d.path}  ${JSON.stringify(d.published)}  ${JSON.stringify(d.recomputed)}`);
  if (diffs.length > MAX_LINES) lines.push(`  … and ${diffs.length - MAX_LINES} more`);
}
