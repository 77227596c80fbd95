import { verifyChain } from '../modules/legal/audit-chain';
import type { AuditRepo } from '../modules/legal/legal-store';

/**
 * `conclave audit verify`: recomputes the trust center's hash chain from the stored entries and
 * names the first entry that does not follow. Exit code 1 when the chain is broken.
 */
export async function auditVerifyCommand(audit: AuditRepo): Promise<{ code: number; out: string }> {
  const result = await verifyChain(audit.entries(), await audit.head());
  if (result.ok)
    return {
      code: 0,
      out: `Audit chain OK: ${result.entries} entries, head ${result.head}.`,
    };
  return {
    code: 1,
    out: `Audit chain BROKEN at entry ${result.firstBrokenSeq}: ${result.problem} (${result.entries} entries read).`,
  };
}
