import { randomUUID } from 'node:crypto';
import type { MeetingId } from '@conclave/protocol';
import { expect, it } from 'vitest';
import type { RecordingRecord, RecordingStore } from '../modules/recordings/recording-store';

const rec = (over: Partial<RecordingRecord> = {}): RecordingRecord => ({
  id: randomUUID(),
  accountId: 'acct-1',
  meetingId: '12345678901' as MeetingId,
  ownerUserId: 'user-1',
  startedByName: 'Olga',
  startedAt: new Date('2026-03-01T10:00:00.000Z'),
  endedAt: null,
  status: 'recording',
  interrupted: false,
  stopReason: null,
  progress: 0,
  error: null,
  durationMs: 0,
  deletedAt: null,
  deletedBy: null,
  deletionAuditSeq: null,
  ...over,
});

/** The recordings port on every SQL dialect (migration 0008). */
export function recordingStoreContract(get: () => { store: RecordingStore }): void {
  it('recordings: rows, files, settings and holds round-trip; deleted rows stay as tombstones', async () => {
    const { store } = get();
    const r = rec();
    await store.insert(r);
    expect(await store.find(r.id)).toEqual(r);
    await store.update(r.id, {
      status: 'ready',
      endedAt: new Date('2026-03-01T10:30:00.000Z'),
      durationMs: 1_800_000,
      interrupted: true,
      stopReason: 'E2EE',
    });
    expect(await store.find(r.id)).toMatchObject({
      status: 'ready',
      durationMs: 1_800_000,
      interrupted: true,
    });
    expect((await store.listByStatus('ready')).map((x) => x.id)).toContain(r.id);
    expect(
      (await store.listEndedBefore(new Date('2026-03-02T00:00:00Z'))).map((x) => x.id),
    ).toContain(r.id);
    expect(
      (await store.listEndedBefore(new Date('2026-03-01T10:00:00Z'))).map((x) => x.id),
    ).not.toContain(r.id);

    const fileId = randomUUID();
    await store.insertFile({
      id: fileId,
      recordingId: r.id,
      kind: 'track',
      path: `${r.id}/${fileId}.track`,
      bytes: 0,
      sha256: '',
      participantId: 'p-1',
      participantName: 'Pat',
      source: 'camera',
      offsetMs: 1234,
      complete: false,
      createdAt: new Date('2026-03-01T10:00:01.000Z'),
    });
    await store.updateFile(fileId, {
      bytes: 5_000_000_000,
      sha256: 'ab'.repeat(32),
      complete: true,
    });
    expect(await store.files(r.id)).toEqual([
      expect.objectContaining({
        id: fileId,
        bytes: 5_000_000_000,
        offsetMs: 1234,
        complete: true,
        source: 'camera',
        participantId: 'p-1',
      }),
    ]);

    expect(await store.settings('acct-1')).toEqual({
      allowCloudRecording: false,
      retentionDays: 30,
    });
    await store.saveSettings('acct-1', { allowCloudRecording: true, retentionDays: null });
    await store.saveSettings('acct-1', { allowCloudRecording: true, retentionDays: 365 });
    expect(await store.settings('acct-1')).toEqual({
      allowCloudRecording: true,
      retentionDays: 365,
    });

    await store.addHold({
      recordingId: r.id,
      requestId: 'req-1',
      placedAt: new Date(),
      releasedAt: null,
    });
    expect((await store.activeHolds(r.id)).map((h) => h.requestId)).toEqual(['req-1']);
    expect(await store.releaseHolds('req-1', new Date())).toEqual([r.id]);
    expect(await store.activeHolds(r.id)).toEqual([]);
    expect(await store.releaseHolds('req-1', new Date())).toEqual([]);

    await store.deleteFiles(r.id);
    await store.update(r.id, {
      deletedAt: new Date(),
      deletedBy: 'retention',
      deletionAuditSeq: 7,
    });
    expect((await store.listForOwner('user-1')).map((x) => x.id)).not.toContain(r.id);
    expect(
      (await store.listForOwnerIncludingDeleted('user-1')).find((x) => x.id === r.id),
    ).toMatchObject({ deletedBy: 'retention', deletionAuditSeq: 7 });
    expect(await store.files(r.id)).toEqual([]);
  });

  it('recordings: one node at a time may compose a recording; a claim is renewed by its holder, taken over once expired, and released', async () => {
    const { store } = get();
    const r = rec({ status: 'composing' });
    await store.insert(r);
    const t = 1_000_000;
    // two nodes race for the same recording: exactly one wins
    const raced = await Promise.all([
      store.claimComposition(r.id, 'node-a', t, t + 60_000),
      store.claimComposition(r.id, 'node-b', t, t + 60_000),
    ]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    const [holder, other] = raced[0] ? ['node-a', 'node-b'] : ['node-b', 'node-a'];
    expect(await store.claimComposition(r.id, holder, t + 30_000, t + 90_000)).toBe(true);
    expect(await store.claimComposition(r.id, other, t + 60_001, t + 120_000)).toBe(false);
    // the holder died: once its claim has expired another node takes it
    expect(await store.claimComposition(r.id, other, t + 90_001, t + 150_000)).toBe(true);
    expect(await store.claimComposition(r.id, holder, t + 90_002, t + 150_000)).toBe(false);
    await store.releaseComposition(r.id, holder); // not the holder any more: changes nothing
    expect(await store.claimComposition(r.id, holder, t + 90_003, t + 150_000)).toBe(false);
    await store.releaseComposition(r.id, other);
    expect(await store.claimComposition(r.id, holder, t + 90_004, t + 150_000)).toBe(true);
    // only a recording waiting for composition can be claimed
    await store.update(r.id, { status: 'ready' });
    expect(await store.claimComposition(r.id, holder, t + 90_005, t + 150_000)).toBe(false);
  });
}
