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

describe('clear screens and bad input, in real browsers', () => {
  const suite = serverAndChromium();

  it('an unknown meeting shows the not-found screen', async () => {
    const p = await newParticipant(suite.browser, 'Nobody');
    await p.page.goto(`${suite.server.url}/m/99999999999`);
    await p.page.getByRole('heading', { name: 'Meeting not found' }).waitFor();
    await p.page.goto(`${suite.server.url}/m/not-a-meeting`);
    await p.page.getByRole('heading', { name: 'Meeting not found' }).waitFor();
    await p.context.close();
  });

  it('a wrong passcode is refused with a clear message, the right one lets you in', async () => {
    const { joinUrl } = await createMeeting(suite.server.url, 'secret42');
    const p = await newParticipant(suite.browser, 'Pat');
    await p.page.goto(joinUrl);
    await p.page.getByLabel('Your name').fill('Pat');
    await p.page.getByLabel('Passcode').fill('nope');
    await p.page.getByRole('button', { name: 'Join now' }).click();
    await p.page.getByRole('alert').filter({ hasText: 'The passcode is wrong.' }).waitFor();
    await p.page.getByLabel('Passcode').fill('secret42');
    await p.page.getByRole('button', { name: 'Join now' }).click();
    await p.page.getByRole('navigation', { name: 'Meeting controls' }).waitFor();
    await p.context.close();
  });

  it('with camera and microphone denied, the user is told and can still join', async () => {
    const { joinUrl } = await createMeeting(suite.server.url);
    const p = await newParticipant(suite.browser, 'Denied', { deniedMedia: true });
    await p.page.goto(joinUrl);
    await p.page.getByText('Camera and microphone are blocked by your browser.').waitFor();
    await p.page.getByLabel('Your name').fill('Denied');
    await p.page.getByRole('button', { name: 'Join now' }).click();
    await p.page.getByRole('navigation', { name: 'Meeting controls' }).waitFor();
    await expect(p.page.getByRole('button', { name: 'Start video' }).isDisabled()).resolves.toBe(
      true,
    );
    await p.context.close();
  });

  it('a malformed message gets a typed error and the session keeps working', async () => {
    const { joinUrl } = await createMeeting(suite.server.url);
    const a = await newParticipant(suite.browser, 'Ann');
    const b = await newParticipant(suite.browser, 'Ben');
    await joinMeeting(a, joinUrl);
    await joinMeeting(b, joinUrl);
    const replies = await a.page.evaluate(async () => {
      interface Signal {
        sendRaw(s: string): void;
        on(e: 'protocolError', l: (m: string) => void): () => void;
        request(m: object): Promise<unknown>;
      }
      const signal = (window as unknown as { conclave: { room: { signal: Signal } } }).conclave.room
        .signal;
      const errors: string[] = [];
      signal.on('protocolError', (m) => errors.push(m));
      signal.sendRaw('{this is not json');
      signal.sendRaw(JSON.stringify({ type: 'no.such.thing', id: 'x1' }));
      signal.sendRaw(JSON.stringify({ type: 'host.mute', id: 'x2', participantId: 42 }));
      signal.sendRaw('x'.repeat(1_100_000));
      await new Promise((r) => setTimeout(r, 500));
      // Still usable: a real request gets its answer.
      const heartbeat = await signal.request({ type: 'heartbeat' });
      return { errors, heartbeat };
    });
    expect(replies.errors.join('\n')).toContain('MESSAGE_MALFORMED');
    expect(replies.errors.join('\n')).toContain('MESSAGE_TOO_LARGE');
    expect(replies.heartbeat).toHaveProperty('serverTime');
    // The other participant is undisturbed and both still see each other.
    const aId = await selfId(a);
    const stats = await eventually(
      () => remoteStats(b.page),
      (s) => s.some((x) => x.participantId === aId && x.framesDecoded > 0),
    );
    expect(stats.find((x) => x.participantId === aId)?.framesDecoded).toBeGreaterThan(0);
    await a.context.close();
    await b.context.close();
  });
});
