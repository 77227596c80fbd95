import { randomUUID } from 'node:crypto';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { requestRecord } from '../../apps/server/src/storage/legal-store-contract';
import type { sqlStores } from '../../apps/server/src/storage/sql-stores';
import { createAgency, createUser, createVerifiedRequester } from './legal-fixtures';

/** What `arrangeNdoSuppressedNotices` made. */
export interface NdoSuppressedNotices {
  requestId: string;
  userIds: string[];
  emails: string[];
}

/**
 * `users` members of a new account, one decided disclosure request naming them all under a
 * nondisclosure order that ends at `ndoEnd`, and one notice per user held back by that order
 * (what the notice scheduler sends once the order ends).
 */
export async function arrangeNdoSuppressedNotices(
  s: ReturnType<typeof sqlStores>,
  users: number,
  ndoEnd: Date,
): Promise<NdoSuppressedNotices> {
  const { accountId } = await createAccountWithOwner(s, {
    name: 'Customer',
    ownerEmail: `owner-${randomUUID()}@c.test`,
    ownerName: 'O',
    ownerPassword: 'correct horse battery',
  });
  const emails: string[] = [];
  const userIds: string[] = [];
  for (let i = 0; i < users; i++) {
    const email = `u${i}-${randomUUID()}@c.test`;
    emails.push(email);
    userIds.push(await createUser(s, accountId, 'member', email, 'x'.repeat(12)));
  }
  const agencyId = await createAgency(s.legal, `${randomUUID().slice(0, 8)}.example.gov`);
  const requester = await createVerifiedRequester(
    s.legal,
    agencyId,
    `r-${randomUUID()}@x.example.gov`,
  );
  const r = requestRecord(requester.id, agencyId, {
    ndoEndAt: ndoEnd,
    ndoValid: true,
    status: 'decided',
    outcome: 'non_content_disclosed',
    targets: userIds.map((value, position) => ({
      id: randomUUID(),
      position,
      type: 'user_id',
      value,
    })),
  });
  await s.legal.requests.insertRequest(r);
  for (const u of userIds)
    await s.legal.notices.insertNotice({
      id: randomUUID(),
      requestId: r.id,
      recipientUserId: u,
      recipientKind: 'account_holder',
      subjectUserId: u,
      state: 'suppressed',
      suppressionReason: 'ndo',
      suppressionNotes: 'order',
      suppressedBy: 'reviewer',
      body: 'notice',
      createdAt: new Date(),
      claimedBy: null,
      sentAt: null,
    });
  return { requestId: r.id, userIds, emails };
}
