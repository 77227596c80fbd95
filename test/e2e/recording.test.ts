import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordingView } from '@conclave/protocol';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { recordingKey } from '../../apps/server/src/modules/recordings/sealed-file';
import { unsealFile } from '../../apps/server/src/modules/recordings/sealed-file';
import { loadSecretKey } from '../../apps/server/src/config/secret-key';
import { layoutFor } from '../../apps/server/src/modules/recordings/compose-layout';
import { ApiClient } from '../support/api-client';
import {
  joinAsHost,
  joinMeeting,
  launchChromium,
  newParticipant,
  turnOnE2ee,
  waitForE2eeShield,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { decodeVideo, ffprobe, grabFrame, meanVolumeDb, regionStats } from '../support/media-tools';
import { downloadTo, waitForRecording } from '../support/recordings';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Cloud recording and local recording in real browsers (issue 20). Three people: the host
// records, everyone sees it, a late joiner is asked to continue; after the meeting ffmpeg's
// composed file has every tile, the mixed beep, the right length. Then E2EE stops a recording,
// and local recording works under E2EE without the server receiving anything.
const OWNER = { email: 'olga@clinic.example', password: 'correct horse battery staple' };

describe('recording in real browsers', () => {
  let server: TestServer;
  let browser: Browser;
  let api: ApiClient;
  let host: Participant;
  let pat: Participant;
  let lee: Participant;
  let admin: Participant;
  const dir = mkdtempSync(join(tmpdir(), 'conclave-recording-'));

  beforeAll(async () => {
    server = await startTestServer();
    const { accountId } = await createAccountWithOwner(server.stores, {
      name: 'Acme Clinic',
      ownerEmail: OWNER.email,
      ownerName: 'Olga Owner',
      ownerPassword: OWNER.password,
      plan: 'business',
    });
    await server.stores.accounts.updateAccount(accountId, {
      meetingSettings: {
        allowE2ee: true,
        unsupportedClientPolicy: 'downgrade',
        waitingRoomByDefault: false,
        passcodeRequired: false,
      },
    });
    await server.stores.recordings.saveSettings(accountId, {
      allowCloudRecording: true,
      retentionDays: 30,
    });
    api = new ApiClient(server.url);
    expect((await api.signIn(OWNER.email, OWNER.password)).status).toBe(200);
    const meeting = (await api.post('/api/my/meetings', { title: 'Case review' })).body as {
      meetingId: string;
      hostKey: string;
      joinUrl: string;
    };
    browser = await launchChromium();
    host = await newParticipant(browser, 'Hana Host');
    pat = await newParticipant(browser, 'Pat Patient');
    lee = await newParticipant(browser, 'Lee Late');
    await joinAsHost(host, meeting);
    await joinMeeting(pat, meeting.joinUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const recordMenu = async (p: Participant) => {
    await p.page.getByRole('button', { name: /Record$/ }).click();
  };

  let first: { startedAt: number; stoppedAt: number };

  it('the host starts recording; everyone sees the red indicator; a late joiner is asked to continue or leave', async () => {
    // A participant cannot record to the cloud: the item says why.
    await recordMenu(pat);
    await expect(
      pat.page.getByRole('menuitem', { name: 'Record to the cloud' }).isDisabled(),
    ).resolves.toBe(true);
    await pat.page.getByText('Only the host or a co-host can record to the cloud.').waitFor();
    await pat.page.keyboard.press('Escape');

    await recordMenu(host);
    const startedAt = Date.now();
    await host.page.getByRole('menuitem', { name: 'Record to the cloud' }).click();
    for (const p of [host, pat])
      await p.page
        .getByTestId('recording-indicator')
        .filter({ hasText: 'Recording (started by Hana Host)' })
        .waitFor({ timeout: 10_000 });
    // Pat was there when it started: the notice asks them too.
    await pat.page
      .getByTestId('recording-notice')
      .getByRole('button', { name: 'Continue' })
      .click();

    await new Promise((r) => setTimeout(r, 3000));
    await lee.page.goto(host.page.url().replace(/\?.*$/, ''));
    await lee.page.getByLabel('Your name').fill(lee.name);
    await lee.page.getByRole('button', { name: 'Join now' }).click();
    const notice = lee.page.getByTestId('recording-notice');
    await notice.getByText('This meeting is being recorded').waitFor({ timeout: 20_000 });
    await notice.getByText(/started by Hana Host/).waitFor();
    await notice.getByRole('button', { name: 'Continue' }).click();
    await lee.page.getByTestId('recording-indicator').waitFor();
    await expect(notice.isVisible()).resolves.toBe(false);

    // The account owner's admin console, opened while it records, follows the recording to
    // "Ready" by itself (checked after the stop).
    admin = await newParticipant(browser, 'Olga Owner');
    await admin.page.goto(`${server.url}/signin`);
    await admin.page.getByLabel('Email').fill(OWNER.email);
    await admin.page.getByLabel('Password').fill(OWNER.password);
    await admin.page.getByRole('button', { name: 'Sign in' }).click();
    await admin.page.getByTestId('signed-in-as').waitFor();
    await admin.page.goto(`${server.url}/admin`);
    await admin.page.getByRole('tab', { name: 'Recordings' }).click();
    await admin.page
      .getByTestId('recording-status')
      .filter({ hasText: 'Recording now' })
      .waitFor({ timeout: 10_000 });

    await new Promise((r) => setTimeout(r, 4000));
    await recordMenu(host);
    await host.page.getByRole('menuitem', { name: 'Stop cloud recording' }).click();
    const stoppedAt = Date.now();
    for (const p of [host, pat, lee])
      await p.page
        .getByTestId('recording-indicator')
        .waitFor({ state: 'detached', timeout: 10_000 });
    first = { startedAt, stoppedAt };
  });

  it('after stopping, the composed file has every tile, the mixed audio and the right length', async () => {
    const rec = await waitForRecording(api, (r) => r.status === 'ready' || r.status === 'failed');
    expect(rec.error).toBeNull();
    expect(rec.status).toBe('ready');
    expect(rec.interrupted).toBe(false);
    // The admin page opened during the recording shows it ready without a reload.
    await admin.page
      .getByTestId('recording-status')
      .filter({ hasText: /^Ready/ })
      .waitFor({ timeout: 10_000 });
    await admin.context.close();
    const expected = (first.stoppedAt - first.startedAt) / 1000;
    expect(Math.abs((rec.durationSeconds ?? 0) - expected)).toBeLessThanOrEqual(2);

    const video = join(dir, 'video.webm');
    const dl = await downloadTo(api, server.url, `/api/recordings/${rec.id}/files/video`, video);
    expect(dl.status).toBe(200);
    expect(dl.sha256).toBe(rec.files.find((f) => f.kind === 'video')?.sha256);
    const probe = ffprobe(video);
    expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(Math.abs(probe.duration - expected)).toBeLessThanOrEqual(2);

    // A frame after Lee joined: each person's tile shows moving video (the fake camera's
    // pattern), not black; the grid's empty fourth cell stays flat (the check can fail).
    const frame = grabFrame(video, Math.max(1, probe.duration - 2), 1280, 720);
    const layout = layoutFor(3, false);
    for (const tile of layout.tiles) {
      const top = { x: tile.x + 10, y: tile.y + 10, w: tile.w - 20, h: Math.floor(tile.h * 0.6) };
      expect(regionStats(frame, 1280, top).variance).toBeGreaterThan(100);
    }
    const empty = layoutFor(4, false).tiles[3]!;
    expect(
      regionStats(frame, 1280, { ...empty, x: empty.x + 10, w: empty.w - 20, h: empty.h - 10 })
        .variance,
    ).toBeLessThan(5);

    const audio = join(dir, 'audio.webm');
    expect(
      (await downloadTo(api, server.url, `/api/recordings/${rec.id}/files/audio`, audio)).status,
    ).toBe(200);
    expect(ffprobe(audio).streams.map((s) => s.codec_type)).toEqual(['audio']);
    // The fake microphones beep: well above digital silence (-91 dB).
    expect(meanVolumeDb(audio)).toBeGreaterThan(-50);
  });

  it('a participant who is neither host nor admin cannot list or download it', async () => {
    const rec = await waitForRecording(api, (r) => r.status === 'ready');
    const guest = new ApiClient(server.url);
    expect((await guest.get(`/api/recordings/${rec.id}`)).status).toBe(401);
    expect(
      (await downloadTo(guest, server.url, `/api/recordings/${rec.id}/files/video`, join(dir, 'x')))
        .status,
    ).toBe(401);
  });

  it('turning E2EE on stops a recording with a notice; nothing is written after the switch', async () => {
    await recordMenu(host);
    const startedAt = Date.now();
    await host.page.getByRole('menuitem', { name: 'Record to the cloud' }).click();
    for (const p of [pat, lee])
      await p.page
        .getByTestId('recording-notice')
        .getByRole('button', { name: 'Continue' })
        .click({ timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 4000));
    // The menu says what turning E2EE on does to the recording.
    await host.page.getByRole('button', { name: 'More' }).click();
    await host.page.getByText('This stops the cloud recording').waitFor();
    await host.page.keyboard.press('Escape');
    const switchedAt = Date.now();
    await turnOnE2ee(host);
    for (const p of [host, pat, lee]) {
      await p.page
        .getByText(/Cloud recording stopped: end-to-end encryption is being turned on/)
        .first()
        .waitFor({ timeout: 15_000 });
      await p.page.getByTestId('recording-indicator').waitFor({ state: 'detached' });
    }
    await waitForE2eeShield(host);
    await recordMenu(host);
    await expect(
      host.page.getByRole('menuitem', { name: 'Record to the cloud' }).isDisabled(),
    ).resolves.toBe(true);
    await host.page
      .getByText(/Not available with end-to-end encryption/)
      .first()
      .waitFor();
    await host.page.keyboard.press('Escape');

    const rec = await waitForRecording(
      api,
      (r) => r.stopReason !== null && (r.status === 'ready' || r.status === 'failed'),
    );
    expect(rec.status).toBe('ready');
    expect(rec.stopReason).toBe('End-to-end encryption was turned on.');
    const beforeSwitch = (switchedAt - startedAt) / 1000 + 1;
    expect(rec.durationSeconds!).toBeLessThanOrEqual(beforeSwitch);
    // Every raw track ends before the switch (offset + last frame).
    const key = recordingKey(loadSecretKey({ dataDir: server.dataDir }).key);
    const files = await server.stores.recordings.files(rec.id);
    const tracks = files.filter((f) => f.kind === 'track');
    expect(tracks.length).toBeGreaterThanOrEqual(3);
    for (const f of tracks.filter((t) => t.source === 'camera')) {
      const plain = join(dir, `${f.id}.webm`);
      await unsealFile(join(server.dataDir, 'recordings', f.path), plain, key);
      const { lastSeconds } = decodeVideo(plain);
      expect(f.offsetMs / 1000 + lastSeconds).toBeLessThanOrEqual(beforeSwitch);
    }
  });

  it('under E2EE, a participant the host allows records locally: everyone sees it, a WebM is saved, the server receives nothing', async () => {
    await recordMenu(pat);
    await expect(
      pat.page.getByRole('menuitem', { name: 'Record on this device' }).isDisabled(),
    ).resolves.toBe(true);
    await pat.page.getByText('The host has not allowed participants to record.').waitFor();
    await pat.page.keyboard.press('Escape');
    await recordMenu(host);
    await host.page
      .getByRole('menuitem', { name: 'Allow participants to record on their devices' })
      .click();

    const recordingsBefore = (await api.get('/api/my/recordings')).body.recordings.length as number;
    const filesBefore = readdirSync(join(server.dataDir, 'recordings'), { recursive: true }).length;
    let uploaded = 0;
    pat.page.on('request', (req) => {
      uploaded += req.postDataBuffer()?.length ?? 0;
    });
    await expect
      .poll(
        async () => {
          await recordMenu(pat);
          const item = pat.page.getByRole('menuitem', { name: 'Record on this device' });
          const ok = !(await item.isDisabled());
          if (ok) await item.click();
          else await pat.page.keyboard.press('Escape');
          return ok;
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    for (const p of [host, lee]) {
      await p.page
        .getByTestId('local-recording-indicator')
        .filter({ hasText: 'Pat Patient is recording on their device' })
        .waitFor({ timeout: 10_000 });
    }
    await lee.page
      .getByTestId('recording-notice')
      .getByRole('button', { name: 'Continue' })
      .click();
    await new Promise((r) => setTimeout(r, 5000));
    await recordMenu(pat);
    const [download] = await Promise.all([
      pat.page.waitForEvent('download'),
      pat.page.getByRole('menuitem', { name: 'Stop recording on this device' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^conclave-\d+-.*\.webm$/);
    const file = join(dir, 'local.webm');
    await download.saveAs(file);
    const probe = ffprobe(file);
    expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    const { frames, lastSeconds } = decodeVideo(file);
    // The canvas is redrawn on a timer; on two busy cores Chromium manages ~5 fps, still a video.
    expect(frames).toBeGreaterThan(10);
    expect(lastSeconds).toBeGreaterThan(3.5);
    await host.page
      .getByTestId('local-recording-indicator')
      .waitFor({ state: 'detached', timeout: 10_000 });

    // Nothing reached the server: no new recording, no new file, no request body of any size.
    expect((await api.get('/api/my/recordings')).body.recordings.length).toBe(recordingsBefore);
    expect(readdirSync(join(server.dataDir, 'recordings'), { recursive: true }).length).toBe(
      filesBefore,
    );
    expect(uploaded).toBeLessThan(1024);
    const views = (await api.get('/api/my/recordings')).body.recordings as RecordingView[];
    expect(views.every((v) => v.status !== 'recording')).toBe(true);
  });
});
