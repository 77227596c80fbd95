import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  e2eeView,
  eventually,
  hostNewMeeting,
  joinMeeting,
  newParticipant,
  remoteStats,
  selfId,
  turnOnE2ee,
  waitForE2eeShield,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { serverAndChromium } from '../support/browser-suite';

// Someone drops out and comes back, again and again, in a long meeting. The SFU reuses the
// m-lines of the streams that ended, so the host's subscribe SDP stays the size of the room;
// the reused m-lines must show the newcomer's video, under their name, never the old stream.

/** m-lines and the sendonly/inactive split of the host's last subscribe offer. */
function subscribeMLines(page: Page): Promise<{ total: number; inactive: number }> {
  return page.evaluate(() => {
    const room = (
      window as unknown as {
        conclave: { room: { peerConnections: { subscribe?: RTCPeerConnection } } };
      }
    ).conclave.room;
    const sdp = room.peerConnections.subscribe?.remoteDescription?.sdp ?? '';
    const sections = sdp.split(/\r\n(?=m=)/).slice(1);
    return {
      total: sections.length,
      inactive: sections.filter((s) => /^a=inactive$/m.test(s)).length,
    };
  });
}

/** Frames the host's tile for `name` has shown, read from its <video> element. */
function tileFrames(page: Page, name: string): Promise<number> {
  return page
    .getByRole('figure', { name, exact: true })
    .getByLabel(`Video of ${name}`)
    .evaluate((v: HTMLVideoElement) =>
      v.videoWidth > 0 ? v.getVideoPlaybackQuality().totalVideoFrames : 0,
    )
    .catch(() => 0);
}

describe('people leaving and rejoining, in real browsers', () => {
  const suite = serverAndChromium({ media: { workers: 1, keyframeRequestMinIntervalMs: 500 } });
  let host: Participant;
  let invite: string;
  let cycle = 0;
  const counts: number[] = [];
  const hostErrors: string[] = [];

  beforeAll(async () => {
    host = await newParticipant(suite.browser, 'Hana Host');
    host.page.on('pageerror', (err) => hostErrors.push(err.message));
    invite = await hostNewMeeting(host, suite.server.url);
  });

  afterAll(async () => {
    console.info(`host subscribe m-lines after each rejoin: ${counts.join(', ')}`);
  });

  /** A guest joins, the host decodes them live under their name, the guest leaves. */
  const rejoinOnce = async (opts: { e2ee?: boolean } = {}) => {
    const name = `Bob ${++cycle}`;
    const bob = await newParticipant(suite.browser, name);
    await joinMeeting(bob, invite);
    if (opts.e2ee) await waitForE2eeShield(bob);
    const bobId = await selfId(bob);

    const stats = await eventually(
      () => remoteStats(host.page),
      (s) => s.some((x) => x.participantId === bobId && x.framesDecoded > 5),
      20_000,
    );
    // The host's view names only the present guest, whatever mids they arrived on.
    expect(stats.map((s) => s.name)).toEqual([name]);
    const shown = await eventually(
      () => tileFrames(host.page, name),
      (n) => n > 5,
      10_000,
    );
    expect(shown, `video frames in ${name}'s tile`).toBeGreaterThan(5);
    const later = await eventually(
      () => tileFrames(host.page, name),
      (n) => n > shown,
      5_000,
    );
    expect(later, `${name}'s video is live`).toBeGreaterThan(shown);
    const lines = await subscribeMLines(host.page);
    counts.push(lines.total);

    await bob.page.getByRole('button', { name: 'Leave' }).click();
    await host.page
      .locator(`[data-testid="tile"][data-participant-id="${bobId}"]`)
      .waitFor({ state: 'detached', timeout: 5000 });
    await bob.context.close();
    // The host is offered (and answers) Bob's m-lines as inactive before the next one joins.
    const retired = await eventually(
      () => subscribeMLines(host.page),
      (l) => l.inactive === l.total,
      5_000,
      100,
    );
    expect(retired.inactive, 'm-lines inactive after leaving').toBe(retired.total);
    return lines;
  };

  it('a guest who leaves and rejoins 3 times is shown live under their new name; the subscribe SDP keeps 2 m-lines', async () => {
    for (let i = 0; i < 3; i++) {
      const lines = await rejoinOnce();
      expect(lines).toEqual({ total: 2, inactive: 0 });
    }
    expect(hostErrors).toEqual([]);
  });

  it('with E2EE on, a guest rejoining on reused m-lines is decrypted and shown live', async () => {
    await turnOnE2ee(host);
    await waitForE2eeShield(host);
    for (let i = 0; i < 2; i++) {
      const before = (await e2eeView(host)).counters?.decrypted ?? 0;
      const lines = await rejoinOnce({ e2ee: true });
      expect(lines).toEqual({ total: 2, inactive: 0 });
      const counters = (await e2eeView(host)).counters;
      // Frames were decrypted by the transforms put on the two receivers in the first cycle.
      expect(counters?.decrypted).toBeGreaterThan(before);
      expect(counters?.receivers).toBe(2);
    }
    // A receiver that comes back to life gets no second transform (that would throw).
    expect(hostErrors).toEqual([]);
  });
});
