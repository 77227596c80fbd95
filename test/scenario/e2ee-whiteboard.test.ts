import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMeeting } from '../support/browser';
import { joinBot, sentFrames, waitForView } from '../support/bots';
import type { Bot } from '../support/bots';
import { HostileWire } from '../support/hostile-wire';
import type { Frame } from '../support/hostile-wire';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';
import { PROTOCOL_VERSION } from '@conclave/protocol';
import { blobsOf } from '../support/wire-search';

// The whiteboard under E2EE (issue 18) with real bots: yjs updates sealed with a key exported
// from the MLS epoch; the server keeps and forwards ciphertext only; a member sends a sealed
// snapshot after each key change (late joiners, compaction); turning E2EE off puts the document
// back in the clear.

const contains = (blobs: Buffer[], text: string) =>
  blobs.some((b) => b.indexOf(Buffer.from(text)) >= 0);

async function until(ok: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const texts = (b: Bot) => b.room.whiteboard.elements.map((e) => e.text ?? '');
const note = (text: string, author: string) => ({
  id: text,
  kind: 'text' as const,
  color: '#000',
  width: 2,
  x: 0.1,
  y: 0.1,
  text,
  author,
});

describe('the whiteboard under end-to-end encryption', () => {
  let server: TestServer;
  let host: Bot;
  let bob: Bot;
  let carol: Bot;
  const bobWire = new HostileWire();
  let meetingId: string;
  /** What the server hands a newcomer: its stored document and sealed log. */
  const stored = async () => {
    const ws = await WsClient.connect(server.url);
    await ws.request({
      type: 'join',
      protocolVersion: PROTOCOL_VERSION,
      meetingId,
      displayName: 'Probe',
      capabilities: { encodedTransform: 'native', mlsCiphersuites: [1], clientLabel: 'probe' },
    });
    const r = await ws.request({ type: 'whiteboard.sync' });
    ws.close();
    return r.result as { state: string; sealed: string[] };
  };

  beforeAll(async () => {
    server = await startTestServer({}, { captureLogs: true });
    const meeting = await createMeeting(server.url);
    meetingId = meeting.meetingId;
    host = await joinBot(server.url, meetingId, 'Host bot', meeting.hostKey);
    bob = await joinBot(server.url, meetingId, 'Bob', undefined, { wire: bobWire });
    carol = await joinBot(server.url, meetingId, 'Carol');
  });
  afterAll(async () => {
    for (const b of [host, bob, carol]) await b.room.leave().catch(() => undefined);
    await server?.stop();
  });

  it('with E2EE off the server holds the text (so the searches below can fail)', async () => {
    host.room.whiteboard.add(note('agenda in clear 1111', 'host'));
    await until(() => texts(bob).includes('agenda in clear 1111'), 'Bob sees it');
    expect(contains(sentFrames.flatMap(blobsOf), 'agenda in clear 1111')).toBe(true);
  });

  it('with E2EE on a change reaches everyone sealed; what the server got and keeps holds no plaintext', async () => {
    await host.room.e2ee.enable();
    await Promise.all(
      [host, bob, carol].map((b) => waitForView(b, (v) => v.local?.roster.length === 3)),
    );
    bob.room.whiteboard.add(note('secret diagram 5150', 'bob'));
    for (const b of [host, carol])
      await until(() => texts(b).includes('secret diagram 5150'), `${b.name} sees it`);
    const kept = await stored();
    expect(kept.sealed.length).toBeGreaterThan(0);
    const blobs = [
      ...sentFrames.flatMap(blobsOf),
      ...kept.sealed.map((s) => Buffer.from(s, 'base64')),
      Buffer.from(kept.state, 'base64'),
      Buffer.from(server.logText()), // and everything it logged, at trace level
    ];
    expect(contains(blobs, 'secret diagram 5150')).toBe(false);
  });

  it('a late joiner gets the document from a member; the snapshot compacts the server’s log', async () => {
    for (let i = 0; i < 5; i++) carol.room.whiteboard.add(note(`step ${i} 2020`, 'carol'));
    await until(() => texts(host).includes('step 4 2020'), 'host sees the steps');
    const before = (await stored()).sealed.length;
    expect(before).toBeGreaterThanOrEqual(6);
    const dora = await joinBot(server.url, meetingId, 'Dora');
    await until(
      () => texts(dora).includes('secret diagram 5150') && texts(dora).includes('step 4 2020'),
      'Dora has the whole board',
      10_000,
    );
    expect(texts(dora)).toContain('agenda in clear 1111');
    expect((await stored()).sealed.length).toBeLessThan(before);
    await dora.room.leave();
  });

  it('a removed member cannot open what is drawn after its removal', async () => {
    const captured: Frame[] = [];
    bobWire.tap.outgoing = (f) => {
      if (f.type === 'whiteboard.sealedUpdate') captured.push(f);
      return [f];
    };
    await host.room.hostRemove(carol.room.selfId!);
    await Promise.all([host, bob].map((b) => waitForView(b, (v) => v.local?.roster.length === 2)));
    bob.room.whiteboard.add(note('after carol 7777', 'bob'));
    await until(() => texts(host).includes('after carol 7777'), 'host sees it');
    const sealed = captured.filter((f) => f.snapshot === false).at(-1)!.sealed as string;
    expect(
      await carol.worker.engine.openBoard(new Uint8Array(Buffer.from(sealed, 'base64'))),
    ).toBeUndefined();
    expect(texts(carol)).not.toContain('after carol 7777');
  });

  it('turning E2EE off keeps the board: the host’s device puts it back on the server in the clear', async () => {
    await host.room.e2ee.disable();
    await until(() => bob.room.e2ee.view.local?.inGroup === false, 'Bob is off');
    const deadline = Date.now() + 5000;
    let state = '';
    while (Date.now() < deadline) {
      state = (await stored()).state;
      if (Buffer.from(state, 'base64').indexOf(Buffer.from('after carol 7777')) >= 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(Buffer.from(state, 'base64').indexOf(Buffer.from('after carol 7777'))).toBeGreaterThan(
      -1,
    );
    expect(texts(bob)).toContain('secret diagram 5150');
  });
});
