// Browser rows of `npm run bench:e2ee-meeting`: a test server and one Chromium with the host in a
// new meeting and Bob joined by its invite link; both are stopped when the row is done.
import type { Browser } from 'playwright-core';
import {
  hostNewMeeting,
  joinMeeting,
  launchChromium,
  newParticipant,
} from '../../test/support/browser';
import type { Participant } from '../../test/support/browser';
import { startTestServer } from '../../test/support/test-server';

export interface TwoInBrowsers {
  browser: Browser;
  host: Participant;
  bob: Participant;
  invite: string;
}

export async function withTwoInBrowsers<T>(row: (m: TwoInBrowsers) => Promise<T>): Promise<T> {
  const server = await startTestServer();
  const browser = await launchChromium();
  try {
    const host = await newParticipant(browser, 'Host');
    const invite = await hostNewMeeting(host, server.url);
    const bob = await newParticipant(browser, 'Bob');
    await joinMeeting(bob, invite);
    return await row({ browser, host, bob, invite });
  } finally {
    await browser.close();
    await server.stop();
  }
}
