import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeeting } from '../support/browser';
import { joinBot, sentFrames, waitForView } from '../support/bots';
import type { Bot } from '../support/bots';
import { HostileWire } from '../support/hostile-wire';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { SEND_SWITCH_DELAY_MS } from '../../packages/client/src/e2ee/timing';
import { blobsOf } from '../support/wire-search';

// Breakout rooms under E2EE (issue 18) with real bots: each room is its own MLS group whose
// members are that room's participants (fresh KeyPackages), so a room's frames open only in that
// room; the host visiting a room joins its group; closing the rooms brings everyone back into
// one main group.

/** Every byte string in a frame a bot sent: its text, and each base64 value decoded. */

const names = (b: Bot) => (b.room.e2ee.view.local?.roster ?? []).map((m) => m.displayName).sort();
const code = (b: Bot) => b.room.e2ee.view.local?.securityCode;

describe('breakout rooms under end-to-end encryption', () => {
  let server: TestServer;
  let host: Bot;
  let bots: Bot[];
  let hostMeetingId: string;
  const beaWire = new HostileWire();

  const inGroupOf = (b: Bot, who: string[]) =>
    waitForView(
      b,
      (v) =>
        v.local?.inGroup === true &&
        JSON.stringify(v.local.roster.map((m) => m.displayName).sort()) ===
          JSON.stringify([...who].sort()),
      15_000,
    );

  /** One frame sealed by `from` opens on `to` (undefined: it does not). */
  const carry = async (from: Bot, to: Bot) => {
    // Senders switch to a new epoch's key after the two-phase delay (SEND_SWITCH_DELAY_MS).
    await new Promise((r) => setTimeout(r, SEND_SWITCH_DELAY_MS + 100));
    const payload = new Uint8Array(64).fill(7);
    const sealed = await from.worker.engine.encryptFrame(payload, 'audio', false);
    return sealed ? to.worker.engine.decryptFrame(sealed, 'audio', false) : undefined;
  };

  beforeAll(async () => {
    server = await startTestServer({}, { captureLogs: true });
    const meeting = await createMeeting(server.url);
    hostMeetingId = meeting.meetingId;
    host = await joinBot(server.url, meeting.meetingId, 'Host bot', meeting.hostKey);
    bots = [];
    for (const n of ['Bea', 'Cy', 'Dee', 'Eve'])
      bots.push(
        await joinBot(
          server.url,
          meeting.meetingId,
          n,
          undefined,
          n === 'Bea' ? { wire: beaWire } : {},
        ),
      );
    await host.room.e2ee.enable();
    await Promise.all(
      [host, ...bots].map((b) => waitForView(b, (v) => v.local?.roster.length === 5)),
    );
    await Promise.all([host, ...bots].map((b) => b.room.e2ee.spareUploaded));
  });
  afterAll(async () => {
    for (const b of [host, ...bots]) await b.room.leave().catch(() => undefined);
    await server?.stop();
  });

  it('each room is its own group: its own roster and code, and only its own frames open', async () => {
    const [bea, cy, dee, eve] = bots as [Bot, Bot, Bot, Bot];
    const mainCode = code(host);
    const seenBefore = beaWire.received.length;
    await host.room.openBreakouts({
      rooms: [{ name: 'Room 1' }, { name: 'Room 2' }],
      assignments: {
        [bea.room.selfId!]: 0,
        [cy.room.selfId!]: 0,
        [dee.room.selfId!]: 1,
        [eve.room.selfId!]: 1,
      },
      manualOnly: true,
    });
    await Promise.all([
      inGroupOf(bea, ['Bea', 'Cy']),
      inGroupOf(cy, ['Bea', 'Cy']),
      inGroupOf(dee, ['Dee', 'Eve']),
      inGroupOf(eve, ['Dee', 'Eve']),
      inGroupOf(host, ['Host bot']),
    ]);
    // Bea's device starts room 1's group once both are in, adding Cy with the spare KeyPackage
    // Cy's device uploaded ahead: one commit, no round trip for a KeyPackage.
    const sinceOpen = beaWire.received.slice(seenBefore);
    expect(sinceOpen.map((f) => f.type)).not.toContain('e2ee.keyPackageNeeded');
    const start = sinceOpen.find((f) => f.type === 'e2ee.startGroup') as
      { keyPackages: { participantId: string }[] } | undefined;
    expect(start?.keyPackages.map((k) => k.participantId)).toEqual([cy.room.selfId]);
    expect(code(bea)).toBe(code(cy));
    expect(code(dee)).toBe(code(eve));
    expect(new Set([code(bea), code(dee), code(host), mainCode]).size).toBe(4);
    expect(await carry(bea, cy)).toBeDefined();
    expect(await carry(dee, eve)).toBeDefined();
    expect(await carry(bea, dee)).toBeUndefined();
    expect(await carry(host, eve)).toBeUndefined();
    for (const b of bots) expect(b.room.e2ee.view.rosterMismatch).toEqual([]);
    // The rooms' keys never reached the server: search all it received for every derived secret.
    const secrets = (
      await Promise.all([host, ...bots].map((b) => b.worker.engine.secretsForAudit()))
    ).flat();
    const blobs = [...sentFrames.flatMap(blobsOf), Buffer.from(server.logText())];
    for (const secret of secrets)
      for (const blob of blobs) expect(blob.indexOf(Buffer.from(secret))).toBe(-1);
    // Nor its log, in the encodings a log line would carry.
    const log = server.logText();
    for (const secret of secrets) {
      expect(log).not.toContain(Buffer.from(secret).toString('base64'));
      expect(log).not.toContain(Buffer.from(secret).toString('hex'));
    }
    // Only the host's device may turn E2EE off, in every room's group too.
    expect(bea.room.e2ee.view.local?.policy?.offKeys).toEqual(
      host.room.e2ee.view.local?.policy?.offKeys,
    );
  });

  it('a ghost in a breakout group: a device of another room is never added to this room’s group', async () => {
    const [bea, cy, dee] = bots as [Bot, Bot, Bot];
    const seen: string[] = [];
    bea.room.e2ee.on('banner', (b) => seen.push(b.text));
    // The server asks Bea's device (it may commit for Room 1) to add Dee, who is in Room 2.
    const kp = await dee.worker.engine.makeKeyPackage();
    beaWire.inject({
      type: 'e2ee.pending',
      epoch: bea.room.e2ee.view.local!.epoch!,
      add: [{ participantId: dee.room.selfId!, keyPackage: Buffer.from(kp).toString('base64') }],
      remove: [],
    });
    const end = Date.now() + 2000;
    while (!seen.some((t) => /claiming to be Dee: that device is in another room/.test(t))) {
      if (Date.now() > end) throw new Error(`not refused: ${JSON.stringify(seen)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(names(bea)).toEqual(['Bea', 'Cy']);
    expect(names(cy)).toEqual(['Bea', 'Cy']);
  });

  it('the host visiting a room joins that room’s group; closing the rooms brings everyone back to one group', async () => {
    const [bea, cy, dee, eve] = bots as [Bot, Bot, Bot, Bot];
    await host.room.joinBreakout(1);
    await Promise.all([
      inGroupOf(host, ['Dee', 'Eve', 'Host bot']),
      inGroupOf(dee, ['Dee', 'Eve', 'Host bot']),
    ]);
    expect(await carry(host, eve)).toBeDefined();
    expect(await carry(host, bea)).toBeUndefined();
    // Turning E2EE off while rooms are open is refused with the reason (each room's group only
    // turns off on the host device's message inside it); nothing changes for anyone.
    await expect(host.room.e2ee.disable()).rejects.toThrow(/Close the breakout rooms first/);
    expect(host.room.e2ee.view.local?.inGroup).toBe(true);
    expect(await carry(host, eve)).toBeDefined();
    // The main room is empty now; someone who joins the meeting starts its group again.
    const fay = await joinBot(server.url, hostMeetingId, 'Fay');
    bots.push(fay);
    await inGroupOf(fay, ['Fay']);
    await host.room.closeBreakouts(0);
    const everyone = ['Bea', 'Cy', 'Dee', 'Eve', 'Fay', 'Host bot'];
    await Promise.all([host, bea, cy, dee, eve, fay].map((b) => inGroupOf(b, everyone)));
    expect(new Set([host, ...bots].map(code)).size).toBe(1);
    expect(await carry(bea, dee)).toBeDefined();
    expect(await carry(eve, host)).toBeDefined();
    // Fay started the main group again without having been in one: the server told her the
    // enabling host device's key, and every returning device checked it against its own.
    const offKeys = host.room.e2ee.view.local?.policy?.offKeys;
    expect(offKeys).toEqual([
      host.room.participants.find((p) => p.role === 'host')!.mlsSignatureKey,
    ]);
    for (const b of [host, ...bots]) {
      expect(b.room.e2ee.view.local?.policy?.offKeys).toEqual(offKeys);
      expect(b.room.e2ee.view.rosterMismatch.filter((w) => /turn encryption off/.test(w))).toEqual(
        [],
      );
    }
  });
});
