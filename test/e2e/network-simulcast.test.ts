import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, eventually, hostNewMeeting, joinMeeting, selfId } from '../support/browser';
import type { Participant } from '../support/browser';
import { NetnsLab, netnsUnavailable } from '../support/netns';
import type { Netns } from '../support/netns';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Real networks: three Chromiums, each in its own network namespace behind a veth pair, with a
// moving 640x480 camera (ffmpeg's testsrc2 as a y4m file). One link at a time is shaped with
// `tc tbf` and made lossy with nftables. What a person on that link, and the others, must see:
// the SFU's simulcast, downlink estimate and keyframe policy at work (issue 16).

// Runs wherever it can: as root with `ip`, `tc` and `nft` (CI installs iproute2 and nftables).
// Otherwise, or with CONCLAVE_TEST_NETNS=0, it says why it skipped.
const unavailable =
  process.env.CONCLAVE_TEST_NETNS === '0' ? 'CONCLAVE_TEST_NETNS=0' : netnsUnavailable();
const enabled = unavailable === undefined;
if (!enabled) console.log(`network-simulcast: skipped (${unavailable})`);
const SUBNET = '10.213.6';

interface VideoIn {
  name: string;
  framesDecoded: number;
  keyFramesDecoded: number;
  frameHeight: number;
}

/** Inbound video per remote person, from the subscribe PeerConnection's getStats. */
const videoIn = (page: Page): Promise<VideoIn[]> =>
  page.evaluate(async () => {
    interface Room {
      peerConnections: { subscribe?: RTCPeerConnection };
      remoteTracks: { participantId: string; kind: string; track: MediaStreamTrack }[];
      participants: { id: string; displayName: string }[];
    }
    const room = (window as unknown as { conclave?: { room: Room } }).conclave?.room;
    const pc = room?.peerConnections.subscribe;
    if (!room || !pc) return [];
    const owner = new Map(room.remoteTracks.map((t) => [t.track.id, t.participantId]));
    const out: VideoIn[] = [];
    (await pc.getStats()).forEach((s: Record<string, unknown>) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'video') return;
      const id = owner.get(s.trackIdentifier as string);
      const name = room.participants.find((p) => p.id === id)?.displayName;
      if (!name) return;
      out.push({
        name,
        framesDecoded: (s.framesDecoded as number) ?? 0,
        keyFramesDecoded: (s.keyFramesDecoded as number) ?? 0,
        frameHeight: (s.frameHeight as number) ?? 0,
      });
    });
    return out;
  });

interface Window {
  fps: number;
  height: number;
  keyframes: number;
  /** Longest time without a new decoded frame inside the window. */
  freezeSeconds: number;
}

/** One line per viewer for the test log: what was measured, so a run shows its margins. */
const report = (label: string, viewer: string, seen: Map<string, Window>): void => {
  const parts = [...seen].map(
    ([name, w]) =>
      `${name} ${w.height}p ${w.fps.toFixed(1)} fps, ${w.keyframes} key, longest stall ${w.freezeSeconds.toFixed(2)} s`,
  );
  console.log(`network-simulcast: ${label}: ${viewer} sees ${parts.join('; ')}`);
};

/** What `page`'s encoder sends per simulcast layer, and why it limits quality (cpu, bandwidth). */
const videoOut = (page: Page): Promise<string> =>
  page.evaluate(async () => {
    interface Room {
      peerConnections: { publish?: RTCPeerConnection };
    }
    const pc = (window as unknown as { conclave?: { room: Room } }).conclave?.room.peerConnections
      .publish;
    if (!pc) return 'no publish connection';
    const out: string[] = [];
    (await pc.getStats()).forEach((s: Record<string, unknown>) => {
      if (s.type !== 'outbound-rtp' || s.kind !== 'video') return;
      out.push(
        `${(s.rid as string | undefined) ?? '-'} ${(s.frameHeight as number | undefined) ?? 0}p ` +
          `${(s.framesPerSecond as number | undefined) ?? 0} fps ` +
          `limited by ${String(s.qualityLimitationReason)}${s.active === false ? ' (inactive)' : ''}`,
      );
    });
    return out.join(', ');
  });

/**
 * What `page` decoded of each other person over `ms`: frame rate, height, key frames, and the
 * longest stall inside the window (no new frame decoded, sampled every 100 ms; Chromium's
 * totalFreezesDuration would also count a freeze that began before the window).
 */
