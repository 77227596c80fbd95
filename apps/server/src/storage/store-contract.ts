import { randomUUID } from 'node:crypto';
import type { MeetingId } from '@conclave/protocol';
import type { Kysely } from 'kysely';
import { beforeAll, afterAll, expect, it } from 'vitest';
import type { UserRecord } from '../modules/accounts/user-store';
import type { MeetingRecord } from '../modules/meetings/meeting-store';
import type { Database } from './schema';
import { sqlStores } from './sql-stores';
import { testCipher } from './test-cipher';
import type { SqlStores } from './sql-stores';
import { legalStoreContract } from './legal-store-contract';
import { mailQueueContract } from './mail-queue-contract';
import { recordingStoreContract } from './recording-store-contract';
import { secretColumnsContract } from './secret-columns-contract';
import { transparencyStoreContract } from './transparency-store-contract';

export interface ContractTarget {
  open(): Promise<Kysely<Database>>;
  close(db: Kysely<Database>): Promise<void>;
}

const at = (s: string) => new Date(`2026-01-0${s}T10:00:00.000Z`);

/** One suite every storage adapter passes (CONVENTIONS.md rule 8); called once per dialect. */
export function storeContract(target: ContractTarget): void {
  let db: Kysely<Database>;
  let s: SqlStores;
  const cipher = testCipher();
  beforeAll(async () => {
    db = await target.open();
    s = sqlStores(db, cipher);
  });
  afterAll(async () => {
    if (db) await target.close(db);
  });
  legalStoreContract(() => ({ store: s.legal, db }));
  transparencyStoreContract(() => ({ store: s.transparency, legal: s.legal }));
  secretColumnsContract(() => ({ stores: s, db, cipher }));
  mailQueueContract(() => ({ db }));
  recordingStoreContract(() => ({ store: s.recordings }));

  const account = async (plan: 'basic' | 'business' = 'basic') => {
    const id = randomUUID();
    await s.accounts.insertAccount({
      id,
      name: `Acme ${id.slice(0, 4)}`,
      plan,
      meetingSettings: {
        allowE2ee: false,
        unsupportedClientPolicy: 'downgrade',
        waitingRoomByDefault: false,
        passcodeRequired: false,
      },
      requireTwoFactor: false,
      location: { country: null, subdivision: null },
      createdAt: at('1'),
    });
    return id;
  };
  const user = (accountId: string, over: Partial<UserRecord> = {}): UserRecord => ({
    id: randomUUID(),
    accountId,
    email: `${randomUUID()}@example.org`,
    name: 'Ada Lovelace',
    role: 'member',
    status: 'active',
    passwordHash: '$argon2id$fake',
    totpSecret: null,
    totpPendingSecret: null,
    totpLastStep: 0,
    failedLogins: 0,
    lockedUntil: null,
    createdAt: at('2'),
    ...over,
  });
  const meeting = (over: Partial<MeetingRecord> = {}): MeetingRecord => ({
    id: String(10_000_000_000 + Math.floor(Math.random() * 89_999_999_999)) as MeetingId,
    passcodeHash: null,
    hostKeyHash: 'h',
    createdAt: at('3'),
    endedAt: null,
    settings: { e2eeAllowed: true, unsupportedClientPolicy: 'hold' },
    accountId: null,
    ownerUserId: null,
    title: null,
    startsAt: null,
    ...over,
  });

  it('stores and reads an account, and updates plan and settings', async () => {
    const id = await account();
    await s.accounts.updateAccount(id, {
      plan: 'business',
      requireTwoFactor: true,
      meetingSettings: {
        allowE2ee: true,
        unsupportedClientPolicy: 'refuse',
        waitingRoomByDefault: true,
        passcodeRequired: true,
      },
    });
    const a = await s.accounts.findAccount(id);
    expect(a).toMatchObject({
      plan: 'business',
      requireTwoFactor: true,
      meetingSettings: {
        allowE2ee: true,
        unsupportedClientPolicy: 'refuse',
        passcodeRequired: true,
      },
    });
    expect(a?.createdAt.toISOString()).toBe(at('1').toISOString());
    expect(a?.location).toEqual({ country: null, subdivision: null });
    await s.accounts.updateAccount(id, { location: { country: 'US', subdivision: 'CA' } });
    expect((await s.accounts.findAccount(id))?.location).toEqual({
      country: 'US',
      subdivision: 'CA',
    });
    await s.accounts.updateAccount(id, { location: { country: 'DE', subdivision: null } });
    expect((await s.accounts.findAccount(id))?.location).toEqual({
      country: 'DE',
      subdivision: null,
    });
    expect(await s.accounts.findAccount(randomUUID())).toBeUndefined();
  });

  it('keeps email addresses unique across accounts', async () => {
    const a = await account();
    const b = await account();
    const u = user(a);
    expect(await s.users.insertUser(u)).toBe(true);
    expect(await s.users.insertUser(user(b, { email: u.email }))).toBe(false);
    expect((await s.users.findUserByEmail(u.email.toUpperCase()))?.id).toBe(u.id);
  });

  it('updates users, counts active owners and round-trips lockout times', async () => {
    const a = await account();
    const owner = user(a, { role: 'owner' });
    await s.users.insertUser(owner);
    await s.users.insertUser(user(a, { role: 'owner', status: 'deactivated' }));
    expect(await s.users.countActiveOwners(a)).toBe(1);
    const until = new Date('2030-05-05T05:05:05.000Z');
    await s.users.updateUser(owner.id, { failedLogins: 3, lockedUntil: until, totpSecret: 'S' });
    const got = await s.users.findUserById(owner.id);
    expect(got).toMatchObject({ failedLogins: 3, totpSecret: 'S', role: 'owner' });
    expect(got?.lockedUntil?.toISOString()).toBe(until.toISOString());
    await s.users.updateUser(owner.id, { lockedUntil: null });
    expect((await s.users.findUserById(owner.id))?.lockedUntil).toBeNull();
  });

  it('searches users of one account as plain text, wildcards and quotes included', async () => {
    const a = await account();
    const other = await account();
    await s.users.insertUser(user(a, { email: `grace.${randomUUID()}@navy.mil`, name: 'Grace' }));
    await s.users.insertUser(user(a, { name: "O'Brien 100%_sure" }));
    await s.users.insertUser(user(other, { name: 'Grace Elsewhere' }));
    expect((await s.users.listUsers(a, { q: 'grace', limit: 10, offset: 0 })).total).toBe(1);
    expect((await s.users.listUsers(a, { q: '%', limit: 10, offset: 0 })).total).toBe(1);
    expect((await s.users.listUsers(a, { q: '_', limit: 10, offset: 0 })).total).toBe(1);
    expect((await s.users.listUsers(a, { q: "o'brien", limit: 10, offset: 0 })).total).toBe(1);
    expect((await s.users.listUsers(a, { q: "' or 1=1 --", limit: 10, offset: 0 })).total).toBe(0);
    const page = await s.users.listUsers(a, { limit: 1, offset: 1 });
    expect(page.total).toBe(2);
    expect(page.users).toHaveLength(1);
  });

  it('uses each recovery code once', async () => {
    const a = await account();
    const u = user(a);
    await s.users.insertUser(u);
    await s.users.replaceRecoveryCodes(u.id, [`c1-${u.id}`, `c2-${u.id}`]);
    expect(await s.users.useRecoveryCode(u.id, `c1-${u.id}`, at('4'))).toBe(true);
    expect(await s.users.useRecoveryCode(u.id, `c1-${u.id}`, at('4'))).toBe(false);
    expect(await s.users.countUnusedRecoveryCodes(u.id)).toBe(1);
    await s.users.replaceRecoveryCodes(u.id, [`c3-${u.id}`]);
    expect(await s.users.useRecoveryCode(u.id, `c2-${u.id}`, at('4'))).toBe(false);
  });

  it('finds, deletes and mass-deletes sessions', async () => {
    const a = await account();
    const u = user(a);
    await s.users.insertUser(u);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids)
      await s.sessions.insertSession({ id, userId: u.id, createdAt: at('1'), expiresAt: at('9') });
    expect(await s.sessions.findSession(ids[0]!)).toMatchObject({ userId: u.id });
    await s.sessions.deleteSession(ids[0]!);
    expect(await s.sessions.findSession(ids[0]!)).toBeUndefined();
    expect(await s.sessions.deleteUserSessions(u.id, ids[2])).toBe(1);
    expect(await s.sessions.findSession(ids[2]!)).toMatchObject({ userId: u.id });
    expect(await s.sessions.deleteUserSessions(u.id)).toBe(1);
    expect(await s.sessions.findSession(ids[1]!)).toBeUndefined();
  });

  it('accepts each TOTP step once and only newer ones after it', async () => {
    const a = await account();
    const u = user(a);
    await s.users.insertUser(u);
    expect(await s.users.useTotpStep(u.id, 1000)).toBe(true);
    expect(await s.users.useTotpStep(u.id, 1000)).toBe(false);
    expect(await s.users.useTotpStep(u.id, 999)).toBe(false);
    expect(await s.users.useTotpStep(u.id, 1001)).toBe(true);
    expect((await s.users.findUserById(u.id))?.totpLastStep).toBe(1001);
  });

  it('consumes a one-time token once, only for its purpose and before it expires', async () => {
    const a = await account();
    const u = user(a);
    await s.users.insertUser(u);
    const t = { userId: u.id, createdAt: at('1'), expiresAt: at('5') };
    await s.tokens.insertToken({ id: `r-${u.id}`, purpose: 'reset', ...t });
    await s.tokens.insertToken({ id: `old-${u.id}`, purpose: 'reset', ...t });
    await s.tokens.insertToken({ id: `i-${u.id}`, purpose: 'invite', ...t });
    expect(await s.tokens.consumeToken(`r-${u.id}`, 'invite', at('2'))).toBeUndefined();
    expect(await s.tokens.consumeToken(`i-${u.id}`, 'invite', at('6'))).toBeUndefined();
    expect(await s.tokens.consumeToken(`r-${u.id}`, 'reset', at('2'))).toBe(u.id);
    expect(await s.tokens.consumeToken(`r-${u.id}`, 'reset', at('2'))).toBeUndefined();
    await s.tokens.voidTokens(u.id, 'reset', at('2'));
    expect(await s.tokens.consumeToken(`old-${u.id}`, 'reset', at('2'))).toBeUndefined();
  });

  it('appends admin audit rows with per-account sequence numbers and pages them', async () => {
    const a = await account();
    const b = await account();
    for (let i = 0; i < 3; i++)
      await s.audit.append({
        accountId: a,
        actorUserId: null,
        action: `act${i}`,
        target: null,
        detail: { i },
        at: at('1'),
      });
    expect(
      await s.audit.append({
        accountId: b,
        actorUserId: 'x',
        action: 'b',
        target: 't',
        detail: {},
        at: at('1'),
      }),
    ).toBe(1);
    const page = await s.audit.list(a, 2);
    expect(page.map((e) => e.action)).toEqual(['act2', 'act1']);
    expect((await s.audit.list(a, 10, page[1]!.seq)).map((e) => e.detail)).toEqual([{ i: 0 }]);
  });

  it('gives concurrent audit appends distinct, gap-free sequence numbers', async () => {
    const a = await account();
    const seqs = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        s.audit.append({
          accountId: a,
          actorUserId: null,
          action: `c${i}`,
          target: null,
          detail: {},
          at: at('1'),
        }),
      ),
    );
    expect([...seqs].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('keeps outbox mail per account', async () => {
    const a = await account();
    const msg = { to: 'x@example.org', subject: 'Hi', body: 'Body', createdAt: at('1') };
    await s.outbox.insertMessage({ id: randomUUID(), accountId: a, ...msg });
    await s.outbox.insertMessage({ id: randomUUID(), accountId: null, ...msg });
    expect(await s.outbox.listMessages(a, 10)).toEqual([
      expect.objectContaining({ accountId: a, to: 'x@example.org', subject: 'Hi' }),
    ]);
  });

  it('stores meetings with owners, lists them per user and keeps co-hosts', async () => {
    const a = await account();
    const owner = user(a);
    const cohost = user(a);
    await s.users.insertUser(owner);
    await s.users.insertUser(cohost);
    const guest = meeting();
    expect(await s.meetings.insert(guest)).toBe(true);
    expect(await s.meetings.insert(guest)).toBe(false);
    expect(await s.meetings.findById(guest.id)).toMatchObject({
      accountId: null,
      settings: { e2eeAllowed: true, unsupportedClientPolicy: 'hold' },
    });
    const m1 = meeting({
      accountId: a,
      ownerUserId: owner.id,
      title: 'Standup',
      startsAt: at('7'),
    });
    const m2 = meeting({ accountId: a, ownerUserId: owner.id });
    await s.meetings.insert(m1);
    await s.meetings.insert(m2);
    await s.meetings.markEnded(m2.id, at('8'));
    await s.meetings.setCohosts(m1.id, [cohost.id, cohost.id]);
    expect(await s.meetings.cohosts(m1.id)).toEqual([cohost.id]);
    const q = { now: at('5'), limit: 10 };
    expect(
      (await s.meetings.listForUser(owner.id, { ...q, when: 'upcoming' })).map((m) => m.id),
    ).toEqual([m1.id]);
    expect(
      (await s.meetings.listForUser(owner.id, { ...q, when: 'past' })).map((m) => m.id),
    ).toEqual([m2.id]);
    expect((await s.meetings.listForUser(cohost.id, { ...q, when: 'upcoming' }))[0]).toMatchObject({
      title: 'Standup',
    });
    expect(await s.meetings.openMeetingIdsOfAccount(a)).toEqual([m1.id]);
    expect((await s.meetings.findById(m1.id))?.startsAt?.toISOString()).toBe(at('7').toISOString());
  });
}
