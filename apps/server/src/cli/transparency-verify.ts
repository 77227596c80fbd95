import type { AuditEntry } from '../modules/legal/audit-chain';
import { verifyChain } from '../modules/legal/audit-chain';
import type { AuditRepo } from '../modules/legal/legal-store';
import { computeReport } from '../modules/transparency/counting';
import { parsePeriod } from '../modules/transparency/period';
import { diffReports } from '../modules/transparency/report-diff';
import type { TransparencyStore } from '../modules/transparency/transparency-store';
import { UsageError } from './commands';

async function* upTo(entries: AsyncIterable<AuditEntry>, seq: number) {
  for await (const e of entries) {
    if (e.seq > seq) return;
    yield e;
  }
}

/**
 * `conclave transparency verify PERIOD [--version N]`: recomputes a published snapshot from the
 * stored requests as they stand now and checks the audit chain up to the head the snapshot
 * recorded. Exit code 1 on any difference or a broken chain.
 *
 * The requests are read as they are now, not replayed from the log: an outcome decided after
 * publication (a request pending at the snapshot) shows as a difference, which is what an erratum
 * is for.
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

  const lines = [
    `${snap.period} version ${snap.version}, published ${snap.publishedAt}, audit head #${snap.auditSeq} ${snap.auditHead}`,
  ];
  let failed = false;

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

  const rows = await store.reportGroupsBetween(period.start, period.end);
  const recounted = rows.reduce((sum, g) => sum + (g.count ?? 1), 0);
  const recomputed = computeReport(
    rows,
    period,
    snap.data.nationalSecurity.bandWidth,
    new Date(snap.data.computedAt),
  );
  const diffs = diffReports(snap.data, recomputed);
  if (diffs.length === 0) lines.push(`Report: no differences (${recounted} requests recounted).`);
  else {
    failed = true;
    lines.push(`Report: ${diffs.length} difference(s) (${recounted} requests recounted):`);
    lines.push('  field  published  recomputed');
    for (const d of diffs)
      lines.push(`  ${d.path}  ${JSON.stringify(d.published)}  ${JSON.stringify(d.recomputed)}`);
  }
  return { code: failed ? 1 : 0, out: lines.join('\n') };
}
