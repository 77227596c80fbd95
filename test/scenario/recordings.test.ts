import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { MeetingId, RecordingView } from '@conclave/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import {
  createAgency,
  createOperator,
  createUser,
  signedInRequester,
  startLegalServer,
  STAFF_PASSWORD,
  validSubmission,
} from '../support/legal-fixtures';
import { hasFfmpeg } from '../support/media-tools';
import type { TestServer } from '../support/test-server';

// Custody of cloud recordings over HTTP (issue 20): who sees and downloads them, deletion with
// an audit entry, retention by the scheduler with an injected clock, a preservation request
// that holds them past retention until released, and what a production lists.
const DAY = 86_400_000;
const PASSWORD = STAFF_PASSWORD;

describe.skipIf(!hasFfmpeg)('recordings: access, retention, preservation, productions', () => {
  let server: TestServer;
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  let owner: ApiClient;
  let member: ApiClient;
  let admin: ApiClient;
  let otherOwner: ApiClient;
  let accountId: string;
  let ownerId: string;
  let meetingId: MeetingId;

  const signIn = async (email: string) => {
    const c = new ApiClient(server.url);
    expect((await c.signIn(email, PASSWORD)).status).toBe(200);
    return c;
  };
  /** A recording made through the service as a room makes it (no media: a dark, silent file). */
  // The clock does not move here: TOTP codes of the requesters below follow real time.
  const record = async (): Promise<string> => {
    const live = await server.recordings.begin(meetingId, 'Olga Owner');
    await live.finish({ stopReason: null, transcript: [] });
    await server.recordings.compositionIdle();
    return live.id;
  };
  const mine = async (c: ApiClient) =>
    ((await c.get('/api/my/recordings')).body as { recordings: RecordingView[] }).recordings;

  beforeAll(async () => {
    server = await startLegalServer({ schedulerIntervalSeconds: 3600 }, { clock });
    await createOperator(server);
    ({ accountId, ownerId } = await createAccountWithOwner(server.stores, {
      name: 'Clinic',
      ownerEmail: 'olga@clinic.test',
      ownerName: 'Olga Owner',
      ownerPassword: PASSWORD,
      plan: 'pro',
    }));
    await createUser(server.stores, accountId, 'member', 'mo@clinic.test', PASSWORD);
    await createUser(server.stores, accountId, 'admin', 'ada@clinic.test', PASSWORD);
    await createAccountWithOwner(server.stores, {
      name: 'Other',
      ownerEmail: 'boss@other.test',
      ownerName: 'Boss',
      ownerPassword: PASSWORD,
      plan: 'enterprise',
    });
    owner = await signIn('olga@clinic.test');
    member = await signIn('mo@clinic.test');
    admin = await signIn('ada@clinic.test');
    otherOwner = await signIn('boss@other.test');
    meetingId = (await owner.post('/api/my/meetings', { title: 'Case review' })).body.meetingId;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('cloud recording needs the plan and the admin: off until the admin allows it', async () => {
    expect((await server.recordings.availability(meetingId)).available).toBe(false);
    expect(
      (await member.put('/api/admin/recording-settings', { allowCloudRecording: true })).status,
    ).toBe(403);
    const res = await admin.put('/api/admin/recording-settings', {
      allowCloudRecording: true,
      retentionDays: 7,
    });
    expect(res.body).toMatchObject({
      allowCloudRecording: true,
      retentionDays: 7,
      planIncludesCloudRecording: true,
      planIncludesCloudTranscripts: false,
    });
    expect(await server.recordings.availability(meetingId)).toMatchObject({ available: true });
    expect((await admin.put('/api/admin/recording-settings', { retentionDays: 8 })).status).toBe(
      400,
    );
  });

  it('the host and admins see, download and play (ranges) it; a member and another account get 404', async () => {
    const id = await record();
    const [view] = await mine(owner);
    expect(view).toMatchObject({ id, status: 'ready', interrupted: false, held: false });
    expect(view!.files.map((f) => f.kind).sort()).toEqual(['audio', 'video']);
    expect(new Date(view!.deleteAfter!).getTime() - new Date(view!.endedAt!).getTime()).toBe(
      7 * DAY,
    );
    const video = view!.files.find((f) => f.kind === 'video')!;

    const cookie = [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const full = await fetch(`${server.url}/api/recordings/${id}/files/video`, {
      headers: { cookie },
    });
    const bytes = Buffer.from(await full.arrayBuffer());
    expect(bytes.length).toBe(video.bytes);
    expect(bytes.subarray(0, 4).toString('hex')).toBe('1a45dfa3'); // WebM (EBML) opened from its sealed form
    const part = await fetch(`${server.url}/api/recordings/${id}/files/video`, {
      headers: { cookie, range: 'bytes=100-199' },
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    // On disk it is sealed: the plaintext's first bytes appear nowhere.
    const files = await server.stores.recordings.files(id);
    const { readFileSync } = await import('node:fs');
    const sealed = readFileSync(
      join(server.dataDir, 'recordings', files.find((f) => f.kind === 'video')!.path),
    );
    expect(sealed.includes(bytes.subarray(0, 64))).toBe(false);

    expect(
      (await admin.get('/api/admin/recordings')).body.recordings.map((r: RecordingView) => r.id),
    ).toContain(id);
    expect((await admin.get(`/api/recordings/${id}`)).status).toBe(200);
    for (const c of [member, otherOwner]) {
      expect((await c.get(`/api/recordings/${id}`)).body.code).toBe('RECORDING_NOT_FOUND');
      expect((await c.get(`/api/recordings/${id}/files/video`)).status).toBe(404);
      expect((await c.request('DELETE', `/api/recordings/${id}`)).status).toBe(404);
      expect(await mine(c)).toEqual([]);
    }
    expect((await otherOwner.get('/api/admin/recordings')).body.recordings).toEqual([]);

    // A file this server cannot see (a node without the shared recordings directory): a clear
    // 404 saying so, before any byte is sent, not a cut download.
    const { renameSync } = await import('node:fs');
    const onDisk = join(server.dataDir, 'recordings', files.find((f) => f.kind === 'video')!.path);
    renameSync(onDisk, `${onDisk}.elsewhere`);
    try {
      const missing = await owner.get(`/api/recordings/${id}/files/video`);
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({
        code: 'RECORDING_NOT_FOUND',
        message: expect.stringContaining('recordings directory'),
      });
    } finally {
      renameSync(`${onDisk}.elsewhere`, onDisk);
    }
  });

  it('"Cloud transcripts": the captions transcript is saved with the recording only on plans that include it', async () => {
    const said = (at: number) => [
      { id: 'c1', participantId: 'p1' as never, name: 'Pat', text: 'the results look good', at },
    ];
    // Pro: cloud recording, no transcripts.
    let live = await server.recordings.begin(meetingId, 'Olga Owner');
    await live.finish({ stopReason: null, transcript: said(Date.now() + offset) });
    await server.recordings.compositionIdle();
    expect(
      (await mine(owner)).find((r) => r.id === live.id)!.files.map((f) => f.kind),
    ).not.toContain('transcript');
    await owner.request('DELETE', `/api/recordings/${live.id}`);

    await server.stores.accounts.updateAccount(accountId, { plan: 'business' });
    live = await server.recordings.begin(meetingId, 'Olga Owner');
    await live.finish({ stopReason: null, transcript: said(live.startedAt.getTime() + 65_000) });
    await server.recordings.compositionIdle();
    const view = (await mine(owner)).find((r) => r.id === live.id)!;
    expect(view.files.map((f) => f.kind).sort()).toEqual(['audio', 'transcript', 'video']);
    const text = (await owner.get(`/api/recordings/${live.id}/files/transcript`)).body as string;
    expect(text).toContain('[00:01:05] Pat: the results look good');
    await owner.request('DELETE', `/api/recordings/${live.id}`);
    await server.stores.accounts.updateAccount(accountId, { plan: 'pro' });
  });

  it('deleting is audited and leaves no file behind', async () => {
    const id = await record();
    const dir = join(server.dataDir, 'recordings', id);
    expect(existsSync(dir)).toBe(true);
    expect((await owner.request('DELETE', `/api/recordings/${id}`)).status).toBe(204);
    expect(existsSync(dir)).toBe(false);
    expect((await owner.get(`/api/recordings/${id}`)).status).toBe(404);
    const audit = (await admin.get('/api/admin/audit')).body.entries as {
      action: string;
      target: string;
      actorUserId: string;
    }[];
    expect(audit.find((e) => e.action === 'recording.deleted' && e.target === id)).toMatchObject({
      actorUserId: ownerId,
    });
  });

  it('a production lists what is held: recordings with size and hash, deletions with their audit entry, and that E2EE meetings hold no media', async () => {
    const liveId = await record();
    await createAgency(server.stores.legal, 'police.example.gov');
    const requester = await signedInRequester(
      server,
      'police.example.gov',
      'joe@police.example.gov',
    );
    const req = await requester.post(
      '/api/legal/portal/requests',
      validSubmission({
        targets: [{ type: 'email', value: 'olga@clinic.test' }],
        rangeFrom: new Date(Date.now() - 30 * DAY).toISOString(),
        rangeTo: new Date(Date.now() + 30 * DAY).toISOString(),
      }),
    );
    const reqId = req.body.request.id as string;
    const reviewer = await signIn('reviewer@operator.test');
    const counsel = await (async () => {
      await createUser(
        server.stores,
        (await server.stores.subjects.operatorAccountId())!,
        'legal_admin',
        'counsel@operator.test',
        PASSWORD,
      );
      return signIn('counsel@operator.test');
    })();
    const d = await reviewer.post(`/api/legal/requests/${reqId}/decisions`, {
      kind: 'disclose_non_content',
      rationale: 'Valid warrant.',
    });
    expect(d.status).toBe(201);
    expect(
      (
        await counsel.post(
          `/api/legal/requests/${reqId}/decisions/${d.body.decision.id}/approve`,
          {},
        )
      ).status,
    ).toBe(200);
    const prod = await reviewer.post(`/api/legal/requests/${reqId}/productions`, {});
    expect(prod.status).toBe(201);
    const pkg = (
      await reviewer.get(`/api/legal/requests/${reqId}/productions/${prod.body.production.id}`)
    ).body;
    const files = (pkg.files ?? pkg.package?.files) as Record<string, string>;
    const held = JSON.parse(files['recordings-held.json']!) as {
      recordings: {
        recordingId: string;
        status: string;
        files: { sha256: string; bytes: number }[];
        deletionAuditEntry: number | null;
      }[];
    }[];
    const list = held[0]!.recordings;
    const live = list.find((r) => r.recordingId === liveId)!;
    const view = (await mine(owner)).find((r) => r.id === liveId)!;
    expect(live.files.map((f) => f.sha256).sort()).toEqual(view.files.map((f) => f.sha256).sort());
    expect(live.files.every((f) => f.bytes > 0)).toBe(true);
    const deleted = list.filter((r) => r.status === 'deleted');
    expect(deleted.length).toBe(3);
    expect(
      deleted.every((r) => r.files.length === 0 && typeof r.deletionAuditEntry === 'number'),
    ).toBe(true);
    expect(pkg.manifest?.statements?.meetingContent ?? JSON.stringify(pkg)).toMatch(
      /End-to-end encrypted meetings cannot be cloud-recorded/,
    );
  });
  it('retention deletes past-due recordings with an audit entry; a preservation hold keeps them until released', async () => {
    const kept = (await mine(owner)).map((r) => r.id).sort(); // recorded above, 7-day retention
    expect(kept.length).toBe(2);
    const requester = await signedInRequester(
      server,
      'police.example.gov',
      'jane@police.example.gov',
    );
    const req = await requester.post(
      '/api/legal/portal/requests',
      validSubmission({
        type: 'preservation',
        targets: [{ type: 'email', value: 'olga@clinic.test' }],
        rangeFrom: new Date(Date.now() - 30 * DAY).toISOString(),
        rangeTo: new Date(Date.now() + 30 * DAY).toISOString(),
      }),
    );
    expect(req.status).toBe(201);
    const reqId = req.body.request.id as string;
    const reviewer = await signIn('reviewer@operator.test');
    const d = await reviewer.post(`/api/legal/requests/${reqId}/decisions`, {
      kind: 'preserve',
      rationale: 'Preserve pending legal process.',
    });
    expect(d.status).toBe(201);
    expect((await mine(owner))[0]).toMatchObject({ held: true, deleteAfter: null });

    offset += 8 * DAY;
    expect(await server.recordings.sweepRetention()).toEqual([]);
    expect((await mine(owner)).map((r) => r.id).sort()).toEqual(kept);

    const rel = await reviewer.post(`/api/legal/requests/${reqId}/preservation/release`, {});
    expect({ released: [...rel.body.released].sort() }).toEqual({ released: kept });
    const trail = (await reviewer.get(`/api/legal/requests/${reqId}/audit`)).body;
    const actions = JSON.stringify(trail);
    expect(actions).toContain('recordings.preserved');
    expect(actions).toContain('recordings.preservation_released');

    expect((await server.recordings.sweepRetention()).sort()).toEqual(kept);
    expect(await mine(owner)).toEqual([]);
    const audit = (await admin.get('/api/admin/audit')).body.entries as {
      action: string;
      target: string;
      actorUserId: string | null;
    }[];
    expect(
      audit.find((e) => e.action === 'recording.retention_deleted' && e.target === kept[0]),
    ).toMatchObject({ actorUserId: null });
  });
});
