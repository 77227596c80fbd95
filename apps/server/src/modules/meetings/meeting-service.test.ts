import type { MeetingId } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import { MeetingService } from './meeting-service';
import type { MeetingRecord, MeetingStore } from './meeting-store';

class MemoryStore implements MeetingStore {
  rows = new Map<string, MeetingRecord>();
  async insert(r: MeetingRecord) {
    if (this.rows.has(r.id)) return false;
    this.rows.set(r.id, r);
    return true;
  }
  async findById(id: MeetingId) {
    return this.rows.get(id);
  }
  async markEnded(id: MeetingId, at: Date) {
    const r = this.rows.get(id);
    if (r && !r.endedAt) r.endedAt = at;
  }
  async listForUser() {
    return [];
  }
  async openMeetingIdsOfAccount() {
    return [];
  }
  cohostRows = new Map<string, string[]>();
  async setCohosts(id: MeetingId, userIds: string[]) {
    this.cohostRows.set(id, userIds);
  }
  async cohosts(id: MeetingId) {
    return this.cohostRows.get(id) ?? [];
  }
}

describe('MeetingService', () => {
  it('stores no secret in the clear', async () => {
    const store = new MemoryStore();
    const created = await new MeetingService(store).create({ passcode: 'hunter2' });
    const row = store.rows.get(created.meetingId)!;
    expect(JSON.stringify(row)).not.toContain('hunter2');
    expect(JSON.stringify(row)).not.toContain(created.hostKey);
  });

  it('admits with the right passcode, makes the host-key holder host, refuses the rest', async () => {
    const svc = new MeetingService(new MemoryStore());
    const { meetingId, hostKey } = await svc.create({ passcode: 'abc123' });
    await expect(svc.admit(meetingId)).rejects.toMatchObject({ code: 'PASSCODE_REQUIRED' });
    await expect(svc.admit(meetingId, 'abc124')).rejects.toMatchObject({ code: 'PASSCODE_WRONG' });
    await expect(svc.admit(meetingId, 'abc123')).resolves.toMatchObject({ role: 'participant' });
    await expect(svc.admit(meetingId, undefined, hostKey)).resolves.toMatchObject({ role: 'host' });
    await expect(svc.admit(meetingId, 'abc123', `${hostKey}x`)).resolves.toMatchObject({
      role: 'participant',
    });
  });

  it('an ended meeting refuses everyone, the host too', async () => {
    const svc = new MeetingService(new MemoryStore());
    const { meetingId, hostKey } = await svc.create({});
    await svc.end(meetingId);
    await expect(svc.admit(meetingId, undefined, hostKey)).rejects.toMatchObject({
      code: 'MEETING_ENDED',
    });
    await expect(svc.info(meetingId)).resolves.toMatchObject({ status: 'ended' });
  });

  it('draws another id when one is taken', async () => {
    const store = new MemoryStore();
    let calls = 0;
    const original = store.insert.bind(store);
    store.insert = async (r) => (++calls === 1 ? false : original(r));
    const { meetingId } = await new MeetingService(store).create({});
    expect(calls).toBe(2);
    expect(store.rows.has(meetingId)).toBe(true);
  });

  it('an account meeting makes its owner and co-hosts host by session, and follows the account live', async () => {
    const store = new MemoryStore();
    let policy = {
      planIncludesE2ee: false,
      allowE2ee: false,
      unsupportedClientPolicy: 'downgrade' as const,
      passcodeRequired: false,
      waitingRoomByDefault: false,
      maxParticipants: 100,
    };
    const svc = new MeetingService(store, () => new Date(), {
      policyFor: async (accountId) => (accountId === 'acc' ? policy : undefined),
    });
    const { meetingId } = await svc.createOwned({
      accountId: 'acc',
      ownerUserId: 'owner',
      passcode: 'abc123',
    });
    await store.setCohosts(meetingId, ['co']);
    await expect(svc.admit(meetingId, undefined, undefined, 'owner')).resolves.toMatchObject({
      role: 'host',
      settings: { e2eeAllowed: false, planIncludesE2ee: false },
    });
    await expect(svc.admit(meetingId, undefined, undefined, 'co')).resolves.toMatchObject({
      role: 'host',
    });
    await expect(svc.admit(meetingId, undefined, undefined, 'stranger')).rejects.toMatchObject({
      code: 'PASSCODE_REQUIRED',
    });
    policy = { ...policy, planIncludesE2ee: true, allowE2ee: true, waitingRoomByDefault: true };
    await expect(svc.currentSettings(meetingId)).resolves.toEqual({
      e2eeAllowed: true,
      planIncludesE2ee: true,
      unsupportedClientPolicy: 'downgrade',
      maxParticipants: 100,
      waitingRoom: true,
    });
  });

  it('an account that requires passcodes refuses an owned meeting without one', async () => {
    const svc = new MeetingService(new MemoryStore(), () => new Date(), {
      policyFor: async () => ({
        planIncludesE2ee: true,
        allowE2ee: true,
        unsupportedClientPolicy: 'hold',
        passcodeRequired: true,
        waitingRoomByDefault: false,
        maxParticipants: 100,
      }),
    });
    await expect(svc.createOwned({ accountId: 'a', ownerUserId: 'u' })).rejects.toMatchObject({
      code: 'ACCOUNT_REQUIRES_PASSCODE',
    });
  });

  it('the operator can refuse guest meetings; account meetings are still created and joined', async () => {
    const svc = new MeetingService(
      new MemoryStore(),
      () => new Date(),
      undefined,
      () => ({
        creation: false,
        e2ee: true,
      }),
    );
    await expect(svc.create({})).rejects.toMatchObject({ code: 'GUEST_MEETINGS_DISABLED' });
    const { meetingId } = await svc.createOwned({ accountId: 'a', ownerUserId: 'u' });
    await expect(svc.admit(meetingId)).resolves.toMatchObject({ role: 'participant' });
  });

  it("guest meetings follow the operator's E2EE switch at every admission, not a stored copy", async () => {
    let guests = { creation: true, e2ee: true };
    const svc = new MeetingService(
      new MemoryStore(),
      () => new Date(),
      undefined,
      () => guests,
    );
    const { meetingId, hostKey } = await svc.create({ settings: { e2eeAllowed: true } });
    await expect(svc.admit(meetingId, undefined, hostKey)).resolves.toMatchObject({
      settings: { e2eeAllowed: true, operatorAllowsGuestE2ee: true },
    });
    guests = { ...guests, e2ee: false };
    await expect(svc.admit(meetingId, undefined, hostKey)).resolves.toMatchObject({
      settings: { operatorAllowsGuestE2ee: false },
    });
    await expect(svc.currentSettings(meetingId)).resolves.toMatchObject({
      operatorAllowsGuestE2ee: false,
    });
  });
});