const measure = async (page: Page, ms: number): Promise<Map<string, Window>> => {
  const samples: { at: number; v: VideoIn[] }[] = [];
  const start = performance.now();
  for (;;) {
    const at = performance.now();
    samples.push({ at, v: await videoIn(page) });
    if (at - start >= ms) break;
    await new Promise((r) => setTimeout(r, Math.min(100, start + ms - at)));
  }
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const span = last.at - first.at;
  const out = new Map<string, Window>();
  for (const later of last.v) {
    const frames = (s: { v: VideoIn[] }) =>
      s.v.find((x) => x.name === later.name)?.framesDecoded ?? 0;
    let stall = 0;
    let lastNewFrameAt = first.at;
    for (let i = 1; i < samples.length; i++) {
      if (frames(samples[i]!) > frames(samples[i - 1]!)) lastNewFrameAt = samples[i]!.at;
      stall = Math.max(stall, samples[i]!.at - lastNewFrameAt);
    }
    const before = first.v.find((x) => x.name === later.name);
    out.set(later.name, {
      fps: ((later.framesDecoded - (before?.framesDecoded ?? 0)) * 1000) / span,
      height: later.frameHeight,
      keyframes: later.keyFramesDecoded - (before?.keyFramesDecoded ?? 0),
      freezeSeconds: stall / 1000,
    });
  }
  return out;
};

