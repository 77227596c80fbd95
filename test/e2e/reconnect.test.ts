import { describe, expect, it } from 'vitest';
import {
  createMeeting,
  eventually,
  joinMeeting,
  newParticipant,
  remoteStats,
  selfId,
} from '../support/browser';
import { serverAndChromium } from '../support/browser-suite';

describe('connection loss in real browsers', () => {
  const suite = serverAndChromium();

  it('a dropped connection shows a countdown and comes back as the same participant with the same tile', async () => {
    const { joinUrl } = await createMeeting(suite.server.url);
    const a = await newParticipant(suite.browser, 'Ann');
    const b = await newParticipant(suite.browser, 'Ben');
    await joinMeeting(a, joinUrl);
    await joinMeeting(b, joinUrl);
    const aId = await selfId(a);
    await eventually(
      () => remoteStats(b.page),
      (s) => s.some((x) => x.participantId === aId && x.framesDecoded > 0),
    );

    suite.server.signaling.dropAll();
    await a.page
      .getByTestId('connection-banner')
      .filter({ hasText: /Reconnecting/ })
      .waitFor({ timeout: 5000 });
    await a.page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 15_000 });

    expect(await selfId(a)).toBe(aId);
    await expect(
      b.page.locator(`[data-testid="tile"][data-participant-id="${aId}"]`).count(),
    ).resolves.toBe(1);
    const after = await eventually(
      () => remoteStats(b.page),
      (s) => s.some((x) => x.participantId === aId && x.framesDecoded > 0),
      15_000,
    );
    expect(after.find((x) => x.participantId === aId)?.framesDecoded).toBeGreaterThan(0);
    await a.context.close();
    await b.context.close();
  });
});
