import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { MeetingId, RecordingView } from '@conclave/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../apps/server/src/config/config';
import { createLogger } from '../../apps/server/src/logger';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import type { MailMessage } from '../../apps/server/src/modules/mail/mailer';
import { startServer } from '../../apps/server/src/server';
import type { RunningServer } from '../../apps/server/src/server';
import {
  dropSchema,
  openPostgres,
  openPostgresUnmigrated,
} from '../../apps/server/src/storage/postgres/database';
import { openRedis } from '../../apps/server/src/storage/redis/redis-stores';
import { SqlClusterStore } from '../../apps/server/src/storage/sql-cluster-store';
import { sqlStores } from '../../apps/server/src/storage/sql-stores';
import { testCipher, TEST_SECRET_KEY } from '../../apps/server/src/storage/test-cipher';
import { ApiClient } from '../support/api-client';
import { joinBot } from '../support/bots';
import { hasFfmpeg } from '../support/media-tools';
import { arrangeNdoSuppressedNotices } from '../support/disclosure-requests';
import { clusterSkipReason, TEST_POSTGRES_URL, TEST_REDIS_URL } from '../support/cluster-nodes';

// Issue 19, work several nodes share: "the legal scheduler and mail dispatcher are already safe
// in several processes: keep them so, and test it with nodes" — two cluster nodes (same
// PostgreSQL schema, same Redis, each with its own pool, scheduler and dispatcher) race for the
// same due notices and queued mail; and a cloud recording made on one node downloads through the
// other (one recordings directory both mount).
const skip = clusterSkipReason();
if (skip) console.warn(skip);

