import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hostNewMeeting,
  joinMeeting,
  launchChromium,
  newParticipant,
  turnOnE2ee,
  waitForE2eeShield,
  chooseEndForAll,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { matchedWords, writeSpeechWav } from '../support/speech';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Live captions in real browsers with the real engine: Sam's fake microphone plays a sentence
// spoken by espeak-ng; the server decodes the Opus, PocketSphinx transcribes it, and the host
// sees it under Sam's tile and in the transcript.
describe('live captions in real browsers', () => {
  let server: TestServer;
  let hostBrowser: Browser;
  let speakerBrowser: Browser;
  let host: Participant;
  let sam: Participant;
  let invite: string;
  const dir = mkdtempSync(join(tmpdir(), 'conclave-captions-'));

  beforeAll(async () => {
    server = await startTestServer();
    const wav = writeSpeechWav(join(dir, 'speech.wav'));
    hostBrowser = await launchChromium();
    speakerBrowser = await launchChromium([`--use-file-for-fake-audio-capture=${wav}`]);
    host = await newParticipant(hostBrowser, 'Hana Host');
    invite = await hostNewMeeting(host, server.url);
    // The host's fake microphone beeps; muted, only Sam is captioned.
    await host.page.getByRole('button', { name: 'Mute', exact: true }).click();
    sam = await newParticipant(speakerBrowser, 'Sam Speaker');
    await joinMeeting(sam, invite);
  });
  afterAll(async () => {
    await hostBrowser?.close();
    await speakerBrowser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const openCaptions = async (p: Participant) => {
    if (!(await p.page.getByRole('complementary', { name: 'Live captions' }).isVisible()))
      await p.page.getByRole('button', { name: 'Captions', exact: true }).click();
  };

  it('a participant turns captions on; everyone sees that the server now processes audio', async () => {
    await openCaptions(sam);
    await expect(sam.page.getByLabel('Language').inputValue()).resolves.toBe('en-US');
    await sam.page.getByRole('button', { name: 'Turn on captions' }).click();
    for (const p of [host, sam]) {
      await p.page
        .getByTestId('captions-indicator')
        .filter({ hasText: 'Captions on (turned on by Sam Speaker)' })
        .waitFor({ timeout: 10_000 });
    }
    await host.page.getByText('Sam Speaker turned on live captions.').waitFor();
  });

  it("the speaker's words appear under their tile with their name", async () => {
    const samTile = host.page.getByTestId('tile').filter({ hasText: 'Sam Speaker' });
    const seen = new Set<string>();
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && matchedWords([...seen].join(' ')).length < 2) {
      const caption = samTile.getByTestId('caption');
      if (await caption.isVisible()) seen.add((await caption.textContent()) ?? '');
      await new Promise((r) => setTimeout(r, 300));
    }
    const captions = [...seen];
    expect(captions.length).toBeGreaterThan(0);
    expect(captions.every((c) => c.startsWith('Sam Speaker:'))).toBe(true);
    expect(matchedWords(captions.join(' ')).length).toBeGreaterThanOrEqual(2);
  });

  it('only the host may download the transcript; it has speaker, time and words', async () => {
    await openCaptions(sam);
    await expect(
      sam.page.getByRole('button', { name: 'Download transcript' }).count(),
    ).resolves.toBe(0);
    await openCaptions(host);
    const [download] = await Promise.all([
      host.page.waitForEvent('download'),
      host.page.getByRole('button', { name: 'Download transcript' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^conclave-transcript-\d+\.txt$/);
    const text = readFileSync(await download.path(), 'utf8');
    const lines = text.split('\n').filter((l) => l.startsWith('['));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(line).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\] Sam Speaker: \S/);
    expect(matchedWords(text).length).toBeGreaterThanOrEqual(2);
  });

  it('in a breakout room captions go on: the indicator stays, and only that room reads the words', async () => {
    // Lee listens; the host's browser plays a beep as microphone, so Lee stays muted.
    const lee = await newParticipant(hostBrowser, 'Lee Listener');
    try {
      await joinMeeting(lee, invite);
      await lee.page.getByRole('button', { name: 'Mute', exact: true }).click();
      await host.page.getByRole('button', { name: 'Breakout rooms' }).click();
      await host.page.getByLabel('Room for Sam Speaker').selectOption({ label: 'Room 1' });
      await host.page.getByLabel('Room for Lee Listener').selectOption({ label: 'Room 1' });
      await host.page.getByRole('button', { name: 'Open breakout rooms' }).click();
      for (const p of [sam, lee]) {
        await p.page
          .getByTestId('breakout-status')
          .filter({ hasText: 'You are in breakout room Room 1.' })
          .waitFor({ timeout: 10_000 });
        await p.page
          .getByTestId('captions-indicator')
          .filter({ hasText: 'Captions on (turned on by Sam Speaker)' })
          .waitFor({ timeout: 10_000 });
      }
      const samTile = lee.page.getByTestId('tile').filter({ hasText: 'Sam Speaker' });
      const seen = new Set<string>();
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && matchedWords([...seen].join(' ')).length < 2) {
        const caption = samTile.getByTestId('caption');
        if (await caption.isVisible()) seen.add((await caption.textContent()) ?? '');
        await new Promise((r) => setTimeout(r, 300));
      }
      expect([...seen].every((c) => c.startsWith('Sam Speaker:'))).toBe(true);
      expect(matchedWords([...seen].join(' ')).length).toBeGreaterThanOrEqual(2);
      // The main room reads nothing of Room 1.
      await expect(
        host.page.getByTestId('caption').filter({ hasText: 'Sam Speaker:' }).count(),
      ).resolves.toBe(0);
      await openCaptions(host);
      const [download] = await Promise.all([
        host.page.waitForEvent('download'),
        host.page.getByRole('button', { name: 'Download transcript' }).click(),
      ]);
      expect(readFileSync(await download.path(), 'utf8')).toMatch(
        /^\[[^\]]+ UTC\] \(Room 1\) Sam Speaker: \S/m,
      );
      await host.page.getByRole('button', { name: 'Breakout rooms' }).click();
      await host.page.getByRole('button', { name: 'Close all rooms (10 s countdown)' }).click();
      await sam.page.getByText('You are back in the main room.').waitFor({ timeout: 20_000 });
    } finally {
      await lee.context.close();
    }
  });

  it('turning E2EE on stops captions with a notice; they are shown unavailable and the server refuses them', async () => {
    await turnOnE2ee(host);
    for (const p of [host, sam]) await waitForE2eeShield(p, 30_000);
    await sam.page
      .getByText('Live captions stopped: end-to-end encryption is being turned on.')
      .waitFor();
    // One notice per subject (issue 17): no stale "turned on live captions" beside it.
    await expect(
      sam.page.getByTestId('toast').and(sam.page.locator('[data-subject="captions"]')).count(),
    ).resolves.toBe(1);
    await expect(sam.page.getByTestId('captions-indicator').count()).resolves.toBe(0);
    await openCaptions(sam);
    await sam.page
      .getByRole('complementary', { name: 'Live captions' })
      .getByText('Not available with end-to-end encryption.')
      .waitFor();
    await expect(sam.page.getByRole('button', { name: 'Turn on captions' }).count()).resolves.toBe(
      0,
    );
    const reply = await sam.page.evaluate(async () => {
      const room = (
        window as unknown as { conclave: { room: { startCaptions(l: string): Promise<void> } } }
      ).conclave.room;
      return room.startCaptions('en-US').then(
        () => 'accepted',
        (e: Error & { code?: string }) => e.code,
      );
    });
    expect(reply).toBe('E2EE_FEATURE_UNAVAILABLE');
  });

  it('when the host ends the meeting, the ended screen still offers the transcript', async () => {
    await chooseEndForAll(host);
    await host.page.getByRole('button', { name: 'End meeting for all' }).click();
    await host.page.getByText('This meeting has ended').waitFor();
    const [download] = await Promise.all([
      host.page.waitForEvent('download'),
      host.page.getByRole('button', { name: 'Download transcript' }).click(),
    ]);
    expect(readFileSync(await download.path(), 'utf8')).toContain('Sam Speaker:');
  });
});

describe('live captions without an engine', () => {
  it('the captions panel says that no speech recognition engine is installed', async () => {
    const server = await startTestServer({
      captions: { engine: 'pocketsphinx', pocketsphinxCommand: 'no-such-recognizer' },
    } as never);
    const browser = await launchChromium();
    try {
      const host = await newParticipant(browser, 'Hana Host');
      await hostNewMeeting(host, server.url);
      await host.page.getByRole('button', { name: 'Captions', exact: true }).click();
      await host.page.getByText(/no speech recognition engine is installed/).waitFor();
      await expect(
        host.page.getByRole('button', { name: 'Turn on captions' }).count(),
      ).resolves.toBe(0);
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});
