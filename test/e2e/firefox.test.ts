import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodingAll,
  e2eeView,
  eventually,
  hostNewMeeting,
  launchChromium,
  newParticipant,
  readSecurityCode,
  turnOnE2ee,
  waitForE2eeShield,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { joinInFirefox, launchFirefox, waitForText } from '../support/firefox';
import type { FirefoxParticipant } from '../support/firefox';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Firefox ESR (Debian's, over WebDriver BiDi) in the meeting flows that matter most (issue 17):
// it joins a Chromium host and both see each other; end-to-end encryption turns on with both,
// and both show the same security code. Chromium and Firefox stay supported by test.

/** Video frames Firefox decoded from each remote, read from its subscribe PeerConnection. */
function firefoxDecoded(f: FirefoxParticipant): Promise<number> {
  return f.page.evaluate(async () => {
    const room = (
      window as unknown as {
        conclave?: { room: { peerConnections: { subscribe?: RTCPeerConnection } } };
      }
    ).conclave?.room;
    const pc = room?.peerConnections.subscribe;
    if (!pc) return 0;
    let frames = 0;
    (await pc.getStats()).forEach((s: Record<string, unknown>) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video')
        frames += (s.framesDecoded as number | undefined) ?? 0;
    });
    return frames;
  });
}

/** Whether Firefox's answer to the SFU's subscribe offer kept `rtx` (RFC 4588). */
function firefoxAcceptsRtx(f: FirefoxParticipant): Promise<boolean> {
  return f.page.evaluate(() => {
    const room = (
      window as unknown as {
        conclave?: { room: { peerConnections: { subscribe?: RTCPeerConnection } } };
      }
    ).conclave?.room;
    return / rtx\/90000/.test(room?.peerConnections.subscribe?.currentLocalDescription?.sdp ?? '');
  });
}

/**
 * Why Firefox may decode nothing, for a failure message: what the SFU sends it (layers, counters,
 * downlink estimate) and what its subscribe PeerConnection reports (state, inbound counters).
 */
async function firefoxReceiveReport(server: TestServer, f: FirefoxParticipant): Promise<string> {
  const page = await f.page.evaluate(async () => {
    const room = (
      window as unknown as {
        conclave?: {
          room: { selfId?: string; peerConnections: { subscribe?: RTCPeerConnection } };
        };
      }
    ).conclave?.room;
    const pc = room?.peerConnections.subscribe;
    const stats: Record<string, unknown>[] = [];
    if (pc)
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp' || (s.type === 'candidate-pair' && s.nominated)) {
          const { type, kind, packetsReceived, bytesReceived, framesDecoded, pliCount, state } = s;
          stats.push({
            type,
            kind,
            packetsReceived,
            bytesReceived,
            framesDecoded,
            pliCount,
            state,
          });
        }
      });
    return {
      url: location.pathname,
      selfId: room?.selfId ?? null,
      state: pc ? `${pc.connectionState}/${pc.iceConnectionState}` : 'no subscribe PeerConnection',
      stats,
    };
  });
  const meetingId = page.url.split('/m/')[1];
  const room = meetingId ? await server.rooms.room(meetingId as never) : undefined;
  const sent =
    room && page.selfId ? await room.subscriberMediaStats(page.selfId as never) : undefined;
  return JSON.stringify({ firefox: page, sfuSendsFirefox: sent ?? null });
}

function firefoxE2ee(f: FirefoxParticipant): Promise<{ status: string; code: string | null }> {
  return f.page.evaluate(() => {
    const v = (
      window as unknown as {
        conclave: {
          room: {
            e2ee: {
              view: {
                meeting: { status: string };
                local: { securityCode: string | null; encrypting: boolean } | null;
              };
            };
          };
        };
      }
    ).conclave.room.e2ee.view;
    return { status: v.meeting.status, code: v.local?.securityCode ?? null };
  });
}

