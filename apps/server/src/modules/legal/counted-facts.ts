import { ConclaveError, OUTCOMES, REQUEST_STATUSES, requestTypeSchema } from '@conclave/protocol';
import { z } from 'zod';
import type { LegalRequestRecord, LegalStore } from './legal-store';

// What a transparency report counts of one request, written into the audit log with every change
// of those fields (issue 8: `conclave transparency verify` "recomputes the published numbers from
// the log"). Replaying the log up to a snapshot's recorded head gives each request's facts as they
// stood at publication; comparing the log's latest facts with the stored rows shows any change
// made outside the audited paths. Kinds, countries, flags, counts and states only: no targets,
// names or content (audit-chain.ts).

export const countedFactsSchema = z
  .object({
    id: z.string().min(1).max(64),
    receivedAt: z.iso.datetime(),
    type: requestTypeSchema,
    country: z.string().regex(/^[A-Z]{2}$/),
    originCountry: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .nullable(),
    emergency: z.boolean(),
    nationalSecurity: z.boolean(),
    accountsSpecified: z.number().int().min(0),
    ndo: z.boolean(),
    status: z.enum(REQUEST_STATUSES),
    outcome: z.enum(OUTCOMES).nullable(),
  })
  .strict();
export type CountedFacts = z.infer<typeof countedFactsSchema>;

/** The key under which an audit entry's detail carries facts (one object, or an array on import). */
export const COUNTED_KEY = 'counted';

export function countedFacts(r: LegalRequestRecord): CountedFacts {
  return {
    id: r.id,
    receivedAt: r.receivedAt.toISOString(),
    type: r.type,
    country: r.country,
    originCountry: r.originCountry,
    emergency: r.isEmergency,
    nationalSecurity: r.isNationalSecurity,
    accountsSpecified: r.accountsSpecified,
    ndo: r.hasNdo,
    status: r.status,
    outcome: r.outcome,
  };
}

/** The request's facts as they stand inside `tx`, after the change the caller just made. */
export async function countedFactsNow(tx: LegalStore, id: string): Promise<CountedFacts> {
  const r = await tx.requests.findRequest(id);
  if (!r) throw new ConclaveError('NOT_FOUND');
  return countedFacts(r);
}
