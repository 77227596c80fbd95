import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Flags from research/sfu-probe.md: fake devices, loopback ICE, no background network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

export interface Participant {
  context: BrowserContext;
  page: Page;
  name: string;
}

/** A person with their own browser profile; the camera runs at 320x240 to spare the CPU. */
export async function newParticipant(
  browser: Browser,
  name: string,
  opts: { deniedMedia?: boolean } = {},
): Promise<Participant> {
  const context = await browser.newContext({
    permissions: opts.deniedMedia ? [] : ['camera', 'microphone'],
  });
  await context.addInitScript(() => {
    localStorage.setItem('conclave.videoQuality', 'low');
  });
  if (opts.deniedMedia) {
    await context.addInitScript(() => {
      const deny = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
      Object.defineProperty(navigator.mediaDevices, 'getUserMedia', { value: deny });
    });
  }
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${name}] page error:`, err.message));
  return { context, page, name };
}

/** Opens the invite link, passes the pre-join screen, and waits for the meeting toolbar. */
export async function joinMeeting(
  p: Participant,
  url: string,
  opts: { passcode?: string } = {},
): Promise<void> {
  await p.page.goto(url);
  await p.page.getByLabel('Your name').fill(p.name);
  if (opts.passcode !== undefined) await p.page.getByLabel('Passcode').fill(opts.passcode);
  await p.page.getByRole('button', { name: 'Join now' }).click();
  await p.page.getByRole('navigation', { name: 'Meeting controls' }).waitFor({ timeout: 20_000 });
}

export interface RemoteMediaStats {
  participantId: string;
  name: string | undefined;
  framesDecoded: number;
  frameWidth: number;
  audioPacketsReceived: number;
}

/** getStats of the subscribe PeerConnection, per remote participant. */
export function remoteStats(page: Page): Promise<RemoteMediaStats[]> {
  return page.evaluate(async () => {
    interface Track {
      participantId: string;
      kind: string;
      track: MediaStreamTrack;
    }
    interface Room {
      peerConnections: { subscribe?: RTCPeerConnection };
      remoteTracks: Track[];
      participants: { id: string; displayName: string }[];
    }
    const room = (window as unknown as { conclave?: { room: Room } }).conclave?.room;
    const pc = room?.peerConnections.subscribe;
    if (!room || !pc) return [];
    const owner = new Map(room.remoteTracks.map((t) => [t.track.id, t]));
    const byParticipant = new Map<
      string,
      { framesDecoded: number; frameWidth: number; audioPacketsReceived: number }
    >();
    const report = await pc.getStats();
    report.forEach((s: Record<string, unknown>) => {
      if (s.type !== 'inbound-rtp') return;
      const t = owner.get(s.trackIdentifier as string);
      if (!t) return;
      const entry = byParticipant.get(t.participantId) ?? {
        framesDecoded: 0,
        frameWidth: 0,
        audioPacketsReceived: 0,
      };
      if (s.kind === 'video') {
        entry.framesDecoded += (s.framesDecoded as number) ?? 0;
        entry.frameWidth = Math.max(entry.frameWidth, (s.frameWidth as number) ?? 0);
      } else {
        entry.audioPacketsReceived += (s.packetsReceived as number) ?? 0;
      }
      byParticipant.set(t.participantId, entry);
    });
    return [...byParticipant.entries()].map(([participantId, e]) => ({
      participantId,
      name: room.participants.find((p) => p.id === participantId)?.displayName,
      ...e,
    }));
  });
}

/** Polls until `check` passes or the timeout runs out; returns the last value. */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  timeoutMs = 15_000,
  stepMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, stepMs));
    value = await read();
  }
  return value;
}

/** Waits until `p` decodes video from exactly `n` remotes. */
export const decodingAll = (p: Participant, n: number, timeout = 15_000) =>
  eventually(
    () => remoteStats(p.page),
    (s) => s.length === n && s.every((x) => x.framesDecoded > 0),
    timeout,
  );

/** Frames decoded from each remote over `ms`: proves media keeps flowing, not a stale counter. */
export async function decodedDuring(p: Participant, ms: number): Promise<Map<string, number>> {
  const before = await remoteStats(p.page);
  await new Promise((r) => setTimeout(r, ms));
  const after = await remoteStats(p.page);
  return new Map(
    after.map((a) => [
      a.name ?? a.participantId,
      a.framesDecoded -
        (before.find((b) => b.participantId === a.participantId)?.framesDecoded ?? 0),
    ]),
  );
}

export async function createMeeting(
  baseUrl: string,
  passcode?: string,
  settings?: { e2eeAllowed?: boolean; unsupportedClientPolicy?: 'downgrade' | 'hold' | 'refuse' },
): Promise<{ meetingId: string; hostKey: string; joinUrl: string }> {
  const res = await fetch(`${baseUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...(passcode ? { passcode } : {}), ...(settings ? { settings } : {}) }),
  });
  if (res.status !== 201) throw new Error(`create meeting: ${res.status} ${await res.text()}`);
  return (await res.json()) as { meetingId: string; hostKey: string; joinUrl: string };
}