describe('Firefox ESR with a Chromium host', () => {
  let server: TestServer;
  let chromium: Browser;
  let host: Participant;
  let fred: FirefoxParticipant;
  let invite: string;
  let fredJoined = false;

  beforeAll(async () => {
    server = await startTestServer();
    chromium = await launchChromium();
    host = await newParticipant(chromium, 'Hana Host');
    invite = await hostNewMeeting(host, server.url);
    fred = await launchFirefox('Fred Firefox');
  });
  afterAll(async () => {
    await fred?.close();
    await chromium?.close();
    await server?.stop();
  });

  it('Firefox joins and both decode each other’s video', async () => {
    // a retry starts from a fresh Firefox (the failed attempt's page is already in the meeting)
    if (fredJoined) {
      await fred.close();
      fred = await launchFirefox('Fred Firefox');
    }
    fredJoined = true;
    await joinInFirefox(fred, invite);
    await decodingAll(host, 1, 30_000);
    const frames = await eventually(
      () => firefoxDecoded(fred),
      (n) => n > 10,
      30_000,
    );
    const report = frames > 10 ? '' : await firefoxReceiveReport(server, fred);
    expect(frames, `Firefox decodes the Chromium host ${report}`).toBeGreaterThan(10);
    // the SFU retransmits on RTX (RFC 4588) to whoever accepts it (byte-identical otherwise)
    expect(await firefoxAcceptsRtx(fred), "Firefox's subscribe answer keeps rtx").toBe(true);
  });

  it('at 1280x800 the toolbar is one row in Firefox too (Leave does not wrap)', async () => {
    await fred.page.setViewport({ width: 1280, height: 800 });
    const row = await eventually(
      () =>
        fred.page.evaluate(() => {
          const nav = document.querySelector('nav[aria-label="Meeting controls"]')!;
          const mids = [...nav.querySelectorAll('button')]
            .filter((b) => b.offsetParent !== null)
            .map((b) => {
              const r = b.getBoundingClientRect();
              return Math.round(r.top + r.height / 2);
            });
          return {
            spread: Math.max(...mids) - Math.min(...mids),
            overflow: nav.scrollWidth - nav.clientWidth,
          };
        }),
      (r) => r.spread <= 4 && r.overflow <= 0,
      5000,
    );
    expect(row.spread).toBeLessThanOrEqual(4);
    expect(row.overflow).toBeLessThanOrEqual(0);
    // The gallery in Firefox: 16:9 tiles, the host's video whole (letterboxed), on screen.
    const tiles = await eventually(
      () =>
        fred.page.evaluate(() =>
          [...document.querySelectorAll<HTMLElement>('[data-testid="tile"]')].map((t) => {
            const r = t.getBoundingClientRect();
            const v = t.querySelector('video');
            return {
              ratio: r.width / r.height,
              bottom: r.bottom,
              right: r.right,
              fit: v ? getComputedStyle(v).objectFit : 'none',
              frames: v ? v.videoWidth : 0,
            };
          }),
        ),
      (ts) => ts.length === 2 && ts.every((t) => t.frames > 0),
      10_000,
    );
    for (const t of tiles) {
      expect(Math.abs(t.ratio / (16 / 9) - 1)).toBeLessThan(0.02);
      expect(t.fit).toBe('contain');
      expect(t.right).toBeLessThanOrEqual(1280);
      expect(t.bottom).toBeLessThanOrEqual(800);
    }
  });

  it('E2EE on with both: Firefox shows the shield, both hold the same security code, media flows', async () => {
    await turnOnE2ee(host);
    await waitForE2eeShield(host, 30_000);
    await waitForText(fred.page, 'End-to-end encrypted', 30_000);
    const code = await readSecurityCode(host);
    const ff = await eventually(
      () => firefoxE2ee(fred),
      (v) => v.code !== null && v.status === 'on',
      20_000,
    );
    expect(ff.code).toBe((await e2eeView(host)).securityCode);
    expect(code.replace(/\s+/g, ' ')).toContain((ff.code ?? '').split(/\s+/)[0]);
    const before = await firefoxDecoded(fred);
    const after = await eventually(
      () => firefoxDecoded(fred),
      (n) => n > before + 10,
      20_000,
    );
    const report = after > before + 10 ? '' : await firefoxReceiveReport(server, fred);
    expect(after, `Firefox still decodes, now through SFrame ${report}`).toBeGreaterThan(
      before + 10,
    );
    await decodingAll(host, 1, 20_000);
    expect(fred.errors, 'no errors in Firefox').toEqual([]);
  });
});