describe.runIf(!skip)('work two nodes share: schedulers, mail, recordings', () => {
  const schema = `cluster_sched_${randomBytes(5).toString('hex')}`;
  const prefix = `cluster-sched-${randomBytes(4).toString('hex')}:`;
  let now = new Date('2026-05-31T00:00:00Z');
  const delivered: MailMessage[] = [];
  const nodes: RunningServer[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  const recordingsDir = mkdtempSync(join(tmpdir(), 'conclave-shared-recordings-'));
  const dirs: string[] = [recordingsDir];

  async function startNode(nodeId: string): Promise<RunningServer> {
    const dataDir = mkdtempSync(join(tmpdir(), `conclave-${nodeId}-`));
    dirs.push(dataDir);
    const config = loadConfig(
      {},
      {
        host: '127.0.0.1',
        port: 0,
        dataDir,
        logLevel: 'silent',
        databaseUrl: TEST_POSTGRES_URL,
        redisUrl: TEST_REDIS_URL,
        cluster: { nodeId, heartbeatMs: 300, leaseMs: 1500, redisPrefix: prefix },
        media: { workers: 1, keyframeRequestMinIntervalMs: 500 },
        captions: { engine: 'off' },
        // Long intervals: the test drives the passes so both nodes race on every one.
        legal: { schedulerIntervalSeconds: 3600 },
        mail: { dispatchIntervalSeconds: 3600, giveUpHours: 72 },
        // One directory both nodes mount (README "Running several nodes").
        recordings: { dir: recordingsDir },
      },
    );
    const db = await openPostgres(TEST_POSTGRES_URL!, { schema, maxConnections: 4 });
    const redis = await openRedis(TEST_REDIS_URL!, prefix);
    closers.push(() => redis.close());
    const server = await startServer({
      config,
      logger: createLogger((process.env.CONCLAVE_TEST_LOG as 'silent' | undefined) ?? 'silent'),
      db,
      stores: sqlStores(db, testCipher()),
      secretKey: Buffer.from(TEST_SECRET_KEY, 'hex'),
      clock: () => now,
      // Both nodes hand mail to the same SMTP server: count what reaches it.
      mailTransport: {
        send: async (m) => {
          await new Promise((r) => setTimeout(r, 5)); // a real send takes a moment
          delivered.push(m);
        },
      },
      attempts: redis.attempts,
      cluster: { store: new SqlClusterStore(db), bus: redis.bus, loginWindows: redis.loginWindows },
    });
    nodes.push(server);
    return server;
  }

  beforeAll(async () => {
    await startNode('sched-a');
    await startNode('sched-b');
  });
  afterAll(async () => {
    for (const n of nodes) await n.close();
    for (const c of closers) await c();
    const admin = openPostgresUnmigrated(TEST_POSTGRES_URL!);
    await dropSchema(admin, schema);
    await admin.destroy();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a nondisclosure order ends: each user gets one notice and one mail, not one per node', async () => {
    const [a, b] = nodes as [RunningServer, RunningServer];
    const db = await openPostgres(TEST_POSTGRES_URL!, { schema, maxConnections: 2 });
    const s = sqlStores(db, testCipher());
    const { requestId, userIds, emails } = await arrangeNdoSuppressedNotices(
      s,
      8,
      new Date('2026-06-01T00:00:00Z'),
    );

    now = new Date('2026-06-01T00:00:00Z'); // the order ended
    // Each node runs one pass at a time (as its timer does); the two race on every notice.
    const passes = [
      ...(await Promise.all([a.legal.scheduler.tick(), b.legal.scheduler.tick()])),
      ...(await Promise.all([a.legal.scheduler.tick(), b.legal.scheduler.tick()])),
    ];
    expect(passes.reduce((n, p) => n + p.sent, 0)).toBe(userIds.length);
    // Both dispatchers race for the queued mail, twice over.
    await Promise.all([
      a.mailDispatcher!.tick(),
      b.mailDispatcher!.tick(),
      a.mailDispatcher!.tick(),
      b.mailDispatcher!.tick(),
    ]);
    await Promise.all([a.mailDispatcher!.tick(), b.mailDispatcher!.tick()]);
    const noticeMail = delivered.filter((m) => emails.includes(m.to));
    expect(noticeMail.map((m) => m.to).sort()).toEqual([...emails].sort());
    const sent = await s.legal.notices.listNotices(requestId);
    expect(sent.every((n) => n.state === 'sent')).toBe(true);
    await db.destroy();
  });

  it.skipIf(!hasFfmpeg)('a cloud recording made on node A downloads through node B', async () => {
    const [a, b] = nodes as [RunningServer, RunningServer];
    const db = await openPostgres(TEST_POSTGRES_URL!, { schema, maxConnections: 2 });
    const s = sqlStores(db, testCipher());
    const email = `rec-${randomUUID()}@c.test`;
    const { accountId } = await createAccountWithOwner(s, {
      name: 'Recorder',
      ownerEmail: email,
      ownerName: 'Rita',
      ownerPassword: 'correct horse battery',
      plan: 'pro',
    });
    await s.recordings.saveSettings(accountId, { allowCloudRecording: true, retentionDays: 7 });
    const viaA = new ApiClient(a.url);
    expect((await viaA.signIn(email, 'correct horse battery')).status).toBe(200);
    const meetingId = (await viaA.post('/api/my/meetings', { title: 'Shared' })).body
      .meetingId as MeetingId;
    // Recorded on node A (as its room would), composed there into the shared directory.
    const live = await a.recordings.begin(meetingId, 'Rita');
    await live.finish({ stopReason: null, transcript: [] });
    await a.recordings.compositionIdle();
    const viaB = new ApiClient(b.url);
    expect((await viaB.signIn(email, 'correct horse battery')).status).toBe(200);
    const [view] = (await viaB.get('/api/my/recordings')).body.recordings as RecordingView[];
    expect(view).toMatchObject({ id: live.id, status: 'ready' });
    const cookie = [...viaB.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${b.url}/api/recordings/${live.id}/files/video`, {
      headers: { cookie },
    });
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBeGreaterThan(1000);
    expect(createHash('sha256').update(body).digest('hex')).toBe(
      res.headers.get('x-content-sha256'),
    );
    await db.destroy();
  });

  it.skipIf(!hasFfmpeg)(
    'a recording cut by the death of its node is finished by the node that takes the meeting over',
    async () => {
      const [a, b] = nodes as [RunningServer, RunningServer];
      const db = await openPostgres(TEST_POSTGRES_URL!, { schema, maxConnections: 2 });
      const s = sqlStores(db, testCipher());
      const email = `cut-${randomUUID()}@c.test`;
      const { accountId } = await createAccountWithOwner(s, {
        name: 'Cut',
        ownerEmail: email,
        ownerName: 'Cora',
        ownerPassword: 'correct horse battery',
        plan: 'pro',
      });
      await s.recordings.saveSettings(accountId, { allowCloudRecording: true, retentionDays: 7 });
      const api = new ApiClient(a.url);
      expect((await api.signIn(email, 'correct horse battery')).status).toBe(200);
      const created = (await api.post('/api/my/meetings', {})).body as {
        meetingId: MeetingId;
        hostKey: string;
      };
      // A node that is gone now was running the meeting and recording it.
      const live = await a.recordings.begin(created.meetingId, 'Cora');
      const t = Date.now();
      await new SqlClusterStore(db).takeLease(created.meetingId, 'dead-node', t - 5000, t - 1);
      // Someone comes back: the meeting starts on a live node, which finishes the recording.
      const bot = await joinBot(b.url, created.meetingId, 'Cora', created.hostKey);
      const deadline = Date.now() + 60_000;
      let rec = await s.recordings.find(live.id);
      while (rec?.status !== 'ready' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        rec = await s.recordings.find(live.id);
      }
      expect(rec).toMatchObject({ status: 'ready', interrupted: true });
      await bot.room.leave();
      await db.destroy();
    },
  );
});
