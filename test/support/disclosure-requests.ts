import { randomUUID } from 'node:crypto';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { requestRecord } from '../../apps/server/src/storage/legal-store-contract';
import type { sqlStores } from '../../apps/server/src/storage/sql-stores';
import { createAgency, createUser, createVerifiedRequester } from './legal-fixtures';

/** What `arrangeDisclosureRequest` made. */
export interface DisclosureRequest {
  requestId: string;
  ownerEmail: string;
  userIds: string[];
  emails: string[];
}

/**
 * `users` members of a new account and one decided disclosure request naming them all (from a
 * verified requester of a new agency); `request` adds to or overrides the request's fields.
 */
export async function arrangeDisclosureRequest(
  s: ReturnType<typeof sqlStores>,
  users: number,
  request: Parameters<typeof requestRecord>[2] = {},
): Promise<DisclosureRequest> {
  const ownerEmail = `owner-${randomUUID()}@c.test`;
  const { accountId } = await createAccountWithOwner(s, {
    name: 'Customer',
    ownerEmail,
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
    status: 'decided',
    outcome: 'non_content_disclosed',
    targets: userIds.map((value, position) => ({
      id: randomUUID(),
      position,
      type: 'user_id',
      value,
    })),
    ...request,
  });
  await s.legal.requests.insertRequest(r);
  return { requestId: r.id, ownerEmail, userIds, emails };
}

/**
 * `arrangeDisclosureRequest` under a nondisclosure order that ends at `ndoEnd`, with one notice
 * per user held back by that order (what the notice scheduler sends once the order ends).
 */
export async function arrangeNdoSuppressedNotices(
  s: ReturnType<typeof sqlStores>,
  users: number,
  ndoEnd: Date,
): Promise<DisclosureRequest> {
  const arranged = await arrangeDisclosureRequest(s, users, { ndoEndAt: ndoEnd, ndoValid: true });
  for (const u of arranged.userIds)
    await s.legal.notices.insertNotice({
      id: randomUUID(),
      requestId: arranged.requestId,
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
  return arranged;
}
