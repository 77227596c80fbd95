// TEST ONLY: a meeting of real bots under E2EE for the prepared breakout group stories
// (issue 18): a host and four bots whose traffic runs through hostile wires.
import { afterEach } from 'vitest';
import { createMeeting } from './browser';
import { joinBot, waitForView } from './bots';
import type { Bot } from './bots';
import { HostileWire } from './hostile-wire';
import type { Frame } from './hostile-wire';
import { startTestServer } from './test-server';
import type { TestServer } from './test-server';
import { SEND_SWITCH_DELAY_MS } from '../../packages/client/src/e2ee/timing';

export const ROOMS = [{ name: 'Room 1' }, { name: 'Room 2' }];
/** MLS traffic a room whose group was prepared never needs at open. */
export const MLS_AT_OPEN = [
  'e2ee.startGroup',
  'e2ee.welcome',
  'e2ee.pending',
  'e2ee.keyPackageNeeded',
];

export interface PreparedMeeting {
  server: TestServer;
  host: Bot;
  bots: [Bot, Bot, Bot, Bot];
  wires: Map<Bot, HostileWire>;
  /** What each bot sent to the server (type only), in order. */
  sent: Map<Bot, string[]>;
}

export const names = (b: Bot) =>
  (b.room.e2ee.view.local?.roster ?? []).map((m) => m.displayName).sort();
export const code = (b: Bot) => b.room.e2ee.view.local?.securityCode;

export const inGroupOf = (b: Bot, who: string[]) =>
  waitForView(
    b,
    (v) =>
      v.local?.inGroup === true &&
      JSON.stringify(v.local.roster.map((m) => m.displayName).sort()) ===
        JSON.stringify([...who].sort()),
    15_000,
  );

/** One frame sealed by `from` opens on `to` (undefined: it does not). */
export const carry = async (from: Bot, to: Bot) => {
  await new Promise((r) => setTimeout(r, SEND_SWITCH_DELAY_MS + 100));
  const sealed = await from.worker.engine.encryptFrame(new Uint8Array(64).fill(7), 'audio', false);
  return sealed ? to.worker.engine.decryptFrame(sealed, 'audio', false) : undefined;
};

/** Settles once `b` holds its pending group of `planId` (and its next spare is uploaded). */
export async function prepared(b: Bot, planId: string): Promise<void> {
  const e2ee = b.room.e2ee;
  if (e2ee.prepared?.readyPlan !== planId)
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${b.name}: no prepared group`)), 15_000);
      const off = e2ee.on('prepared', (id) => {
        if (id !== planId) return;
        clearTimeout(timer);
        off();
        resolve();
      });
    });
  await e2ee.spareUploaded;
}

/** Assignments putting each list of bots in the room of its index. */
export const assign = (rooms: Bot[][]) =>
  Object.fromEntries(rooms.flatMap((bots, i) => bots.map((b) => [b.room.selfId!, i])));

/** Host, Bea, Cy, Dee and Eve (in that order) in one group under E2EE, spares uploaded. */
export async function preparedMeeting(): Promise<PreparedMeeting> {
  const server = await startTestServer({});
  const created = await createMeeting(server.url);
  const host = await joinBot(server.url, created.meetingId, 'Host bot', created.hostKey);
  const wires = new Map<Bot, HostileWire>();
  const sent = new Map<Bot, string[]>();
  const bots: Bot[] = [];
  for (const n of ['Bea', 'Cy', 'Dee', 'Eve']) {
    const wire = new HostileWire();
    const out: string[] = [];
    wire.tap.outgoing = (f: Frame) => (out.push(String(f.type)), [f]);
    const bot = await joinBot(server.url, created.meetingId, n, undefined, { wire });
    wires.set(bot, wire);
    sent.set(bot, out);
    bots.push(bot);
  }
  await host.room.e2ee.enable();
  await Promise.all(
    [host, ...bots].map((b) => waitForView(b, (v) => v.local?.roster.length === 5)),
  );
  await Promise.all([host, ...bots].map((b) => b.room.e2ee.spareUploaded));
  return { server, host, bots: bots as PreparedMeeting['bots'], wires, sent };
}

/** Everyone leaves and the server stops. */
export async function endPreparedMeeting(m: PreparedMeeting): Promise<void> {
  for (const b of [m.host, ...m.bots]) await b.room.leave().catch(() => undefined);
  await m.server.stop();
}

/**
 * Inside a describe: a function that starts this test's prepared meeting; whatever it started is
 * ended after each test.
 */
export function preparedMeetingPerTest(): () => Promise<PreparedMeeting> {
  let m: PreparedMeeting | undefined;
  afterEach(async () => {
    if (m) await endPreparedMeeting(m);
    m = undefined;
  });
  return async () => (m = await preparedMeeting());
}

/** A `breakout.state` frame of opened rooms. */
export const isOpenState = (f: Frame): boolean =>
  f.type === 'breakout.state' && (f.state as { status: string }).status === 'open';

/** The E2EE banners bot `b` shows from now on. */
export function bannersOf(b: Bot): string[] {
  const out: string[] = [];
  b.room.e2ee.on('banner', (x) => out.push(x.text));
  return out;
}
