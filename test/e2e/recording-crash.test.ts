import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../support/api-client';
import { joinAsHost, launchChromium, newParticipant } from '../support/browser';
import { decodeVideo, ffprobe } from '../support/media-tools';
import { CRASH_OWNER, downloadTo, waitForRecording } from '../support/recordings';

// kill -9 of the server while it records (issue 20): the tracks were sealed every second, so
// after a restart the recording is marked "interrupted", composed from what was saved, and
// plays.
const script = new URL('../support/recording-server-child.ts', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'conclave-rec-kill-'));

function startChild(setup: boolean): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, dataDir, ...(setup ? ['setup'] : [])],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
}

describe('crash safety of cloud recording', () => {
  let browser: Browser | undefined;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    await browser?.close();
    for (const c of children) c.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('kill -9 during a recording leaves a playable partial file, shown as interrupted', async () => {
    const first = await startChild(true);
    children.push(first.child);
    const api = new ApiClient(first.url);
    expect((await api.signIn(CRASH_OWNER.email, CRASH_OWNER.password)).status).toBe(200);
    const meeting = (await api.post('/api/my/meetings', { title: 'Crash' })).body as {
      meetingId: string;
      hostKey: string;
      joinUrl: string;
    };
    browser = await launchChromium();
    const host = await newParticipant(browser, 'Hana Host');
    await joinAsHost(host, meeting);
    await host.page.getByRole('button', { name: /Record$/ }).click();
    await host.page.getByRole('menuitem', { name: 'Record to the cloud' }).click();
    await host.page.getByTestId('recording-indicator').waitFor({ timeout: 10_000 });
    // Past the first 5-second heartbeat, so the row knows how long it had run.
    await new Promise((r) => setTimeout(r, 7500));
    first.child.kill('SIGKILL');
    await new Promise<void>((r) => first.child.once('exit', () => r()));
    await browser.close();
    browser = undefined;

    const second = await startChild(false);
    children.push(second.child);
    const again = new ApiClient(second.url);
    expect((await again.signIn(CRASH_OWNER.email, CRASH_OWNER.password)).status).toBe(200);
    const rec = await waitForRecording(again, (r) => r.status === 'ready' || r.status === 'failed');
    expect(rec).toMatchObject({ status: 'ready', interrupted: true, error: null });
    expect(rec.stopReason).toMatch(/server stopped while recording/);
    expect(rec.durationSeconds).toBeGreaterThanOrEqual(4);

    const file = join(dataDir, 'partial.webm');
    expect(
      (await downloadTo(again, second.url, `/api/recordings/${rec.id}/files/video`, file)).status,
    ).toBe(200);
    const probe = ffprobe(file);
    expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    expect(Math.abs(probe.duration - rec.durationSeconds!)).toBeLessThanOrEqual(2);
    const { frames } = decodeVideo(file);
    expect(frames).toBeGreaterThan(30);
  });
});
