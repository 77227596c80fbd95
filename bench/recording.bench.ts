// npm run bench:recording — what cloud recording costs the server (issue 20).
//
// 1. Server CPU while recording a 4-participant meeting vs the same meeting not recording. Four
//    headless Chromiums (fake camera 320x240 at 15 fps, fake microphone) publish to a server in
//    its own process; its CPU (utime + stime from /proc, every thread: media worker included) is
//    measured over the same window length with recording off (the baseline, in the same run) and
//    on. Printed: CPU-seconds per wall-second each way, and the ratio.
// 2. Composition after the meeting: from "stop" to the composed file being ready (ffmpeg's grid
//    with names, mixed audio, the audio-only file, sealing), per minute of meeting.
//
// Flags: --seconds 20 (each measuring window)
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../test/support/api-client';
import { joinAsHost, joinMeeting, launchChromium, newParticipant } from '../test/support/browser';
import { CRASH_OWNER, waitForRecording } from '../test/support/recordings';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const SECONDS = Number(arg('seconds', '20'));
const CLK_TCK = 100; // Linux USER_HZ
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cpuSeconds(pid: number): number {
  // /proc/<pid>/stat fields 14 and 15 (utime, stime), after the parenthesised command name.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

async function measure(pid: number, seconds: number): Promise<number> {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  return (cpuSeconds(pid) - c0) / ((performance.now() - t0) / 1000);
}

const dataDir = mkdtempSync(join(tmpdir(), 'conclave-bench-rec-'));
const script = new URL('../test/support/recording-server-child.ts', import.meta.url).pathname;
const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, dataDir, 'setup'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /READY (\S+)/.exec(out);
    if (m) resolve(m[1]!);
  });
  child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
});
const browser = await launchChromium();
try {
  const api = new ApiClient(url);
  await api.signIn(CRASH_OWNER.email, CRASH_OWNER.password);
  const meeting = (await api.post('/api/my/meetings', { title: 'Bench' })).body as {
    meetingId: string;
    hostKey: string;
    joinUrl: string;
  };
  const host = await newParticipant(browser, 'Host');
  await joinAsHost(host, meeting);
  for (const name of ['Ann', 'Ben', 'Cat'])
    await joinMeeting(await newParticipant(browser, name), meeting.joinUrl);
  await sleep(5000); // media flowing, keyframes settled
  const pid = child.pid!;
  const off = await measure(pid, SECONDS);

  await host.page.getByRole('button', { name: /Record$/ }).click();
  await host.page.getByRole('menuitem', { name: 'Record to the cloud' }).click();
  await host.page.getByTestId('recording-indicator').waitFor();
  const on = await measure(pid, SECONDS);
  await host.page.getByRole('button', { name: /Record$/ }).click();
  const stopAt = performance.now();
  await host.page.getByRole('menuitem', { name: 'Stop cloud recording' }).click();
  // Everyone leaves, as at the end of a meeting: composition does not compete with the browsers.
  await browser.close();
  const rec = await waitForRecording(
    api,
    (r) => r.status === 'ready' || r.status === 'failed',
    600_000,
  );
  const composeSeconds = (performance.now() - stopAt) / 1000;
  if (rec.status !== 'ready') throw new Error(`composition failed: ${rec.error}`);
  const minutes = (rec.durationSeconds ?? SECONDS) / 60;

  console.log(
    `\nCloud recording, 4 participants (Chromium, 320x240 at 15 fps), ${SECONDS} s windows`,
  );
  console.log('| | server CPU (cores) | ratio |');
  console.log('|---|---|---|');
  console.log(`| not recording (baseline) | ${off.toFixed(3)} | 1.00x |`);
  console.log(`| recording | ${on.toFixed(3)} | ${(on / off).toFixed(2)}x |`);
  console.log(
    `\nComposition: ${composeSeconds.toFixed(1)} s for ${(minutes * 60).toFixed(0)} s of meeting = ${(composeSeconds / minutes).toFixed(1)} s per meeting minute (${(composeSeconds / minutes / 60).toFixed(2)}x real time)`,
  );
  const sizes = rec.files.map((f) => `${f.kind} ${(f.bytes / 1024).toFixed(0)} KiB`).join(', ');
  console.log(`Files: ${sizes}`);
} finally {
  await browser.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
