import { describe, expect, it } from 'vitest';
import {
  createMeeting,
  e2eeView,
  eventually,
  joinAsHost,
  joinMeeting,
  makeUnsupported,
  newParticipant,
  remoteStats,
  turnOnE2ee,
  waitForE2eeShield,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { serverAndChromium } from '../support/browser-suite';

// What happens when a client that cannot do E2EE meets an encrypted meeting (DESIGN.md §4.1
// rule 6, §4.3), under each account policy, and what a forged "E2EE off" achieves (nothing).
describe('unsupported clients and downgrades, in real browsers', () => {
  const suite = serverAndChromium();

  async function encryptedMeeting(
    policy: 'downgrade' | 'hold' | 'refuse',
  ): Promise<{ host: Participant; bob: Participant; joinUrl: string; meetingId: string }> {
    const meeting = await createMeeting(suite.server.url, undefined, {
      unsupportedClientPolicy: policy,
    });
    const host = await newParticipant(suite.browser, 'Hana Host');
    const bob = await newParticipant(suite.browser, 'Bob');
    await joinAsHost(host, meeting);
    await joinMeeting(bob, meeting.joinUrl);
    await turnOnE2ee(host);
    await waitForE2eeShield(host);
    await waitForE2eeShield(bob);
    return { host, bob, joinUrl: meeting.joinUrl, meetingId: meeting.meetingId };
  }

  const close = async (...ps: Participant[]) => {
    for (const p of ps) await p.context.close();
  };

  it('the menu item says why it is disabled while an unsupported client is present', async () => {
    const meeting = await createMeeting(suite.server.url);
    const host = await newParticipant(suite.browser, 'Hana Host');
    const old = await newParticipant(suite.browser, 'Olga');
    await makeUnsupported(old);
    await joinAsHost(host, meeting);
    await joinMeeting(old, meeting.joinUrl);
    await host.page.getByRole('button', { name: 'More' }).click();
    const item = host.page.getByRole('menuitem', { name: 'Turn on end-to-end encryption' });
    await expect(item.isDisabled()).resolves.toBe(true);
    await host.page.getByText(/Not possible while Olga/).waitFor();
    await close(host, old);
  });

  it('policy downgrade: E2EE goes off and everyone is told who joined and why; leaving offers it back', async () => {
    const { host, bob, joinUrl } = await encryptedMeeting('downgrade');
    const old = await newParticipant(suite.browser, 'Olga');
    await makeUnsupported(old);
    await joinMeeting(old, joinUrl);
    // The host's device sees it coming, with a way to keep encryption on; unanswered, it proceeds.
    await host.page
      .getByTestId('downgrade-countdown')
      .getByRole('button', { name: 'Keep encryption on (keep them waiting)' })
      .waitFor({ timeout: 10_000 });
    for (const p of [host, bob]) {
      await p.page
        .getByTestId('toast')
        .filter({ hasText: /Olga joined from .+, which cannot do end-to-end encryption/ })
        .waitFor({ timeout: 25_000 });
      await p.page.getByTestId('shield').filter({ hasText: 'Encrypted in transit' }).waitFor();
    }
    await old.page
      .getByTestId('toast')
      .filter({ hasText: 'End-to-end encryption was turned off so you could join' })
      .waitFor({ timeout: 15_000 });
    expect((await e2eeView(bob)).status).toBe('off');
    await old.page.getByRole('button', { name: 'Leave' }).click();
    await host.page
      .getByText('Olga left. Turn end-to-end encryption back on?')
      .waitFor({ timeout: 10_000 });
    await host.page.getByRole('button', { name: 'Turn on', exact: true }).click();
    await waitForE2eeShield(bob);
    await close(host, bob, old);
  });

  it('policy hold: the joiner waits and E2EE stays on for the others, until the host lets them in', async () => {
    const { host, bob, joinUrl } = await encryptedMeeting('hold');
    const old = await newParticipant(suite.browser, 'Olga');
    await makeUnsupported(old);
    await joinMeeting(old, joinUrl);
    await old.page
      .getByRole('heading', { name: 'Waiting to be let in' })
      .waitFor({ timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 2000));
    for (const p of [host, bob]) {
      await p.page.getByTestId('shield').filter({ hasText: 'End-to-end encrypted' }).waitFor();
      expect((await e2eeView(p)).status).toBe('on');
    }
    const stats = await old.page.evaluate(
      () =>
        (window as unknown as { conclave: { room: { remoteTracks: unknown[] } } }).conclave.room
          .remoteTracks.length,
    );
    expect(stats, 'a held client receives no media').toBe(0);
    // The host lets her in: that turns E2EE off, with the notice, and her media starts.
    await host.page.getByRole('button', { name: /^Participants/ }).click();
    await host.page.getByText(/Olga · waiting \(.+ cannot do end-to-end encryption\)/).waitFor();
    await host.page
      .getByRole('button', { name: 'Let Olga in (turns off end-to-end encryption)' })
      .click();
    await bob.page
      .getByTestId('toast')
      .filter({ hasText: /Olga joined from .+, which cannot do end-to-end encryption/ })
      .waitFor({ timeout: 10_000 });
    await old.page
      .getByRole('heading', { name: 'Waiting to be let in' })
      .waitFor({ state: 'detached', timeout: 10_000 });
    await eventually(
      () => remoteStats(old.page),
      (s) => s.length === 2 && s.every((x) => x.framesDecoded > 0),
      20_000,
    );
    await close(host, bob, old);
  });

  it('policy refuse: the joiner gets a clear error and stays outside', async () => {
    const { host, bob, joinUrl } = await encryptedMeeting('refuse');
    const old = await newParticipant(suite.browser, 'Olga');
    await makeUnsupported(old);
    await old.page.goto(joinUrl);
    await old.page.getByLabel('Your name').fill('Olga');
    await old.page.getByRole('button', { name: 'Join now' }).click();
    await old.page
      .getByRole('alert')
      .filter({
        hasText: 'This meeting is end-to-end encrypted and your browser cannot take part.',
      })
      .waitFor({ timeout: 10_000 });
    expect((await e2eeView(host)).status).toBe('on');
    await close(host, bob, old);
  });

  it('a forged "E2EE off" from the server is ignored, shown as a warning, and media stays sealed', async () => {
    const { host, bob, meetingId } = await encryptedMeeting('downgrade');
    const room = await suite.server.rooms.room(meetingId as never);
    const hostId = room!.e2eeView().enabledBy!;
    // The server claims the host's device sent "e2ee-off", and says E2EE is off.
    room!.inject({
      type: 'e2ee.app',
      from: hostId,
      message: Buffer.from('{"kind":"e2ee-off","reason":"host"}').toString('base64'),
    });
    room!.inject({
      type: 'e2ee.state',
      state: { ...room!.e2eeView(), status: 'off', members: [] },
    });
    await bob.page
      .getByTestId('toast')
      .filter({ hasText: 'did not come from the device that turned it on' })
      .waitFor({ timeout: 5000 });
    await bob.page
      .getByTestId('toast')
      .filter({ hasText: 'has not confirmed it. Your media stays encrypted.' })
      .waitFor({ timeout: 5000 });
    const before = (await e2eeView(bob)).counters!;
    await new Promise((r) => setTimeout(r, 1500));
    const after = (await e2eeView(bob)).counters!;
    expect(after.encrypted, 'Bob still seals his frames').toBeGreaterThan(before.encrypted!);
    expect(after.decrypted, 'and opens the host’s').toBeGreaterThan(before.decrypted!);
    expect(after.passedThrough, 'nothing goes out or in unsealed').toBe(before.passedThrough);
    await bob.page.getByTestId('shield').filter({ hasText: 'End-to-end encrypted' }).waitFor();
    await close(host, bob);
  });
});
