import { GroupSession, SigningKey } from '@conclave/e2ee';
import { MemoryDeviceKeyStore } from '@conclave/client';
import type { E2eeView } from '@conclave/client';
import { PROTOCOL_VERSION } from '@conclave/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { createMeeting } from '../support/browser';
import { cookieOf, joinBot, waitForView } from '../support/bots';
import type { Bot } from '../support/bots';
import { HostileWire } from '../support/hostile-wire';
import type { Frame } from '../support/hostile-wire';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { WsClient } from '../support/ws-client';

// The server is the adversary E2EE exists to exclude (DESIGN.md §4.4, issue 14). Each attack is
// what a modified server can do: relay, alter, withhold, replay or forge what reaches the real
// client code (Node bots, the real RoomClient and E2EE engine). For each, the attack fails, or
// every honest device shows the named warning within 2 s, and no key reaches a device nobody
// can see in the participant list.

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const WARN_WITHIN_MS = 2_000;

interface Meeting {
  id: string;
  host: Bot;
  hostWire: HostileWire;
  others: Bot[];
  wires: HostileWire[];
}

function banners(bot: Bot): string[] {
  const seen: string[] = [];
  bot.room.e2ee.on('banner', (b) => seen.push(b.text));
  return seen;
}

async function waitFor<T>(read: () => T, ok: (v: T) => boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  for (;;) {
    const v = read();
    if (ok(v)) return v;
    if (Date.now() > end)
      throw new Error(`${what}: not within ${ms} ms (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const names = (v: E2eeView) => (v.local?.roster ?? []).map((m) => m.displayName).sort();

describe('E2EE against a hostile Delivery Service', () => {
  let server: TestServer;
  const cleanup: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c().catch(() => undefined);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Host + `n` participants, E2EE on, every device in the group; every wire is hostile. */
  async function encryptedMeeting(n = 2, policy?: 'hold' | 'downgrade'): Promise<Meeting> {
    const meeting = await createMeeting(
      server.url,
      undefined,
      policy ? { unsupportedClientPolicy: policy } : undefined,
    );
    const hostWire = new HostileWire();
    const host = await joinBot(server.url, meeting.meetingId, 'Host bot', meeting.hostKey, {
      wire: hostWire,
    });
    const others: Bot[] = [];
    const wires: HostileWire[] = [];
    for (let i = 0; i < n; i++) {
      const wire = new HostileWire();
      others.push(
        await joinBot(server.url, meeting.meetingId, `Bot ${'BCDE'[i]}`, undefined, { wire }),
      );
      wires.push(wire);
    }
    cleanup.push(async () => {
      for (const b of [host, ...others]) await b.room.leave().catch(() => undefined);
    });
    await host.room.e2ee.enable();
    await Promise.all(
      [host, ...others].map((b) => waitForView(b, (v) => v.local?.roster.length === n + 1)),
    );
    return { id: meeting.meetingId, host, hostWire, others, wires };
  }

  /** A modified client: joins like anyone, announces its own key, sends what it likes. */
  async function ghostDevice(meetingId: string, name: string) {
    const ws = await WsClient.connect(server.url);
    const key = await SigningKey.generate();
    const joined = await ws.request({
      type: 'join',
      protocolVersion: PROTOCOL_VERSION,
      meetingId,
      displayName: name,
      capabilities: {
        encodedTransform: 'native',
        mlsCiphersuites: [1],
        clientLabel: 'Ghost',
        mlsSignatureKey: b64(key.publicKey),
      },
    });
    cleanup.push(async () => ws.close());
    return { ws, key, id: (joined.result as { participantId: string }).participantId };
  }

  it('ghost with a forged existing identity: a KeyPackage claiming the host is never added', async () => {
    const m = await encryptedMeeting(1);
    const hostSeen = banners(m.host);
    const hostId = m.host.room.selfId!;
    const ghost = await ghostDevice(m.id, 'Innocent name');
    const forged = await GroupSession.makeKeyPackage(
      { userId: hostId, displayName: 'Host bot', deviceId: hostId },
      ghost.key,
    );
    await ghost.ws.request({ type: 'e2ee.keyPackage', keyPackage: b64(forged.keyPackage) });
    await waitFor(
      () => hostSeen,
      (s) => s.some((t) => /claiming to be Host bot: its key is not the one/.test(t)),
      WARN_WITHIN_MS,
      'the committer names the refused KeyPackage',
    );
    await new Promise((r) => setTimeout(r, 500));
    for (const b of [m.host, ...m.others])
      expect(names(b.room.e2ee.view)).toEqual(['Bot B', 'Host bot']);
  });

  it('ghost with a new identity: a KeyPackage for a device that never joined is never added', async () => {
    const m = await encryptedMeeting(1);
    const hostSeen = banners(m.host);
    const stranger = await GroupSession.makeKeyPackage(
      { userId: 'nobody', displayName: 'Mallory', deviceId: 'nobody' },
      await SigningKey.generate(),
    );
    m.hostWire.inject({
      type: 'e2ee.pending',
      epoch: m.host.room.e2ee.view.local!.epoch!,
      add: [{ participantId: m.others[0]!.room.selfId!, keyPackage: b64(stranger.keyPackage) }],
      remove: [],
    });
    await waitFor(
      () => hostSeen,
      (s) => s.some((t) => /claiming to be Mallory: no such device joined this meeting/.test(t)),
      WARN_WITHIN_MS,
      'the committer names the refused KeyPackage',
    );
    expect(names(m.host.room.e2ee.view)).toEqual(['Bot B', 'Host bot']);
  });

  it('swapped KeyPackages: each joiner is added as itself, whatever the server labels them', async () => {
    const m = await encryptedMeeting(1);
    const swap = new Map<string, string>();
    m.hostWire.tap.incoming = (f: Frame) => {
      if (f.type !== 'e2ee.pending') return [f];
      const add = f.add as { participantId: string; keyPackage: string }[];
      if (add.length < 2) return [f];
      for (const a of add) swap.set(a.participantId, a.keyPackage);
      return [
        {
          ...f,
          add: [
            { ...add[0]!, keyPackage: add[1]!.keyPackage },
            { ...add[1]!, keyPackage: add[0]!.keyPackage },
          ],
        },
      ];
    };
    const [c, d] = await Promise.all([
      joinBot(server.url, m.id, 'Bot C'),
      joinBot(server.url, m.id, 'Bot D'),
    ]);
    cleanup.push(() => c.room.leave());
    cleanup.push(() => d.room.leave());
    const views = await Promise.all(
      [m.host, c, d].map((b) => waitForView(b, (v) => v.local?.roster.length === 4)),
    );
    for (const v of views) expect(names(v)).toEqual(['Bot B', 'Bot C', 'Bot D', 'Host bot']);
    expect(new Set(views.map((v) => v.local!.securityCode)).size).toBe(1);
    for (const b of [m.host, c, d])
      await waitFor(
        () => b.room.e2ee.view.rosterMismatch,
        (w) => w.length === 0,
        2000,
        b.name,
      );
  });

  it('a waiting-room participant: the server refuses its KeyPackage and a committer refuses one relayed anyway', async () => {
    await createAccountWithOwner(server.stores, {
      name: 'Clinic',
      ownerEmail: 'owner@clinic.test',
      ownerName: 'Olga',
      ownerPassword: 'owner password 123',
      plan: 'business',
    });
    const admin = new ApiClient(server.url);
    expect((await admin.signIn('owner@clinic.test', 'owner password 123')).status).toBe(200);
    await admin.put('/api/admin/meeting-settings', { waitingRoomByDefault: true, allowE2ee: true });
    const meeting = (await admin.post('/api/my/meetings', {})).body as {
      meetingId: string;
      hostKey: string;
    };
    const hostWire = new HostileWire();
    const host = await joinBot(server.url, meeting.meetingId, 'Host bot', meeting.hostKey, {
      wire: hostWire,
    });
    cleanup.push(() => host.room.leave());
    await host.room.e2ee.enable();
    await waitForView(host, (v) => v.local?.inGroup === true);
    const hostSeen = banners(host);
    const waiting = await ghostDevice(meeting.meetingId, 'Wally');
    const kp = await GroupSession.makeKeyPackage(
      { userId: waiting.id, displayName: 'Wally', deviceId: waiting.id },
      waiting.key,
    );
    const refused = await waiting.ws.request({
      type: 'e2ee.keyPackage',
      keyPackage: b64(kp.keyPackage),
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_LET_IN' } });
    const kf = await waiting.ws.request({ type: 'media.keyFrameRequest', scope: 'received' });
    expect(kf).toMatchObject({ ok: false, error: { code: 'NOT_LET_IN' } });
    hostWire.inject({
      type: 'e2ee.pending',
      epoch: host.room.e2ee.view.local!.epoch!,
      add: [{ participantId: waiting.id, keyPackage: b64(kp.keyPackage) }],
      remove: [],
    });
    await waitFor(
      () => hostSeen,
      (s) => s.some((t) => /claiming to be Wally: that device is waiting to be let in/.test(t)),
      WARN_WITHIN_MS,
      'the committer refuses a waiting device',
    );
    expect(names(host.room.e2ee.view)).toEqual(['Host bot']);
  });

  it('forged downgrade naming nobody: the host device signs nothing and says why', async () => {
    const m = await encryptedMeeting(1, 'downgrade');
    const hostSeen = banners(m.host);
    m.hostWire.inject({
      type: 'e2ee.downgradeRequired',
      participantId: '00000000-0000-4000-8000-000000000000',
      displayName: 'Imaginary client',
      clientLabel: 'Old browser',
    });
    await waitFor(
      () => hostSeen,
      (s) => s.some((t) => /Ignored a request from the server .*nobody by that name/.test(t)),
      WARN_WITHIN_MS,
      'the host device refuses',
    );
    await new Promise((r) => setTimeout(r, 300));
    for (const b of [m.host, ...m.others]) expect(b.room.e2ee.view.local?.inGroup).toBe(true);
  });

  it('downgrade naming an E2EE-capable participant: refused', async () => {
    const m = await encryptedMeeting(1, 'downgrade');
    const hostSeen = banners(m.host);
    const bob = m.others[0]!;
    m.hostWire.inject({
      type: 'e2ee.downgradeRequired',
      participantId: bob.room.selfId!,
      displayName: 'Bot B',
      clientLabel: 'Old browser',
    });
    await waitFor(
      () => hostSeen,
      (s) => s.some((t) => /Bot B's client can do end-to-end encryption/.test(t)),
      WARN_WITHIN_MS,
      'the host device refuses',
    );
    expect(bob.room.e2ee.view.local?.inGroup).toBe(true);
  });

  it('policy switched from hold to downgrade mid-meeting: the host device keeps the signed rule', async () => {
    const m = await encryptedMeeting(1, 'hold');
    expect(m.host.room.e2ee.view.local?.policy?.unsupportedClients).toBe('hold');
    const hostSeen = banners(m.host);
    // A real unsupported client joins (held), then the server pretends the policy is downgrade.
    const old = await WsClient.connect(server.url);
    cleanup.push(async () => old.close());
    const joined = await old.request({
      type: 'join',
      protocolVersion: PROTOCOL_VERSION,
      meetingId: m.id,
      displayName: 'Olga',
      capabilities: { encodedTransform: null, mlsCiphersuites: [], clientLabel: 'Old browser' },
    });
    const olgaId = (joined.result as { participantId: string }).participantId;
    await waitFor(
      () => m.host.room.participants.some((p) => p.id === olgaId),
      Boolean,
      WARN_WITHIN_MS,
      'Olga in the list',
    );
    m.hostWire.inject({
      type: 'e2ee.downgradeRequired',
      participantId: olgaId,
      displayName: 'Olga',
      clientLabel: 'Old browser',
    });
    await waitFor(
      () => hostSeen,
      (s) =>
        s.some((t) =>
          /policy, fixed when encryption was turned on, is to keep such participants waiting/.test(
            t,
          ),
        ),
      WARN_WITHIN_MS,
      'the host device refuses',
    );
    expect(m.others[0]!.room.e2ee.view.local?.inGroup).toBe(true);
  });

  it('"E2EE off" from a leaf that did not turn E2EE on is ignored, even relayed as the host', async () => {
    const m = await encryptedMeeting(2);
    const [bob, carol] = m.others as [Bot, Bot];
    const carolSeen = banners(carol);
    const sealed = await bob.worker.engine.sealControl({ kind: 'e2ee-off', reason: 'host' });
    m.wires[1]!.inject({ type: 'e2ee.app', from: m.host.room.selfId!, message: b64(sealed) });
    await waitFor(
      () => carolSeen,
      (s) => s.some((t) => /did not come from the device that turned it on/.test(t)),
      WARN_WITHIN_MS,
      'Carol ignores it',
    );
    expect(carol.room.e2ee.view.local?.inGroup).toBe(true);
    expect(carol.room.e2ee.view.local?.encrypting).toBe(true);
  });

  it('withheld Remove: the leaver stays a key holder and every device says so within 2 s', async () => {
    const m = await encryptedMeeting(2);
    const [bob, carol] = m.others as [Bot, Bot];
    m.hostWire.tap.incoming = (f: Frame) => (f.type === 'e2ee.pending' ? [] : [f]); // the committer is never asked to remove anyone
    await carol.room.leave();
    for (const b of [m.host, bob])
      await waitFor(
        () => b.room.e2ee.view.rosterMismatch,
        (w) => w.some((t) => t === 'Bot C holds the key but is not in the participant list.'),
        WARN_WITHIN_MS,
        `${b.name} warns`,
      );
  });

  it('withheld Welcome: the joiner says so, asks again, then the host is told who could not join', async () => {
    const m = await encryptedMeeting(1);
    const wire = new HostileWire();
    wire.tap.incoming = (f: Frame) => (f.type === 'e2ee.welcome' ? [] : [f]);
    const dora = await joinBot(server.url, m.id, 'Dora', undefined, { wire });
    cleanup.push(() => dora.room.leave());
    await waitFor(
      () => dora.room.e2ee.view.joinFailure,
      (f) => f !== null && /no Welcome arrived/.test(f),
      20_000,
      'Dora is told',
    );
    for (const b of [m.host])
      await waitFor(
        () => b.room.e2ee.view.membersWhoCouldNotJoin.map((f) => f.displayName),
        (w) => w.includes('Dora'),
        WARN_WITHIN_MS,
        `${b.name} warns`,
      );
  });

  it('replayed Commit: refused, the device stays at its epoch with everyone’s security code', async () => {
    const m = await encryptedMeeting(1);
    const bob = m.others[0]!;
    const bobSeen = banners(bob);
    const c = await joinBot(server.url, m.id, 'Bot C');
    cleanup.push(() => c.room.leave());
    await Promise.all(
      [m.host, bob, c].map((b) => waitForView(b, (v) => v.local?.roster.length === 3)),
    );
    const old = m.wires[0]!.received.filter((f) => f.type === 'e2ee.commit').at(-1)!;
    const before = bob.room.e2ee.view.local!;
    m.wires[0]!.inject(old);
    await waitFor(
      () => bobSeen,
      (s) => s.some((t) => /Applying a key change failed/.test(t)),
      WARN_WITHIN_MS,
      'Bob refuses the replay',
    );
    expect(bob.room.e2ee.view.local!.epoch).toBe(before.epoch);
    expect(bob.room.e2ee.view.local!.securityCode).toBe(m.host.room.e2ee.view.local!.securityCode);
  });

  it('a device key changed by the server mid-meeting: the first key stays pinned and everyone is told', async () => {
    const m = await encryptedMeeting(1);
    const bob = m.others[0]!;
    const hostId = m.host.room.selfId!;
    const rewrite = (f: Frame): Frame[] => {
      if (f.type !== 'participant.updated') return [f];
      const p = f.participant as { id: string; mlsSignatureKey: string | null };
      return p.id === hostId
        ? [{ ...f, participant: { ...p, mlsSignatureKey: 'A'.repeat(43) + '=' } }]
        : [f];
    };
    m.wires[0]!.tap.incoming = rewrite;
    await m.host.room.setMicrophoneMuted(true);
    await waitFor(
      () => bob.room.e2ee.view.rosterMismatch,
      (w) => w.some((t) => /changed the key of Host bot's device/.test(t)),
      WARN_WITHIN_MS,
      'Bob warns',
    );
    expect(bob.room.e2ee.view.local?.inGroup).toBe(true);
  });

  /** A signed-in person: an account member with a session cookie. */
  async function signedIn(email: string, name: string) {
    await createAccountWithOwner(server.stores, {
      name: `${name}'s practice`,
      ownerEmail: email,
      ownerName: name,
      ownerPassword: 'owner password 123',
      plan: 'business',
    });
    const api = new ApiClient(server.url);
    expect((await api.signIn(email, 'owner password 123')).status).toBe(200);
    return cookieOf(api);
  }

  const trustOf = (b: Bot, name: string) =>
    b.room.e2ee.view.local?.roster.filter((m) => m.displayName === name).map((m) => m.trust);

  it('a known account user appearing with a changed device key: "New device for Alice" on every device that met her', async () => {
    const m = await encryptedMeeting(1);
    const bob = m.others[0]!;
    const cookie = await signedIn('alice@tofu.test', 'Alice');
    const laptop = new MemoryDeviceKeyStore();
    const join = async (deviceKeys: MemoryDeviceKeyStore) => {
      const a = await joinBot(server.url, m.id, 'Alice', undefined, { cookie, deviceKeys });
      cleanup.push(() => a.room.leave());
      await Promise.all(
        [m.host, bob, a].map((b) => waitForView(b, (v) => v.local?.roster.length === 3)),
      );
      return a;
    };
    // First meeting: her device key is remembered; guests are labelled as such.
    let alice = await join(laptop);
    expect(trustOf(bob, 'Alice')).toEqual(['first-meeting']);
    expect(trustOf(alice, 'Bot B')).toEqual(['guest']);
    expect(trustOf(alice, 'Alice')).toEqual(['self']);
    expect(alice.room.participants.find((p) => p.id === alice.room.selfId)?.accountUserId).toMatch(
      /^[0-9a-f-]{36}$/,
    );
    await alice.room.leave();
    await waitForView(bob, (v) => v.local?.roster.length === 2);
    // Same device again (a new session key, the same device key): known, no warning.
    alice = await join(laptop);
    expect(trustOf(bob, 'Alice')).toEqual(['known']);
    expect(bob.room.e2ee.view.rosterMismatch).toEqual([]);
    await alice.room.leave();
    await waitForView(bob, (v) => v.local?.roster.length === 2);
    // The server presents a device it controls as Alice's account: a device key nobody met.
    await join(new MemoryDeviceKeyStore());
    for (const b of [m.host, bob]) {
      await waitFor(
        () => b.room.e2ee.view.rosterMismatch,
        (w) => w.some((t) => /^New device for Alice: /.test(t)),
        WARN_WITHIN_MS,
        `${b.name} warns`,
      );
      expect(trustOf(b, 'Alice')).toEqual(['new-device']);
    }
    // Only a person accepts it (after comparing the security code with Alice).
    const leaf = bob.room.e2ee.view.local!.roster.find((r) => r.displayName === 'Alice')!;
    await bob.room.e2ee.trustNewDevice(leaf.signatureKey);
    await waitFor(
      () => bob.room.e2ee.view.rosterMismatch,
      (w) => w.length === 0,
      WARN_WITHIN_MS,
      'the warning goes once Bob accepts',
    );
    expect(m.host.room.e2ee.view.rosterMismatch.some((t) => /New device for Alice/.test(t))).toBe(
      true,
    );
  });

  it("RFC 9420 §5.3.1: a KeyPackage replaying Alice's device binding with another key is refused", async () => {
    const m = await encryptedMeeting(1);
    const hostSeen = banners(m.host);
    const cookie = await signedIn('alice2@tofu.test', 'Alice');
    const alice = await joinBot(server.url, m.id, 'Alice', undefined, {
      cookie,
      deviceKeys: new MemoryDeviceKeyStore(),
    });
    cleanup.push(() => alice.room.leave());
    await waitForView(m.host, (v) => v.local?.roster.length === 3);
    const real = m.host.room.e2ee.view.local!.roster.find((r) => r.displayName === 'Alice')!;
    // The server's own device, announced with the server's key and labelled as Alice's account,
    // carrying Alice's binding (which vouches for her session key, not this one).
    m.hostWire.tap.incoming = (f: Frame) => {
      const p = f.participant as { id?: string; displayName?: string } | undefined;
      return (f.type === 'participant.joined' || f.type === 'participant.updated') &&
        p?.displayName === 'Alice' &&
        p.id !== alice.room.selfId
        ? [{ ...f, participant: { ...p, accountUserId: real.device!.accountUserId } }]
        : [f];
    };
    const ghost = await ghostDevice(m.id, 'Alice');
    const forged = await GroupSession.makeKeyPackage(
      { userId: ghost.id, displayName: 'Alice', deviceId: ghost.id, device: real.device! },
      ghost.key,
    );
    await ghost.ws.request({ type: 'e2ee.keyPackage', keyPackage: b64(forged.keyPackage) });
    await waitFor(
      () => hostSeen,
      (s) => s.some((t) => /claiming to be Alice: its device signature does not vouch/.test(t)),
      WARN_WITHIN_MS,
      'the committer refuses the replayed binding',
    );
    expect(names(m.host.room.e2ee.view)).toEqual(['Alice', 'Bot B', 'Host bot']);
  });
});
