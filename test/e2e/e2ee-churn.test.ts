import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodedDuring,
  decodingAll,
  e2eeView,
  eventually,
  hostNewMeeting,
  joinMeeting,
  newParticipant,
  readSecurityCode,
  turnOnE2ee,
  waitForE2eeShield,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { serverAndChromium } from '../support/browser-suite';

// People come and go in an end-to-end encrypted meeting (issue 13: after a leave, the next
// joiners could not enter the MLS group and saw nothing). Four people, one leaves, two join:
// everyone decodes everyone's video and reads the same security code.
describe('E2EE meeting in real browsers when people come and go', () => {
  const suite = serverAndChromium();
  let host: Participant;
  let invite: string;
  const inMeeting: Participant[] = [];

  beforeAll(async () => {
    host = await newParticipant(suite.browser, 'Hana Host');
    invite = await hostNewMeeting(host, suite.server.url);
    inMeeting.push(host);
    for (const name of ['Ana', 'Ben', 'Cleo']) {
      const p = await newParticipant(suite.browser, name);
      await joinMeeting(p, invite);
      inMeeting.push(p);
    }
    await turnOnE2ee(host);
    for (const p of inMeeting) await waitForE2eeShield(p);
    for (const p of inMeeting) await decodingAll(p, 3, 30_000);
  }, 120_000);

  it('one leaves and two join: all five decode each other’s video and read the same security code', async () => {
    const ben = inMeeting.splice(2, 1)[0]!;
    const before = (await e2eeView(host)).epoch ?? 0;
    await ben.page.getByRole('button', { name: 'Leave' }).click();
    await ben.context.close();
    await eventually(
      () => e2eeView(host),
      (v) => (v.epoch ?? 0) > before,
      10_000,
    );
    for (const name of ['Dana', 'Eli']) {
      const p = await newParticipant(suite.browser, name);
      await joinMeeting(p, invite);
      inMeeting.push(p);
    }
    for (const p of inMeeting) await waitForE2eeShield(p, 20_000);
    for (const p of inMeeting) await decodingAll(p, 4, 30_000);

    // Still decoding now (not a counter left from before the key change), from all four others.
    for (const p of inMeeting) {
      const decoded = await decodedDuring(p, 1500);
      const others = inMeeting.filter((o) => o !== p).map((o) => o.name);
      expect([...decoded.keys()].sort(), p.name).toEqual(others.sort());
      for (const [from, frames] of decoded)
        expect(frames, `${p.name} from ${from}`).toBeGreaterThan(0);
    }
    const views = await Promise.all(inMeeting.map((p) => e2eeView(p)));
    expect(new Set(views.map((v) => v.epoch)).size).toBe(1);
    const codes = await Promise.all(inMeeting.map((p) => readSecurityCode(p)));
    expect(codes[0]).toMatch(/^(\d{5} ){5}\d{5}$/);
    expect(new Set(codes).size).toBe(1);
    for (const p of inMeeting)
      await expect(p.page.getByTestId('key-roster').getByRole('listitem').count()).resolves.toBe(5);
  }, 180_000);
});
