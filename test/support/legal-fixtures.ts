import { randomUUID } from 'node:crypto';
import type { AccountRole } from '@conclave/protocol';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import type { UserRecord } from '../../apps/server/src/modules/accounts/user-store';
import { hashPassword } from '../../apps/server/src/modules/accounts/secrets';
import { newTotpSecret } from '../../apps/server/src/modules/accounts/totp';
import type { Clock } from '../../apps/server/src/modules/legal/deadlines';
import type { LegalStore } from '../../apps/server/src/modules/legal/legal-store';
import { ApiClient } from './api-client';
import { startTestServer } from './test-server';
import { enrolledTotp, nextTotpCode } from './totp-codes';
import type { TestServer } from './test-server';

export const REQUESTER_PASSWORD = 'requester password 1';
/** The password of the operator's staff created by `createOperator`. */
export const STAFF_PASSWORD = 'correct horse battery';

/**
 * A server for the trust center stories: sign-in limits out of the way, requesters from
 * `example.gov`, documents up to 1 MiB.
 */
export function startLegalServer(
  legal: { schedulerIntervalSeconds?: number } = {},
  opts: { clock?: Clock } = {},
): Promise<TestServer> {
  return startTestServer(
    {
      auth: {
        sessionTtlHours: 1,
        maxFailedLogins: 50,
        lockoutMinutes: 1,
        loginAttemptsPerMinute: 5000,
      },
      legal: { allowedEmailDomains: ['example.gov'], maxDocumentMegabytes: 1, ...legal },
    },
    opts,
  );
}

/**
 * The operator's account, created first (the oldest account staffs the legal console), with a
 * `legal_reviewer`, reviewer@operator.test, whose password is `STAFF_PASSWORD`.
 */
export async function createOperator(server: TestServer): Promise<{ accountId: string }> {
  const op = await createAccountWithOwner(server.stores, {
    name: 'Operator',
    ownerEmail: 'owner@operator.test',
    ownerName: 'Op',
    ownerPassword: STAFF_PASSWORD,
  });
  await createUser(
    server.stores,
    op.accountId,
    'legal_reviewer',
    'reviewer@operator.test',
    STAFF_PASSWORD,
  );
  return { accountId: op.accountId };
}

/** A verified requester of the agency that owns `domain`, signed in to the portal. */
export async function signedInRequester(
  server: TestServer,
  domain: string,
  email: string,
): Promise<ApiClient> {
  const agency = await server.stores.legal.requesters.findAgencyByDomain(domain);
  if (!agency) throw new Error(`no agency owns ${domain}`);
  const { totpSecret } = await createVerifiedRequester(server.stores.legal, agency.id, email);
  return requesterClient(server.url, email, totpSecret);
}

/** An agency for `domain` (as a legal admin would register it). */
export async function createAgency(
  store: LegalStore,
  domain: string,
  over: { country?: string; subdivision?: string | null; name?: string } = {},
): Promise<string> {
  const id = randomUUID();
  await store.requesters.insertAgency({
    id,
    name: over.name ?? `Agency ${domain}`,
    country: over.country ?? 'US',
    subdivision: over.subdivision ?? null,
    level: 'federal',
    emailDomains: [domain],
    createdAt: new Date('2026-01-01T00:00:00Z'),
  });
  return id;
}

/** A requester who has verified the email, enrolled TOTP and accepted the attestation. */
export async function createVerifiedRequester(
  store: LegalStore,
  agencyId: string,
  email: string,
): Promise<{ id: string; totpSecret: string }> {
  const id = randomUUID();
  const totpSecret = newTotpSecret();
  const now = new Date('2026-01-01T00:00:00Z');
  await store.requesters.insertRequester({
    id,
    agencyId,
    email,
    fullName: 'Det. Jane Roe',
    badgeNumber: 'B-1234',
    phone: '+1 555 0100',
    mailingAddress: '1 Justice Plaza, Springfield',
    passwordHash: await hashPassword(REQUESTER_PASSWORD),
    emailVerifiedAt: now,
    totpSecret,
    totpPendingSecret: null,
    totpLastStep: 0,
    attestationVersion: 1,
    attestationAcceptedAt: now,
    status: 'active',
    createdAt: now,
  });
  return { id, totpSecret };
}

/** Signs a requester in through the portal (the server's clock must be the real one). */
export async function requesterClient(
  baseUrl: string,
  email: string,
  totpSecret: string,
): Promise<ApiClient> {
  const c = new ApiClient(baseUrl);
  await c.get('/api/auth/csrf');
  const res = await c.post('/api/legal/portal/login', {
    email,
    password: REQUESTER_PASSWORD,
    totpCode: await nextTotpCode(totpSecret),
  });
  if (res.status !== 200) throw new Error(`requester sign-in failed: ${JSON.stringify(res.body)}`);
  return c;
}

export function validSubmission(over: Record<string, unknown> = {}) {
  return {
    idempotencyKey: randomUUID(),
    type: 'search_warrant',
    country: 'US',
    subdivision: 'CA',
    legalBasis: '18 U.S.C. § 2703(a)',
    issuingAuthority: 'Superior Court of California, County of San Mateo',
    externalRef: 'SW-2026-001',
    description: 'Investigation of wire fraud.',
    targets: [{ type: 'email', value: 'suspect@example.org' }],
    dataCategories: ['basic_subscriber_info', 'non_content_records'],
    rangeFrom: '2026-01-01T00:00:00.000Z',
    rangeTo: '2026-03-01T00:00:00.000Z',
    deadline: '2026-12-31T00:00:00.000Z',
    ndo: null,
    ...over,
  };
}

/**
 * A user of an account with a role, active, with a password (as an accepted invite leaves it).
 * Legal staff also have two-factor sign-in (the legal console requires it): ApiClient.signIn
 * adds their codes, `totpSecretOf` gives the secret to browser tests.
 */
export async function createUser(
  stores: { users: { insertUser(u: UserRecord): Promise<boolean> } },
  accountId: string,
  role: AccountRole,
  email: string,
  password: string,
): Promise<string> {
  const id = randomUUID();
  const totpSecret = role === 'legal_reviewer' || role === 'legal_admin' ? newTotpSecret() : null;
  if (totpSecret) enrolledTotp.set(email.toLowerCase(), totpSecret);
  await stores.users.insertUser({
    id,
    accountId,
    email,
    name: email.split('@')[0]!,
    role,
    status: 'active',
    passwordHash: await hashPassword(password),
    totpSecret,
    totpPendingSecret: null,
    totpLastStep: 0,
    failedLogins: 0,
    lockedUntil: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
  });
  return id;
}

/** Uploads one file as multipart/form-data the way a browser form does. */
export async function uploadFile(
  client: ApiClient,
  baseUrl: string,
  path: string,
  bytes: Uint8Array,
  filename: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), filename);
  const headers: Record<string, string> = {
    cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    'x-csrf-token': client.csrfFor(path) ?? '',
  };
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: form });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export function fakePdf(size = 2000): Uint8Array {
  const b = Buffer.alloc(size, 0x20);
  b.write('%PDF-1.7\n', 0, 'latin1');
  return new Uint8Array(b);
}
