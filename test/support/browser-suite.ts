import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { hostNewMeeting, joinMeeting, launchChromium, newParticipant } from './browser';
import type { Participant } from './browser';
import { startTestServer, type TestServer } from './test-server';

/** The server and the Chromium a browser test file shares: set once its first hook has run. */
export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
}

/**
 * Starts a test server and one Chromium before the file's tests (ahead of the file's own
 * `beforeAll`, which may use them) and closes both after them.
 */
export const serverAndChromium = (
  ...serverArgs: Parameters<typeof startTestServer>
): BrowserSuite => {
  const suite: { server?: TestServer; browser?: Browser } = {};
  beforeAll(async () => {
    suite.server = await startTestServer(...serverArgs);
    suite.browser = await launchChromium();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return {
    get server() {
      if (!suite.server) throw new Error('serverAndChromium: the server is not started yet');
      return suite.server;
    },
    get browser() {
      if (!suite.browser) throw new Error('serverAndChromium: Chromium is not started yet');
      return suite.browser;
    },
  };
};

/** A meeting the host started from the home page, with guests joined by its invite link. */
export interface HostedMeeting<Guests> {
  host: Participant;
  invite: string;
  guests: Guests;
}

/** "Hana Host" creates and starts a meeting on the home page; each guest opens the invite. */
export async function hostWithGuests<const Names extends readonly string[]>(
  suite: BrowserSuite,
  guestNames: Names,
): Promise<HostedMeeting<{ -readonly [K in keyof Names]: Participant }>> {
  const host = await newParticipant(suite.browser, 'Hana Host');
  const invite = await hostNewMeeting(host, suite.server.url);
  const guests: Participant[] = [];
  for (const name of guestNames) guests.push(await newParticipant(suite.browser, name));
  for (const guest of guests) await joinMeeting(guest, invite);
  return { host, invite, guests: guests as { -readonly [K in keyof Names]: Participant } };
}