/** The host's path: create a meeting on the home page, start it, join. Returns the invite link. */
export async function hostNewMeeting(
  p: Participant,
  baseUrl: string,
  passcode?: string,
): Promise<string> {
  await p.page.goto(baseUrl);
  await p.page.getByRole('button', { name: 'Create meeting' }).waitFor();
  if (passcode) await p.page.getByLabel('Passcode (optional)').fill(passcode);
  await p.page.getByRole('button', { name: 'Create meeting' }).click();
  const invite = (await p.page.getByTestId('invite-link').textContent()) ?? '';
  await p.page.getByRole('button', { name: 'Start meeting' }).click();
  await p.page.getByLabel('Your name').fill(p.name);
  await p.page.getByRole('button', { name: 'Join now' }).click();
  await p.page.getByRole('navigation', { name: 'Meeting controls' }).waitFor({ timeout: 20_000 });
  return invite;
}

export function selfId(p: Participant): Promise<string> {
  return p.page.evaluate(
    () => (window as unknown as { conclave: { room: { selfId: string } } }).conclave.room.selfId,
  );
}

/** Removes both encoded-transform APIs before the app loads: a client that cannot do E2EE. */
export async function makeUnsupported(p: Participant): Promise<void> {
  await p.context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    delete w.RTCRtpScriptTransform;
    const sender = (w.RTCRtpSender as { prototype: Record<string, unknown> }).prototype;
    const receiver = (w.RTCRtpReceiver as { prototype: Record<string, unknown> }).prototype;
    delete sender.createEncodedStreams;
    delete receiver.createEncodedStreams;
  });
}

export async function turnOnE2ee(host: Participant): Promise<void> {
  await host.page.getByRole('button', { name: 'More' }).click();
  await host.page.getByRole('menuitem', { name: 'Turn on end-to-end encryption' }).click();
}

/** The host turns E2EE off from the More menu; resolves once `others` show transport encryption. */
export async function turnOffE2ee(host: Participant, others: Participant[]): Promise<void> {
  await host.page.getByRole('button', { name: 'More' }).click();
  await host.page.getByRole('menuitem', { name: 'Turn off end-to-end encryption' }).click();
  for (const p of others) {
    await p.page.getByTestId('shield').filter({ hasText: 'Encrypted in transit' }).waitFor();
  }
}

export async function waitForE2eeShield(p: Participant, timeout = 15_000): Promise<void> {
  await p.page
    .getByTestId('shield')
    .filter({ hasText: 'End-to-end encrypted' })
    .waitFor({ timeout });
}

/** Reads the security code the way a person does: from the security panel. */
export async function readSecurityCode(p: Participant): Promise<string> {
  const code = p.page.getByTestId('security-code');
  if (!(await code.isVisible())) await p.page.getByTestId('shield').click();
  await code.waitFor({ timeout: 10_000 });
  return ((await code.textContent()) ?? '').trim();
}

/** The E2EE view the app holds (epoch, code, counters) — read-only diagnostics. */
export function e2eeView(p: Participant): Promise<{
  epoch: number | null;
  securityCode: string | null;
  status: string;
  counters: Record<string, number> | null;
  /** Display names of the devices in this device's MLS group (its roster). */
  roster: string[];
}> {
  return p.page.evaluate(() => {
    interface View {
      meeting: { status: string };
      local: {
        epoch: number | null;
        securityCode: string | null;
        roster: { displayName: string }[];
      } | null;
      counters: Record<string, number> | null;
    }
    const v = (window as unknown as { conclave: { room: { e2ee: { view: View } } } }).conclave.room
      .e2ee.view;
    return {
      epoch: v.local?.epoch ?? null,
      securityCode: v.local?.securityCode ?? null,
      status: v.meeting.status,
      counters: v.counters,
      roster: (v.local?.roster ?? []).map((m) => m.displayName),
    };
  });
}

/** Joins as the host of a meeting made through the API (the host key is in this browser). */
export async function joinAsHost(
  p: Participant,
  meeting: { meetingId: string; hostKey: string; joinUrl: string },
): Promise<void> {
  await p.context.addInitScript(
    ([id, key]) => localStorage.setItem(`conclave.hostKey.${id}`, key),
    [meeting.meetingId, meeting.hostKey] as const,
  );
  await joinMeeting(p, meeting.joinUrl);
}

