import { randomUUID } from 'node:crypto';
import { audit } from '../../apps/server/src/modules/legal/actor';
import { COUNTED_KEY, countedFacts } from '../../apps/server/src/modules/legal/counted-facts';
import type { LegalStore } from '../../apps/server/src/modules/legal/legal-store';
import type { ReportInput } from '../../apps/server/src/modules/transparency/counting';
import { requestRecord } from '../../apps/server/src/storage/legal-store-contract';
import { createAgency, createVerifiedRequester } from './legal-fixtures';

/** Stores one full request per report input (as intake and review would have left them, audited). */
export async function seedRequests(store: LegalStore, inputs: ReportInput[]): Promise<string[]> {
  const domain = `${randomUUID().slice(0, 8)}.example.gov`;
  const agencyId = await createAgency(store, domain);
  const { id } = await createVerifiedRequester(store, agencyId, `seed@${domain}`);
  const ids: string[] = [];
  for (const input of inputs) {
    const r = requestRecord(id, agencyId, {
      ...input,
      isPreservation: input.type === 'preservation',
      ndoEndAt: input.hasNdo ? new Date('2027-01-01T00:00:00.000Z') : null,
      ndoCitation: input.hasNdo ? '18 U.S.C. § 2705(b)' : null,
    });
    // As intake stores them: the request and its audit entry with what reports count.
    await store.transaction(async (tx) => {
      await tx.requests.insertRequest(r);
      await audit(
        tx,
        r.receivedAt,
        { kind: 'requester', id },
        'request.submitted',
        'request',
        r.id,
        r.id,
        {
          [COUNTED_KEY]: countedFacts(r),
        },
      );
    });
    ids.push(r.id);
  }
  return ids;
}
