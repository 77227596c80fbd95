import { decodeHeader, unpackKid } from '@conclave/e2ee';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  e2eeView,
  eventually,
  remoteStats,
  selfId,
  turnOnE2ee,
  waitForE2eeShield,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { hostWithGuests, serverAndChromium } from '../support/browser-suite';

// What the server can see of the media, with E2EE off and on (a test-only inspection hook in
// the SFU), and what a device with wrong or no keys gets.

interface Sample {
  kind: 'audio' | 'video';
  payloadHead: string;
  keyframeBit?: boolean;
}

function bytes(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

/** The SFrame header at `offset`, if it parses (and names epoch `epoch`, when given). */
function sframeAt(
  payload: Uint8Array,
  offset: number,
  epoch?: number,
): { kid: bigint; ctr: bigint } | undefined {
  try {
    const h = decodeHeader(payload.subarray(offset));
    const parts = unpackKid(h.kid);
    if (parts.context !== 0n || (epoch !== undefined && parts.epochBits !== (epoch & 0xf)))
      return undefined;
    return { kid: h.kid, ctr: h.ctr };
  } catch {
    return undefined;
  }
}

const sframeHeaders = (kind: 'audio' | 'video', samples: Sample[], epoch?: number) =>
  samples.map((s) =>
    sframeAt(bytes(s.payloadHead), kind === 'audio' ? 0 : s.keyframeBit ? 10 : 3, epoch),
  );

/**
 * Sealed frames: each parses as SFrame after the clear bytes, one key id, no counter used twice
 * (RFC 9605 §4.4: a counter is a nonce). Not necessarily in counter order: the SFU records frame
 * starts as they arrive, so a retransmitted one (NACK/RTX) or another simulcast layer's, paced
 * apart by the browser, can come after a later frame.
 */
function looksSealed(kind: 'audio' | 'video', samples: Sample[], epoch?: number): boolean {
  const headers = sframeHeaders(kind, samples, epoch);
  if (!headers.every(Boolean)) return false;
  if (new Set(headers.map((h) => h!.kid)).size !== 1) return false;
  return new Set(headers.map((h) => h!.ctr)).size === headers.length;
}

/** What the samples parse as, for a failure message: kid/ctr, or "plain". */
const describeSamples = (kind: 'audio' | 'video', samples: Sample[]) =>
  sframeHeaders(kind, samples)
    .map((h) => (h ? `${h.kid}/${h.ctr}` : 'plain'))
    .join(' ');

describe('what the server sees, in real browsers', () => {
  const suite = serverAndChromium({
    media: { workers: 1, keyframeRequestMinIntervalMs: 500, inspection: true },
  });
  let host: Participant;
  let bob: Participant;
  let carol: Participant;
  let meetingId: string;

  beforeAll(async () => {
    let invite: string;
    ({
      host,
      invite,
      guests: [bob, carol],
    } = await hostWithGuests(suite, ['Bob', 'Carol']));
    meetingId = invite.split('/m/')[1]!;
    for (const p of [host, bob, carol])
      await eventually(
        () => remoteStats(p.page),
        (s) => s.length === 2 && s.every((x) => x.framesDecoded > 0),
        30_000,
      );
  });

  const inspect = async () =>
    await (await suite.server.rooms.room(meetingId as never))!.inspectMedia();

  it('with E2EE off the SFU forwards plain VP8 and Opus', async () => {
    await host.page.evaluate(() =>
      (
        window as unknown as {
          conclave: { room: { signal: { request(m: object): Promise<unknown> } } };
        }
      ).conclave.room.signal.request({ type: 'media.keyFrameRequest', scope: 'own' }),
    );
    const media = await eventually(
      inspect,
      (m) =>
        m.some((x) => x.kind === 'video' && (x.samples as Sample[]).some((s) => s.keyframeBit)),
      10_000,
    );
    for (const track of media) {
      const samples = track.samples as Sample[];
      expect(track.samplesError, `${track.displayName} ${track.kind}`).toBeNull();
      expect(samples.length, `${track.displayName} ${track.kind}`).toBeGreaterThan(0);
      if (track.kind === 'video') {
        for (const s of samples.filter((x) => x.keyframeBit)) {
          const p = bytes(s.payloadHead);
          expect([...p.subarray(3, 6)], 'VP8 keyframe start code').toEqual([0x9d, 0x01, 0x2a]);
        }
      } else {
        // Plain Opus: the TOC byte (RFC 6716 §3.1) takes a few values (the encoder moves between
        // a handful of configurations); ciphertext would spread over ~50 of 256 in 64 packets.
        const tocs = new Set(samples.map((x) => bytes(x.payloadHead)[0]!));
        expect(tocs.size, 'a few Opus configurations').toBeLessThanOrEqual(8);
      }
      expect(
        looksSealed(track.kind, samples.slice(-20)),
        `${track.displayName} ${track.kind} is not sealed`,
      ).toBe(false);
    }
  });

  it('with E2EE on every forwarded frame is SFrame ciphertext: VP8 keeps only its clear header, Opus none', async () => {
    // A retry (the suite retries once under load) finds E2EE already on.
    if ((await e2eeView(host)).status !== 'on') await turnOnE2ee(host);
    for (const p of [host, bob, carol]) await waitForE2eeShield(p);
    const epoch = (await e2eeView(host)).epoch!;
    await new Promise((r) => setTimeout(r, 2500)); // ring buffers fill with post-switch frames
    const media = await inspect();
    for (const track of media) {
      const samples = (track.samples as Sample[]).slice(-20);
      expect(track.samplesError, `${track.displayName} ${track.kind}`).toBeNull();
      expect(samples.length).toBeGreaterThan(0);
      expect(
        looksSealed(track.kind, samples, epoch),
        `${track.displayName} ${track.kind}: SFrame in epoch ${epoch} (${describeSamples(track.kind, samples)})`,
      ).toBe(true);
      if (track.kind === 'video') {
        for (const s of samples.filter((x) => x.keyframeBit)) {
          const p = bytes(s.payloadHead);
          // The start code is in the 10 clear bytes only; the VP8 data after them is sealed.
          const after = Buffer.from(p.subarray(10)).toString('hex');
          expect(after.includes('9d012a')).toBe(false);
        }
      }
    }
  });

  it('a device with wrong keys decodes nothing, the others are unaffected, and publishers are not flooded with keyframe requests', async () => {
    await carol.page.evaluate(() =>
      (
        window as unknown as {
          conclave: { room: { e2ee: { corruptReceiveKeysForTest(): Promise<void> } } };
        }
      ).conclave.room.e2ee.corruptReceiveKeysForTest(),
    );
    await new Promise((r) => setTimeout(r, 1000));
    const before = await remoteStats(carol.page);
    const bobBefore = await remoteStats(bob.page);
    const pliBefore = new Map(
      (await inspect()).map((t) => [`${t.participantId}/${t.kind}`, t.stats.pliSent]),
    );
    const windowMs = 8000;
    await new Promise((r) => setTimeout(r, windowMs));
    const after = await remoteStats(carol.page);
    for (const a of after) {
      const b = before.find((x) => x.participantId === a.participantId);
      expect(
        a.framesDecoded - (b?.framesDecoded ?? 0),
        `Carol decodes nothing from ${a.name}`,
      ).toBe(0);
    }
    const bobAfter = await remoteStats(bob.page);
    for (const a of bobAfter) {
      const b = bobBefore.find((x) => x.participantId === a.participantId);
      expect(
        a.framesDecoded - (b?.framesDecoded ?? 0),
        `Bob still decodes ${a.name}`,
      ).toBeGreaterThan(30);
    }
    for (const t of await inspect()) {
      if (t.kind !== 'video') continue;
      const sent = t.stats.pliSent - (pliBefore.get(`${t.participantId}/${t.kind}`) ?? 0);
      // At most one keyframe request per 500 ms reaches a publisher, whatever Carol does.
      expect(sent, `keyframe requests reaching ${t.displayName}`).toBeLessThanOrEqual(
        windowMs / 500 + 2,
      );
    }
  });

  it('a removed member kept subscribed by the server decodes 0 frames after the key change', async () => {
    const bobId = await selfId(bob);
    const before = await e2eeView(host);
    const room = await suite.server.rooms.room(meetingId as never);
    room!.dropFromE2eeKeepMedia(bobId as never);
    // The others commit Bob's removal; the SFU keeps forwarding to him.
    await eventually(
      () => e2eeView(host),
      (v) => (v.epoch ?? 0) > (before.epoch ?? 0),
      10_000,
    );
    await eventually(
      () => e2eeView(bob),
      (v) => v.epoch === null,
      10_000,
    );
    await new Promise((r) => setTimeout(r, 1500)); // the senders' key switch and the grace
    const mid = await remoteStats(bob.page);
    await new Promise((r) => setTimeout(r, 4000));
    const end = await remoteStats(bob.page);
    for (const e of end) {
      const m = mid.find((x) => x.participantId === e.participantId);
      expect(
        e.framesDecoded - (m?.framesDecoded ?? 0),
        `removed Bob decodes nothing from ${e.name}`,
      ).toBe(0);
    }
    const hostStats = await remoteStats(host.page);
    expect(hostStats.find((x) => x.name === 'Carol')).toBeDefined();
  });
});
