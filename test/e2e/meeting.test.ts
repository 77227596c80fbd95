import { describe, expect, it, onTestFinished } from 'vitest';
import {
  eventually,
  firstVideoDecodedAt,
  joinMeeting,
  newParticipant,
  remoteStats,
  offersEndForAll,
  selfId,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { serverAndChromium } from '../support/browser-suite';

// The first meeting, as people live it: the host creates a meeting on the home page, two others
// open the invite link, everyone sees and hears everyone through our SFU.
describe('a meeting in real browsers', () => {
  const suite = serverAndChromium();
  let host: Participant;
  let bob: Participant;
  let carol: Participant;
  let inviteUrl: string;

  /** What the SFU saw and sent, printed when someone does not decode (CI keeps only the log). */
  const printSfuView = async (p: Participant): Promise<void> => {
    const room = await suite.server.rooms.room(inviteUrl.split('/m/')[1] as never);
    if (!room) return;
    const received = (await room.inspectMedia().catch(() => [])).map((t) => ({
      name: t.displayName,
      kind: t.kind,
      stats: t.stats,
    }));
    const sent = await room.subscriberMediaStats((await selfId(p)) as never);
    console.log(`SFU received: ${JSON.stringify(received)}`);
    console.log(`SFU sent ${p.name}: ${JSON.stringify(sent)}`);
  };

  const joined = async (name: string): Promise<Participant> => {
    const p = await newParticipant(suite.browser, name);
    await joinMeeting(p, inviteUrl);
    return p;
  };

  it('the host creates a meeting and gets an invite link with a grouped id', async () => {
    host = await newParticipant(suite.browser, 'Hana Host');
    await host.page.goto(suite.server.url);
    await host.page.getByRole('button', { name: 'Create meeting' }).click();
    inviteUrl = (await host.page.getByTestId('invite-link').textContent()) ?? '';
    expect(inviteUrl).toMatch(/\/m\/\d{11}$/);
    const shownId = await host.page.getByTestId('created-meeting-id').textContent();
    expect(shownId).toMatch(/^\d{3} \d{4} \d{4}$/);
    await host.page.getByRole('button', { name: 'Start meeting' }).click();
    await host.page.getByLabel('Your name').fill(host.name);
    await host.page.getByRole('button', { name: 'Join now' }).click();
    await host.page.getByRole('navigation', { name: 'Meeting controls' }).waitFor();
    await expect(offersEndForAll(host)).resolves.toBe(true);
  });

  it('three participants each decode the other two and receive their audio', async () => {
    // A retry (the suite retries once under load) keeps whoever already joined: joining again
    // would leave the first attempt's people in the meeting and every tile count wrong.
    bob ??= await joined('Bob');
    carol ??= await joined('Carol');
    for (const p of [host, bob, carol]) {
      const first = await eventually(
        () => remoteStats(p.page),
        (s) =>
          s.length === 2 &&
          s.every((x) => x.framesDecoded > 0 && x.frameWidth > 0 && x.audioPacketsReceived > 0),
        20_000,
      );
      if (!first.every((x) => x.framesDecoded > 0)) await printSfuView(p);
      expect(first, `${p.name} sees two others`).toHaveLength(2);
      for (const s of first) {
        expect(s.framesDecoded, `${p.name} decodes ${s.name}`).toBeGreaterThan(0);
        expect(s.frameWidth).toBeGreaterThan(0);
        expect(s.audioPacketsReceived, `${p.name} hears ${s.name}`).toBeGreaterThan(0);
      }
      // Rising, not a single lucky frame.
      await new Promise((r) => setTimeout(r, 1000));
      const later = await remoteStats(p.page);
      for (const s of first) {
        const again = later.find((l) => l.participantId === s.participantId);
        expect(again?.framesDecoded ?? 0, `${p.name} keeps decoding ${s.name}`).toBeGreaterThan(
          s.framesDecoded,
        );
      }
    }
    await expect(host.page.getByTestId('tile').count()).resolves.toBe(3);
  });

  it('when a participant leaves, the others see it within 2 seconds', async () => {
    const bobId = await bob.page.evaluate(
      () => (window as unknown as { conclave: { room: { selfId: string } } }).conclave.room.selfId,
    );
    await bob.page.getByRole('button', { name: 'Leave' }).click();
    await bob.page.getByRole('heading', { name: 'You left the meeting' }).waitFor();
    const left = Date.now();
    for (const p of [host, carol]) {
      await p.page
        .locator(`[data-testid="tile"][data-participant-id="${bobId}"]`)
        .waitFor({ state: 'detached', timeout: 2000 });
    }
    expect(Date.now() - left).toBeLessThan(2000);
    await expect(host.page.getByTestId('tile').count()).resolves.toBe(2);
    await bob.context.close();
  });

  it('a late joiner decodes the others within 3 seconds of joining', async () => {
    const dave = await newParticipant(suite.browser, 'Dave');
    // Gone at the end even if this attempt fails, so a retry's Dave is the only one.
    onTestFinished(() => dave.context.close());
    await joinMeeting(dave, inviteUrl);
    const joined = Date.now();
    // Timed inside the page, so the test harness adds no delay.
    const { decodedAt } = await firstVideoDecodedAt(
      dave.page,
      ['Carol', 'Hana Host'],
      10_000,
    ).catch(async (err: unknown) => {
      await printSfuView(dave);
      throw err;
    });
    expect(decodedAt - joined, 'join to video from both others').toBeLessThanOrEqual(3000);
    const stats = await remoteStats(dave.page);
    expect(stats.map((s) => s.name).sort()).toEqual(['Carol', 'Hana Host']);
    // The others decode the late joiner too.
    const seen = await eventually(
      () => remoteStats(carol.page),
      (s) => s.some((x) => x.name === 'Dave' && x.framesDecoded > 0),
      3000,
      100,
    );
    expect(seen.find((x) => x.name === 'Dave')?.framesDecoded).toBeGreaterThan(0);
  });
});
