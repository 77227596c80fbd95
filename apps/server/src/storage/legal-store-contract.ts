import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { verifyChain } from '../modules/legal/audit-chain';
import type { LegalRequestRecord, LegalStore, RequesterRecord } from '../modules/legal/legal-store';
import type { Database } from './schema';

const T = new Date('2026-02-01T00:00:00.000Z');

/** A verified, active requester of `agencyId` with the given email (contract tests and fixtures). */
export function requesterRecord(
  agencyId: string,
  email: string,
  over: Partial<RequesterRecord> = {},
): RequesterRecord {
  return {
    id: randomUUID(),
    agencyId,
    email,
    fullName: 'Jane',
    badgeNumber: '1',
    phone: '1',
    mailingAddress: 'x',
    passwordHash: 'h',
    emailVerifiedAt: null,
    totpSecret: null,
    totpPendingSecret: null,
    totpLastStep: 0,
    attestationVersion: null,
    attestationAcceptedAt: null,
    status: 'active',
    createdAt: T,
    ...over,
  };
}

export function requestRecord(
  requesterId: string,
  agencyId: string,
  over: Partial<LegalRequestRecord> = {},
): LegalRequestRecord {
  return {
    id: randomUUID(),
    requesterId,
    agencyId,
    idempotencyKey: randomUUID(),
    receivedAt: T,
    type: 'subpoena',
    country: 'US',
    subdivision: 'CA',
    originCountry: null,
    legalBasis: '18 U.S.C. § 2703(c)(2)',
    issuingAuthority: 'Grand jury',
    externalRef: null,
    description: '',
    isEmergency: false,
    isPreservation: false,
    isNationalSecurity: false,
    wantsSubscriberInfo: true,
    wantsNonContent: false,
    wantsContent: false,
    accountsSpecified: 2,
    rangeFrom: new Date('2026-01-01T00:00:00.000Z'),
    rangeTo: new Date('2026-01-31T00:00:00.000Z'),
    deadlineAt: new Date('2026-03-01T00:00:00.000Z'),
    hasNdo: true,
    ndoEndAt: new Date('2026-06-01T00:00:00.000Z'),
    ndoCitation: '18 U.S.C. § 2705(b)',
    ndoValid: null,
    emergencyOverAt: null,
    status: 'received',
    outcome: null,
    closedAt: null,
    updatedAt: T,
    targets: [
      { id: randomUUID(), position: 0, type: 'email', value: 'a@example.org' },
      { id: randomUUID(), position: 1, type: 'meeting_id', value: '12345678901' },
    ],
    ...over,
  };
}

