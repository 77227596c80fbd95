import { randomUUID } from 'node:crypto';
import type { LegalStore } from '../../apps/server/src/modules/legal/legal-store';
import type { ReportInput } from '../../apps/server/src/modules/transparency/counting';
import { requestRecord } from '../../apps/server/src/storage/legal-store-contract';
import { createAgency, createVerifiedRequester } from './legal-fixtures';

/** Stores one full request per report input (as intake and review would have left them). */
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
    await store.requests.insertRequest(r);
    ids.push(r.id);
  }
  return ids;
}
