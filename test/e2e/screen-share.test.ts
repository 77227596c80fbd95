import { beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  remoteVideoBySource,
  selfId,
  turnOnE2ee,
  waitForE2eeShield,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { hostWithGuests, serverAndChromium } from '../support/browser-suite';

// Chromium's fake capture gives getDisplayMedia a 1280x720 "screen" under these test flags.
describe('screen sharing in real browsers', () => {
  const suite = serverAndChromium();
  let host: Participant;
  let bob: Participant;

  beforeAll(async () => {
    ({
      host,
      guests: [bob],
    } = await hostWithGuests(suite, ['Bob']));
  });

  const screenFrames = async (viewer: Participant, sharer: Participant) => {
    const id = await selfId(sharer);
    const v = await remoteVideoBySource(viewer.page);
    return v.find((x) => x.participantId === id && x.source === 'screen');
  };

  it('a shared screen is decoded by the others and shown large, with the camera still going', async () => {
    await bob.page.getByRole('button', { name: 'Share screen' }).click();
    await bob.page.getByTestId('own-share-notice').waitFor();
    // The sharer sees what they share, not a black box (issue 17).
    const ownWidth = await eventually(
      () =>
        bob.page.evaluate(
          () =>
            document.querySelector<HTMLVideoElement>('video[aria-label="Your shared screen"]')
              ?.videoWidth ?? 0,
        ),
      (w) => w > 0,
      10_000,
    );
    expect(ownWidth).toBeGreaterThan(0);
    const s = await eventually(
      () => screenFrames(host, bob),
      (x) => (x?.framesDecoded ?? 0) > 0 && (x?.frameWidth ?? 0) > 0,
      20_000,
    );
    expect(s?.frameWidth).toBeGreaterThan(0);
    await host.page.getByTestId('shared-screen').waitFor();
    await host.page.getByText('Bob is sharing their screen').waitFor();
    // the camera keeps going: its tile may be renewed by the re-offer that added the share
    const cams = await eventually(
      () => remoteVideoBySource(host.page),
      (v) => v.some((c) => c.source === 'camera' && c.framesDecoded > 0),
      10_000,
    );
    expect(cams.some((c) => c.source === 'camera' && c.framesDecoded > 0)).toBe(true);
  });

  it('the host stops the share: the sharer is told and the large view goes away', async () => {
    await host.page.getByRole('button', { name: /^Participants/ }).click();
    await host.page.getByRole('button', { name: "Stop Bob's screen share" }).click();
    await bob.page.getByRole('button', { name: 'Share screen' }).waitFor({ timeout: 5000 });
    await bob.page.getByText('The host stopped your screen share.').waitFor();
    await host.page.getByTestId('shared-screen').waitFor({ state: 'detached', timeout: 5000 });
  });

  it('with E2EE on, a new share is still decoded (it is media like any other)', async () => {
    await turnOnE2ee(host);
    await waitForE2eeShield(bob);
    const before = (await screenFrames(host, bob))?.framesDecoded ?? 0;
    await bob.page.getByRole('button', { name: 'Share screen' }).click();
    await host.page.getByTestId('shared-screen').waitFor({ timeout: 15_000 });
    const s = await eventually(
      () => screenFrames(host, bob),
      (x) => (x?.framesDecoded ?? 0) > before + 3,
      20_000,
    );
    expect(s?.framesDecoded).toBeGreaterThan(before + 3);
    await bob.page.getByRole('button', { name: 'Stop sharing' }).click();
    await host.page.getByTestId('shared-screen').waitFor({ state: 'detached', timeout: 5000 });
  });

  it('a share that cannot start says why (no screen found), not "not available in this browser"', async () => {
    await host.page.evaluate(() => {
      navigator.mediaDevices.getDisplayMedia = () =>
        Promise.reject(new DOMException('No source', 'NotFoundError'));
    });
    await host.page.getByRole('button', { name: 'Share screen' }).click();
    await host.page.getByText('No screen, window or tab was found to share.').waitFor();
    await expect(
      host.page.getByText('Screen sharing is not available in this browser.').count(),
    ).resolves.toBe(0);
  });
});
