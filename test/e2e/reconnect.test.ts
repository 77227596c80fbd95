import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMeeting,
  eventually,
  joinMeeting,
  launchChromium,
  newParticipant,
  remoteStats,
  selfId,
} from '../support/browser';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

describe('connection loss in real browsers', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a dropped connection shows a countdown and comes back as the same participant with the same tile', async () => {
    const { joinUrl } = await createMeeting(server.url);
    const a = await newParticipant(browser, 'Ann');
    const b = await newParticipant(browser, 'Ben');
    await joinMeeting(a, joinUrl);
    await joinMeeting(b, joinUrl);
    const aId = await selfId(a);
    await eventually(
      () => remoteStats(b.page),
      (s) => s.some((x) => x.participantId === aId && x.framesDecoded > 0),
    );

    server.signaling.dropAll();
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