describe.skipIf(!enabled)(
  'simulcast and congestion control on shaped links (network namespaces)',
  () => {
    let lab: NetnsLab;
    let dir: string;
    let server: TestServer;
    const browsers: Browser[] = [];
    const people: (Participant & { ns: Netns })[] = [];
    const [ann, ben, cat] = ['Ann', 'Ben', 'Cat'];
    const page = (name: string) => people.find((p) => p.name === name)!.page;
    const ns = (name: string) => people.find((p) => p.name === name)!.ns;

    /**
     * For the log (and a failure's diagnosis): each encoder's layers and quality limitation, the
     * SFU's estimate of `viewer`'s downlink and the layer it forwards of each other person.
     */
    const diagnose = async (label: string, viewer: string): Promise<void> => {
      const p = people.find((x) => x.name === viewer)!;
      const meetingId = await p.page.evaluate(() => location.pathname.split('/m/')[1]!);
      const room = (await server.rooms.room(meetingId as never))!;
      const sent = await room.subscriberMediaStats((await selfId(p)) as never);
      const names = new Map<string, string>();
      for (const x of people) names.set(await selfId(x), x.name);
      const d = sent?.downlink;
      const kbit = (b: number | null | undefined) => (b == null ? '-' : `${Math.round(b / 1000)}k`);
      const tracks = (sent?.tracks ?? [])
        .filter((t) => t.kind === 'video')
        .map(
          (t) =>
            `${names.get(t.participantId) ?? '?'} layer ${t.stats.currentLayer}->${t.stats.targetLayer} (${t.stats.layerSwitches} switches, ${t.stats.pliReceived} PLI)`,
        );
      console.log(
        `network-simulcast: ${label}: SFU -> ${viewer}: estimate ${kbit(d?.availableBitrate)}, video budget ${kbit(d?.videoBudget)}, ` +
          `sending ${kbit(d?.sendBitrate)}, queue ${d?.queuingDelayMs ?? '-'} ms, loss ${((d?.lossFraction ?? 0) * 100).toFixed(1)} %; ${tracks.join('; ')}`,
      );
      for (const x of people) {
        console.log(`network-simulcast: ${label}: ${x.name} encodes ${await videoOut(x.page)}`);
      }
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'sfu-net-'));
      const y4m = join(dir, 'camera.y4m');
      // testsrc2: moving pattern, colour bars and text: detail and motion for the encoder
      execFileSync('ffmpeg', [
        '-loglevel',
        'error',
        '-f',
        'lavfi',
        '-i',
        'testsrc2=size=640x480:rate=24',
        '-t',
        '4',
        '-pix_fmt',
        'yuv420p',
        y4m,
      ]);
      lab = new NetnsLab(SUBNET, 'net-');
      const spaces = ['a', 'b', 'c'].map((l) => lab.add(l));
      server = await startTestServer({ host: spaces[0]!.hostAddr });
      for (const [i, name] of [ann, ben, cat].entries()) {
        const space = spaces[i]!;
        const browser = await chromium.launch({
          executablePath: lab.wrapper(space, process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', dir),
          headless: true,
          args: [
            ...CHROMIUM_ARGS,
            `--use-file-for-fake-video-capture=${y4m}`,
            // not localhost: media devices and WebCrypto need a secure context
            `--unsafely-treat-insecure-origin-as-secure=${server.url}`,
          ],
        });
        browsers.push(browser);
        const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
        await context.addInitScript(() =>
          localStorage.setItem('conclave.videoQuality', 'standard'),
        );
        people.push({ context, page: await context.newPage(), name, ns: space });
      }
      // the invite names the configured public URL (localhost); the others use the veth address
      const meetingId = (await hostNewMeeting(people[0]!, server.url)).split('/m/')[1]!;
      const invite = `${server.url}/m/${meetingId}`;
      await joinMeeting(people[1]!, invite);
      await joinMeeting(people[2]!, invite);
      for (const p of people) {
        await eventually(
          () => videoIn(p.page),
          (v) => v.length === 2 && v.every((x) => x.frameHeight === 480),
          30_000,
        );
      }
    }, 120_000);

    afterAll(async () => {
      for (const b of browsers) await b.close().catch(() => undefined);
      await server?.stop();
      lab?.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /**
     * Every link open and everyone on everyone's top layer: where each shaped test starts, so a
     * retry (the suite retries once) measures what the first attempt did, not a link that has
     * been capped for half a minute already.
     */
    const steadyStart = async (): Promise<void> => {
      lab.uncap(ns(cat), 'down');
      lab.uncap(ns(cat), 'up');
      lab.clearLoss();
      for (const viewer of [ann, ben, cat]) {
        await eventually(
          () => videoIn(page(viewer)),
          (v) => v.length === 2 && v.every((x) => x.frameHeight === 480),
          20_000,
        );
      }
    };

    it('behind a 400 kbit/s downlink with 2 % loss, Cat decodes lower layers at 10 fps or more without freezing, while Ann and Ben keep 640x480', async () => {
      await steadyStart();
      lab.cap(ns(cat), 'down', 400);
      lab.loss(ns(cat), 2);
      await new Promise((r) => setTimeout(r, 10_000));
      const [catSees, annSees, benSees] = await Promise.all([
        measure(page(cat), 5000),
        measure(page(ann), 5000),
        measure(page(ben), 5000),
      ]);
      report('capped downlink', cat, catSees);
      report('capped downlink', ann, annSees);
      report('capped downlink', ben, benSees);
      await diagnose('capped downlink', cat);
      for (const other of [ann, ben]) {
        const w = catSees.get(other)!;
        expect(w.height, `Cat gets a lower layer of ${other}`).toBeLessThan(480);
        expect(w.fps, `Cat's frame rate of ${other}`).toBeGreaterThanOrEqual(10);
        expect(w.freezeSeconds, `Cat's freezes of ${other}`).toBeLessThan(1);
      }
      for (const [viewer, other] of [
        [annSees, ben],
        [benSees, ann],
      ] as const) {
        const w = viewer.get(other)!;
        expect(w.height).toBeGreaterThanOrEqual(360);
        expect(w.fps).toBeGreaterThanOrEqual(20);
      }
    });

    it('when the cap is lifted, Cat is back on the top layer within 15 s', async () => {
      lab.uncap(ns(cat), 'down');
      lab.clearLoss();
      const back = await eventually(
        () => videoIn(page(cat)),
        (v) => v.length === 2 && v.every((x) => x.frameHeight === 480),
        15_000,
      );
      expect(back.map((v) => v.frameHeight)).toEqual([480, 480]);
    });

    it('with 5 % loss on Cat downlink, Ann and Ben receive no more keyframes than before', async () => {
      // A steady start: Ann and Ben on each other's (and Cat's) top layer again after the cap
      // was lifted, so the baseline does not count their own layer switches as Cat's doing.
      for (const viewer of [ann, ben]) {
        await eventually(
          () => videoIn(page(viewer)),
          (v) => v.length === 2 && v.every((x) => x.frameHeight === 480),
          20_000,
        );
      }
      const before = await Promise.all([measure(page(ann), 8000), measure(page(ben), 8000)]);
      lab.loss(ns(cat), 5);
      await new Promise((r) => setTimeout(r, 2000));
      const during = await Promise.all([measure(page(ann), 8000), measure(page(ben), 8000)]);
      lab.clearLoss();
      for (const [i, viewer] of [ann, ben].entries()) {
        report('before 5 % loss on Cat', viewer, before[i]!);
        report('during 5 % loss on Cat', viewer, during[i]!);
        await diagnose('after 5 % loss on Cat', viewer);
      }
      for (const [i, viewer] of [ann, ben].entries()) {
        for (const [other, w] of during[i]!) {
          const base = before[i]!.get(other)!.keyframes;
          expect(w.keyframes, `${viewer}'s keyframes from ${other}`).toBeLessThanOrEqual(base + 1);
        }
      }
    });

    it('behind a capped uplink, the others see Cat at a lower resolution with a steady frame rate, and each other unaffected', async () => {
      // 250 kbit/s: the low layer (90 kbit/s at most) with audio and overhead fits, the top one
      // (600 kbit/s) does not. At 200 kbit/s Chromium's estimate left the low layer ~70 kbit/s and
      // its frame dropper held this detailed test pattern at 9.8-10.2 fps, right at the bound.
      await steadyStart();
      lab.cap(ns(cat), 'up', 250);
      await new Promise((r) => setTimeout(r, 12_000));
      const [annSees, benSees] = await Promise.all([
        measure(page(ann), 5000),
        measure(page(ben), 5000),
      ]);
      report('capped uplink', ann, annSees);
      report('capped uplink', ben, benSees);
      await diagnose('capped uplink', ann);
      for (const [viewer, sees, other] of [
        [ann, annSees, ben],
        [ben, benSees, ann],
      ] as const) {
        const c = sees.get(cat)!;
        expect(c.height, `${viewer} sees Cat at a lower resolution`).toBeLessThan(480);
        expect(c.fps, `${viewer}'s frame rate of Cat`).toBeGreaterThanOrEqual(10);
        expect(c.freezeSeconds).toBeLessThan(1);
        expect(sees.get(other)!.height).toBe(480);
      }
      lab.uncap(ns(cat), 'up');
    });
  },
);