/** The trust center's part of the storage contract; `db` is the same database, for raw SQL. */
export function legalStoreContract(get: () => { store: LegalStore; db: Kysely<Database> }): void {
  const fixtures = async () => {
    const { store } = get();
    const agencyId = randomUUID();
    const domain = `${agencyId.slice(0, 8)}.example.gov`;
    expect(
      await store.requesters.insertAgency({
        id: agencyId,
        name: 'Police',
        country: 'US',
        subdivision: 'CA',
        level: 'state',
        emailDomains: [domain],
        createdAt: T,
      }),
    ).toBe(true);
    const requester = requesterRecord(agencyId, `jane@${domain}`);
    expect(await store.requesters.insertRequester(requester)).toBe(true);
    return { agencyId, domain, requester };
  };

  it('legal: agencies own their domains; a requester email is unique', async () => {
    const { store } = get();
    const { agencyId, domain, requester } = await fixtures();
    expect((await store.requesters.findAgencyByDomain(domain))?.id).toBe(agencyId);
    expect(
      await store.requesters.insertAgency({
        id: randomUUID(),
        name: 'Other',
        country: 'US',
        subdivision: null,
        level: 'federal',
        emailDomains: [domain],
        createdAt: T,
      }),
    ).toBe(false);
    expect(await store.requesters.insertRequester({ ...requester, id: randomUUID() })).toBe(false);
    expect(await store.requesters.useTotpStep(requester.id, 10)).toBe(true);
    expect(await store.requesters.useTotpStep(requester.id, 10)).toBe(false);
  });

  it('legal: a request round-trips with its targets, flags and NDO; the idempotency key is unique', async () => {
    const { store } = get();
    const { agencyId, requester } = await fixtures();
    const r = requestRecord(requester.id, agencyId);
    await store.transaction((tx) => tx.requests.insertRequest(r));
    expect(await store.requests.findRequest(r.id)).toEqual(r);
    expect((await store.requests.findByIdempotencyKey(requester.id, r.idempotencyKey))?.id).toBe(
      r.id,
    );
    await expect(
      store.requests.insertRequest({ ...r, id: randomUUID(), targets: [] }),
    ).rejects.toThrow();
    expect(await store.requests.updateRequest(r.id, { status: 'closed' }, ['in_review'])).toBe(
      false,
    );
    expect(await store.requests.updateRequest(r.id, { status: 'in_review' }, ['received'])).toBe(
      true,
    );
  });

  it('legal: a failed transaction leaves nothing behind (request, targets, audit)', async () => {
    const { store } = get();
    const { agencyId, requester } = await fixtures();
    const r = requestRecord(requester.id, agencyId);
    const before = await store.audit.head();
    await expect(
      store.transaction(async (tx) => {
        await tx.requests.insertRequest(r);
        await tx.audit.append({
          at: T,
          actorKind: 'requester',
          actorId: requester.id,
          action: 'request.submitted',
          entity: 'request',
          entityId: r.id,
          requestId: r.id,
          detail: {},
        });
        throw new Error('crash');
      }),
    ).rejects.toThrow('crash');
    expect(await store.requests.findRequest(r.id)).toBeUndefined();
    expect(await store.audit.head()).toEqual(before);
  });

  it('legal: documents keep their bytes and hash; notices are unique per recipient and claimed once', async () => {
    const { store } = get();
    const { agencyId, requester } = await fixtures();
    const r = requestRecord(requester.id, agencyId);
    await store.requests.insertRequest(r);
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0, 255, 7]);
    const doc = {
      id: randomUUID(),
      requestId: r.id,
      filename: 'order.pdf',
      sizeBytes: 8,
      sha256: 'ab',
      uploadedBy: requester.id,
      uploadedAt: T,
    };
    await store.requests.insertDocument(doc, bytes);
    const read = await store.requests.readDocument(r.id, doc.id);
    expect(read?.meta).toEqual(doc);
    expect([...read!.content]).toEqual([...bytes]);
    const notice = {
      id: randomUUID(),
      requestId: r.id,
      recipientUserId: randomUUID(),
      recipientKind: 'account_holder' as const,
      subjectUserId: randomUUID(),
      state: 'suppressed' as const,
      suppressionReason: 'ndo' as const,
      suppressionNotes: 'order',
      suppressedBy: 'u',
      body: 'b',
      createdAt: T,
      claimedBy: null,
      sentAt: null,
    };
    expect(await store.notices.insertNotice(notice)).toBe(true);
    expect(await store.notices.insertNotice({ ...notice, id: randomUUID() })).toBe(false);
    const claims = await Promise.all([
      store.notices.claimSend(notice.id, 'a', T),
      store.notices.claimSend(notice.id, 'b', T),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.notices.claimOnce(`k-${r.id}`, 'a', T)).toBe(true);
    expect(await store.notices.claimOnce(`k-${r.id}`, 'b', T)).toBe(false);
  });

  it('user notices: only the recipient marks one read, and the first time stays', async () => {
    const { store } = get();
    const userId = randomUUID();
    const notice = {
      id: randomUUID(),
      userId,
      kind: 'government_request',
      title: 't',
      body: 'b',
      createdAt: T,
      readAt: null,
    };
    await store.notices.insertUserNotice(notice);
    const later = new Date(T.getTime() + 60_000);
    expect(await store.notices.markUserNoticeRead(randomUUID(), notice.id, T)).toBeUndefined();
    expect(await store.notices.markUserNoticeRead(userId, randomUUID(), T)).toBeUndefined();
    expect((await store.notices.listUserNotices(userId))[0]!.readAt).toBeNull();
    expect(await store.notices.markUserNoticeRead(userId, notice.id, T)).toEqual(T);
    expect(await store.notices.markUserNoticeRead(userId, notice.id, later)).toEqual(T);
    expect((await store.notices.listUserNotices(userId))[0]!.readAt).toEqual(T);
  });

  it('legal audit: appends chain, verify passes, and a row tampered with raw SQL is reported at that entry', async () => {
    const { store, db } = get();
    const appended = [];
    for (let i = 0; i < 5; i++)
      appended.push(
        await store.transaction((tx) =>
          tx.audit.append({
            at: T,
            actorKind: 'user',
            actorId: 'u',
            action: 'request.viewed',
            entity: 'request',
            entityId: `r${i}`,
            requestId: null,
            detail: { i },
          }),
        ),
      );
    expect(await verifyChain(store.audit.entries(), await store.audit.head())).toMatchObject({
      ok: true,
    });
    const victim = appended[2]!.seq;
    await sql`update legal_audit set actor_id = 'mallory' where seq = ${victim}`.execute(db);
    expect(await verifyChain(store.audit.entries(), await store.audit.head())).toMatchObject({
      ok: false,
      firstBrokenSeq: victim,
    });
    // Put it back so later tests on this database see a sound chain.
    await sql`update legal_audit set actor_id = 'u' where seq = ${victim}`.execute(db);
    expect(await verifyChain(store.audit.entries(), await store.audit.head())).toMatchObject({
      ok: true,
    });
  });

  it('legal audit: concurrent appends never fork the chain', async () => {
    const { store } = get();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.transaction((tx) =>
          tx.audit.append({
            at: T,
            actorKind: 'system',
            actorId: 's',
            action: 'x',
            entity: 'request',
            entityId: `c${i}`,
            requestId: null,
            detail: {},
          }),
        ),
      ),
    );
    expect(await verifyChain(store.audit.entries(), await store.audit.head())).toMatchObject({
      ok: true,
    });
  });
}