/** Decoded frames per remote video track, by source (camera, screen). */
export function remoteVideoBySource(
  page: Page,
): Promise<{ participantId: string; source: string; framesDecoded: number; frameWidth: number }[]> {
  return page.evaluate(async () => {
    interface Track {
      participantId: string;
      kind: string;
      source: string;
      track: MediaStreamTrack;
    }
    const room = (
      window as unknown as {
        conclave?: {
          room: { peerConnections: { subscribe?: RTCPeerConnection }; remoteTracks: Track[] };
        };
      }
    ).conclave?.room;
    const pc = room?.peerConnections.subscribe;
    if (!room || !pc) return [];
    const owner = new Map(
      room.remoteTracks.filter((t) => t.kind === 'video').map((t) => [t.track.id, t]),
    );
    const out: {
      participantId: string;
      source: string;
      framesDecoded: number;
      frameWidth: number;
    }[] = [];
    (await pc.getStats()).forEach((s: Record<string, unknown>) => {
      const t =
        s.type === 'inbound-rtp' && s.kind === 'video'
          ? owner.get(s.trackIdentifier as string)
          : undefined;
      if (t)
        out.push({
          participantId: t.participantId,
          source: t.source,
          framesDecoded: (s.framesDecoded as number) ?? 0,
          frameWidth: (s.frameWidth as number) ?? 0,
        });
    });
    return out;
  });
}

/**
 * Measured inside the page (no test-harness delay): resolves with Date.now() when every named
 * remote participant has a decoded video frame. `connected: true` also reports when both of
 * this page's PeerConnections became connected.
 */
export function firstVideoDecodedAt(
  page: Page,
  names: string[],
  timeoutMs: number,
  connected = false,
): Promise<{ connectedAt: number; decodedAt: number }> {
  return page.evaluate(
    async ({ names, timeoutMs, connected }) => {
      interface Track {
        participantId: string;
        kind: string;
        track: MediaStreamTrack;
      }
      interface Room {
        peerConnections: { publish?: RTCPeerConnection; subscribe?: RTCPeerConnection };
        remoteTracks: Track[];
        participants: { id: string; displayName: string }[];
      }
      const room = (window as unknown as { conclave: { room: Room } }).conclave.room;
      const deadline = Date.now() + timeoutMs;
      const sleep = () => new Promise((r) => setTimeout(r, 20));
      let connectedAt = 0;
      if (connected) {
        while (!(
          room.peerConnections.publish?.connectionState === 'connected' &&
          room.peerConnections.subscribe?.connectionState === 'connected'
        )) {
          if (Date.now() > deadline + 20_000) throw new Error('not connected');
          await sleep();
        }
        connectedAt = Date.now();
      }
      for (;;) {
        const pc = room.peerConnections.subscribe;
        const decoded = new Set<string>();
        if (pc) {
          const owner = new Map(
            room.remoteTracks
              .filter((t) => t.kind === 'video')
              .map((t) => [t.track.id, t.participantId]),
          );
          (await pc.getStats()).forEach((s: Record<string, unknown>) => {
            const id =
              s.type === 'inbound-rtp' ? owner.get(s.trackIdentifier as string) : undefined;
            const name = room.participants.find((p) => p.id === id)?.displayName;
            if (name && ((s.framesDecoded as number) ?? 0) > 0) decoded.add(name);
          });
        }
        if (names.every((n) => decoded.has(n))) return { connectedAt, decodedAt: Date.now() };
        // timed from connecting when asked to wait for it, else from the call
        if (Date.now() > (connected ? connectedAt + timeoutMs : deadline))
          throw new Error(`no video from ${names.filter((n) => !decoded.has(n)).join(', ')}`);
        await sleep();
      }
    },
    { names, timeoutMs, connected },
  );
}

/** A host ends the meeting from the Leave menu; the confirmation dialog comes next. */
export async function chooseEndForAll(p: Participant): Promise<void> {
  await p.page
    .getByRole('navigation', { name: 'Meeting controls' })
    .getByRole('button', { name: 'Leave' })
    .click();
  await p.page.getByRole('menuitem', { name: 'End meeting for all' }).click();
}

/** Whether this person's Leave button is a menu that offers "End meeting for all" (hosts). */
export async function offersEndForAll(p: Participant): Promise<boolean> {
  const leave = p.page
    .getByRole('navigation', { name: 'Meeting controls' })
    .getByRole('button', { name: 'Leave' });
  if ((await leave.getAttribute('aria-haspopup')) !== 'menu') return false;
  await leave.click();
  const item = p.page.getByRole('menuitem', { name: 'End meeting for all' });
  await item.waitFor({ timeout: 5_000 }).catch(() => undefined);
  const offered = await item.isVisible();
  await p.page.keyboard.press('Escape');
  return offered;
}
