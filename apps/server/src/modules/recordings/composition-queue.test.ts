import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MeetingId } from '@conclave/protocol';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { hasFfmpeg } from '../../../../../test/support/media-tools';
import { openSqlite } from '../../storage/sqlite/database';
import { SqlRecordingStore } from '../../storage/sql-recording-store';
import { CompositionQueue } from './composition-queue';
import { recordingKey } from './sealed-file';

const dir = mkdtempSync(join(tmpdir(), 'compose-claims-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasFfmpeg)('composition with several nodes sharing the recordings', () => {
  const key = recordingKey(randomBytes(32));
  const logger = pino({ level: 'silent' });

  async function setUp() {
    const db = await openSqlite(join(dir, `${randomUUID()}.db`));
    const store = new SqlRecordingStore(db);
    const node = (nodeId: string) =>
      new CompositionQueue({
        store,
        key,
        dir,
        logger,
        now: () => new Date(),
        nodeId,
        claimTtlMs: 400,
      });
    const id = randomUUID();
    await store.insert({
      id,
      accountId: 'acct',
      meetingId: '12345678901' as MeetingId,
      ownerUserId: null,
      startedByName: 'Olga',
      startedAt: new Date(),
      endedAt: new Date(),
      status: 'composing',
      interrupted: false,
      stopReason: null,
      progress: 0,
      error: null,
      durationMs: 1000,
      deletedAt: null,
      deletedBy: null,
      deletionAuditSeq: null,
    });
    const outputs = async () =>
      (await store.files(id)).filter((f) => f.kind === 'video' || f.kind === 'audio').length;
    return { db, store, node, id, outputs };
  }

  it('two nodes that both find a recording waiting compose it once', async () => {
    const { db, store, node, id, outputs } = await setUp();
    const [a, b] = [node('node-a'), node('node-b')];
    a.enqueue(id);
    b.enqueue(id);
    await Promise.all([a.idle(), b.idle()]);
    expect(await store.find(id)).toMatchObject({ status: 'ready' });
    expect(await outputs()).toBe(2); // one video and one audio file, not two of each
    // the node that lost the race looks again when the claim would have expired: nothing to do
    await new Promise((r) => setTimeout(r, 1600));
    await Promise.all([a.idle(), b.idle()]);
    expect(await outputs()).toBe(2);
    await Promise.all([a.stop(), b.stop()]);
    await db.destroy();
  });

  it('a recording claimed by a node that died is composed once that claim expires', async () => {
    const { db, store, node, id, outputs } = await setUp();
    const now = Date.now();
    expect(await store.claimComposition(id, 'node-dead', now, now + 300)).toBe(true);
    const a = node('node-a');
    a.enqueue(id);
    await a.idle();
    expect(await store.find(id)).toMatchObject({ status: 'composing' });
    for (let i = 0; i < 40 && (await store.find(id))?.status !== 'ready'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await a.idle();
    }
    expect(await store.find(id)).toMatchObject({ status: 'ready' });
    expect(await outputs()).toBe(2);
    await a.stop();
    await db.destroy();
  });
});
