// Stories for MLS-keyed SFrame (DESIGN §4.2): three devices in one group, removal, epoch grace.
import {
  createCommit,
  createGroup,
  defaultCapabilities,
  defaultLifetime,
  emptyPskIndex,
  generateKeyPackage,
  getCiphersuiteFromName,
  getCiphersuiteImpl,
  joinGroup,
  processPrivateMessage,
} from 'ts-mls';
import { initializeEpoch } from 'ts-mls/keySchedule.js';
import { toLeafIndex as toLeafIndexMls } from 'ts-mls/treemath.js';
import { describe, expect, it } from 'vitest';
import { securityCode } from './code';
import { E2eeError } from './errors';
import { MlsFrameKeyring, packKid } from './keys/sframe-mls-keys';
import type { MemberIdentity } from './mls/credential';
import { GroupSession, toLeafIndex } from './mls/group-session';
import { createNodeBackend } from './sframe/backend/node';
import { createWebCryptoBackend } from './sframe/backend/webcrypto';
import { encodeHeader } from './sframe/header';

const id = (name: string): MemberIdentity => ({
  userId: `u-${name}`,
  displayName: name,
  deviceId: `d-${name}`,
});

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e) => e instanceof E2eeError && e.code === code);
}

function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

async function threeMembers() {
  const a = await GroupSession.create(id('alice'));
  const pb = await GroupSession.makeKeyPackage(id('bob'));
  const pc = await GroupSession.makeKeyPackage(id('carol'));
  const { welcome } = await a.addMembers([pb.keyPackage, pc.keyPackage]);
  const b = await GroupSession.joinFromWelcome(welcome, pb);
  const c = await GroupSession.joinFromWelcome(welcome, pc);
  return { a, b, c };
}

describe('three members', () => {
  it('agree on the epoch, roster, every sender frame key and the security code', async () => {
    const { a, b, c } = await threeMembers();
    const sessions = [a, b, c];
    expect(sessions.map((s) => s.epoch)).toEqual([1n, 1n, 1n]);
    expect(new Set(sessions.map((s) => s.ownLeafIndex)).size).toBe(3);
    expect(b.members().map((m) => m.identity.displayName)).toEqual(['alice', 'bob', 'carol']);

    const backend = createNodeBackend();
    const rings = sessions.map(() => new MlsFrameKeyring({ backend }));
    await Promise.all(rings.map((r, i) => r.installFrom(sessions[i]!)));
    for (const sender of sessions) {
      const mats = await Promise.all(
        rings.map((r) => r.senderKeyMaterial(1n, sender.ownLeafIndex)),
      );
      for (const m of mats) {
        expect(m.key).toEqual(mats[0]!.key);
        expect(m.salt).toEqual(mats[0]!.salt);
      }
    }
    // Different senders get different keys (KID differs in the sender bits).
    const ka = await rings[0]!.senderKeyMaterial(1n, a.ownLeafIndex);
    const kb = await rings[0]!.senderKeyMaterial(1n, b.ownLeafIndex);
    expect(ka.key).not.toEqual(kb.key);

    const codes = sessions.map((s) => securityCode(s.epochAuthenticator()));
    expect(codes[1]).toBe(codes[0]);
    expect(codes[2]).toBe(codes[0]);
    expect(codes[0]).toMatch(/^\d{5}( \d{5}){5}$/);

    // Every member decrypts every other member's frames.
    for (let s = 0; s < 3; s++) {
      const frame = await rings[s]!.encrypt(Uint8Array.of(s, 1, 2, 3), Uint8Array.of(0xaa));
      for (let r = 0; r < 3; r++) {
        if (r === s) continue;
        const out = await rings[r]!.decrypt(frame, Uint8Array.of(0xaa));
        expect(out.plaintext).toEqual(Uint8Array.of(s, 1, 2, 3));
        expect(out.senderIndex).toBe(sessions[s]!.ownLeafIndex);
      }
    }
  });

  it('see a new security code after every epoch change', async () => {
    const { a, b, c } = await threeMembers();
    const before = securityCode(a.epochAuthenticator());
    const { commit } = await a.removeMembers([c.ownLeafIndex]);
    await b.processCommit(commit);
    expect(securityCode(b.epochAuthenticator())).toBe(securityCode(a.epochAuthenticator()));
    expect(securityCode(a.epochAuthenticator())).not.toBe(before);
  });
});

describe('removal', () => {
  it('removed member cannot derive the next epoch key or decrypt a frame sent after its removal', async () => {
    const { a, b, c } = await threeMembers();
    const backend = createWebCryptoBackend();
    const clock = fakeClock();
    const [ra, rb, rc] = [a, b, c].map(() => new MlsFrameKeyring({ backend, now: clock.now }));
    await ra!.installFrom(a);
    await rb!.installFrom(b);
    await rc!.installFrom(c);
    const oldBase = await c.exportSecret('SFrame 1.0 Base Key', new Uint8Array(0), 16);

    const { commit } = await a.removeMembers([c.ownLeafIndex]);
    expect(await b.processCommit(commit)).toEqual({ kind: 'epoch', epoch: 2n });
    expect(await c.processCommit(commit)).toEqual({ kind: 'removed', epoch: 1n });
    expect(c.active).toBe(false);
    await expectCode(
      c.exportSecret('SFrame 1.0 Base Key', new Uint8Array(0), 16),
      'E2EE_ERR_NOT_A_MEMBER',
    );
    await expectCode(c.removeMembers([a.ownLeafIndex]), 'E2EE_ERR_NOT_A_MEMBER');

    const newBase = await a.exportSecret('SFrame 1.0 Base Key', new Uint8Array(0), 16);
    expect(await b.exportSecret('SFrame 1.0 Base Key', new Uint8Array(0), 16)).toEqual(newBase);
    expect(newBase).not.toEqual(oldBase);

    await ra!.installFrom(a);
    await rb!.installFrom(b);
    const frame = await ra!.encrypt(new TextEncoder().encode('after removal'));
    expect(new TextDecoder().decode((await rb!.decrypt(frame)).plaintext)).toBe('after removal');
    await expectCode(rc!.decrypt(frame), 'E2EE_ERR_UNKNOWN_KID');
    // Even with the right KID forced onto its old key, the frame does not authenticate.
    const forced = new MlsFrameKeyring({ backend });
    await forced.install({
      epoch: 2n,
      baseKey: oldBase,
      ownLeafIndex: c.ownLeafIndex,
      members: [0, 1, 2],
    });
    await expectCode(forced.decrypt(frame), 'E2EE_ERR_AUTH_FAILED');
  });

  // Regression for the ts-mls 2.0.0-rc.10 bug (research probe caveat 2): a single-Remove commit
  // without an UpdatePath lets the removed member compute the next epoch from its init_secret.
  it('removed member cannot compute the next exporter secret from its old init_secret', async () => {
    const cs = await getCiphersuiteImpl(
      getCiphersuiteFromName('MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519'),
    );
    const kp = async (n: string) =>
      generateKeyPackage(
        { credentialType: 'basic', identity: new TextEncoder().encode(n) },
        defaultCapabilities(),
        defaultLifetime,
        [],
        cs,
      );
    const [ka, kb, kc] = await Promise.all([kp('a'), kp('b'), kp('c')]);
    let a = await createGroup(
      new Uint8Array([1, 2, 3]),
      ka.publicPackage,
      ka.privatePackage,
      [],
      cs,
    );
    const add = await createCommit(
      { state: a, cipherSuite: cs },
      {
        ratchetTreeExtension: true,
        extraProposals: [kb, kc].map((k) => ({
          proposalType: 'add' as const,
          add: { keyPackage: k.publicPackage },
        })),
      },
    );
    a = add.newState;
    const c = await joinGroup(add.welcome!, kc.publicPackage, kc.privatePackage, emptyPskIndex, cs);
    const rm = await createCommit(
      { state: a, cipherSuite: cs },
      {
        extraProposals: [
          { proposalType: 'remove', remove: { removed: toLeafIndexMls(c.privatePath.leafIndex) } },
        ],
      },
    );
    const zeros = new Uint8Array(cs.kdf.size);
    const guess = await initializeEpoch(
      c.keySchedule.initSecret,
      zeros,
      rm.newState.groupContext,
      zeros,
      cs.kdf,
    );
    expect(guess.keySchedule.exporterSecret).not.toEqual(rm.newState.keySchedule.exporterSecret);
    // And processing its own removal leaves C unable to continue.
    if (rm.commit.wireformat !== 'mls_private_message')
      throw new Error('expected a PrivateMessage');
    const res = await processPrivateMessage(c, rm.commit.privateMessage, emptyPskIndex, cs);
    expect(res.newState.groupActiveState.kind).toBe('removedFromGroup');
  });
});

describe('epoch grace', () => {
  it('accepts a previous-epoch frame within the grace time and rejects it after', async () => {
    const { a, b, c } = await threeMembers();
    const backend = createNodeBackend();
    const clock = fakeClock();
    const ra = new MlsFrameKeyring({ backend, now: clock.now, graceMs: 10_000 });
    const rb = new MlsFrameKeyring({ backend, now: clock.now });
    await ra.installFrom(a);
    await rb.installFrom(b);
    const old1 = await ra.encrypt(Uint8Array.of(1));
    const old2 = await ra.encrypt(Uint8Array.of(2));

    const { commit } = await b.removeMembers([c.ownLeafIndex]);
    await a.processCommit(commit);
    await ra.installFrom(a);
    await rb.installFrom(b);
    const fresh = await rb.encrypt(Uint8Array.of(3));

    clock.advance(9_999);
    expect((await rb.decrypt(old1)).epoch).toBe(1n);
    expect((await ra.decrypt(fresh)).epoch).toBe(2n);
    clock.advance(1);
    await expectCode(rb.decrypt(old2), 'E2EE_ERR_KEY_EXPIRED');
    // The current epoch is unaffected.
    expect((await rb.decrypt(await ra.encrypt(Uint8Array.of(4)))).plaintext).toEqual(
      Uint8Array.of(4),
    );
  });

  it('keeps sending under the previous epoch until the send switch delay passes', async () => {
    const backend = createNodeBackend();
    const clock = fakeClock();
    const ring = new MlsFrameKeyring({ backend, now: clock.now, sendSwitchDelayMs: 500 });
    const base = (n: number) => new Uint8Array(16).fill(n);
    await ring.install({ epoch: 5n, baseKey: base(5), ownLeafIndex: 0, members: [0, 1] });
    await ring.install({ epoch: 6n, baseKey: base(6), ownLeafIndex: 0, members: [0, 1] });
    expect(ring.sendEpoch).toBe(5n);
    clock.advance(500);
    expect(ring.sendEpoch).toBe(6n);
    expect(ring.ownKid()).toBe(packKid(0n, 0, 6n));
  });
});

describe('frame rejection through the keyring', () => {
  async function pair() {
    const backend = createNodeBackend();
    const [s, r] = [new MlsFrameKeyring({ backend }), new MlsFrameKeyring({ backend })];
    const keys = { epoch: 3n, baseKey: new Uint8Array(16).fill(7), members: [0, 1, 2] };
    await s.install({ ...keys, ownLeafIndex: 0 });
    await r.install({ ...keys, ownLeafIndex: 1 });
    return { s, r };
  }

  it('rejects tampered header, metadata or ciphertext', async () => {
    const { s, r } = await pair();
    const md = Uint8Array.of(0x90, 0x01, 0x02); // e.g. the clear VP8 payload header bytes
    const frame = await s.encrypt(new Uint8Array(300).fill(1), md);
    const headerLen =
      1 +
      (frame[0]! & 0x80 ? ((frame[0]! >> 4) & 7) + 1 : 0) +
      (frame[0]! & 0x08 ? (frame[0]! & 7) + 1 : 0);
    const tampered = (i: number) => {
      const f = frame.slice();
      f[i]! ^= 0x01;
      return f;
    };
    // Header: flip a CTR bit (config byte keeps KID and sender valid).
    const hdr = frame.slice();
    hdr.set(encodeHeader(packKid(0n, 0, 3n), 5n).subarray(0, 1), 0);
    await expectCode(r.decrypt(hdr, md), 'E2EE_ERR_AUTH_FAILED');
    await expectCode(r.decrypt(tampered(headerLen + 10), md), 'E2EE_ERR_AUTH_FAILED');
    await expectCode(r.decrypt(tampered(frame.length - 1), md), 'E2EE_ERR_AUTH_FAILED');
    await expectCode(r.decrypt(frame, Uint8Array.of(0x90, 0x01, 0x03)), 'E2EE_ERR_AUTH_FAILED');
    await expectCode(r.decrypt(frame, new Uint8Array(0)), 'E2EE_ERR_AUTH_FAILED');
    expect((await r.decrypt(frame, md)).plaintext).toEqual(new Uint8Array(300).fill(1));
  });

  it('rejects a frame with an unknown sender KID', async () => {
    const { s, r } = await pair();
    const frame = await s.encrypt(Uint8Array.of(1, 2, 3));
    const body = frame.subarray(frame.length - 19);
    const withKid = (kid: bigint) => {
      const h = encodeHeader(kid, 0n);
      const f = new Uint8Array(h.length + body.length);
      f.set(h);
      f.set(body, h.length);
      return f;
    };
    await expectCode(r.decrypt(withKid(packKid(0n, 9, 3n))), 'E2EE_ERR_UNKNOWN_KID'); // not in roster
    await expectCode(r.decrypt(withKid(packKid(0n, 0, 4n))), 'E2EE_ERR_UNKNOWN_KID'); // unknown epoch
    await expectCode(r.decrypt(withKid(packKid(1n, 0, 3n))), 'E2EE_ERR_UNKNOWN_KID'); // other context
    await expectCode(r.decrypt(withKid(0xffff_ffff_ffff_ffffn)), 'E2EE_ERR_UNKNOWN_KID');
  });
});

describe('credential validation hook', () => {
  it('rejects adding a device the validator does not accept', async () => {
    const announced = new Set(['d-alice', 'd-bob']);
    const a = await GroupSession.create(id('alice'), {
      validator: (m) => announced.has(m.deviceId),
    });
    const mallory = await GroupSession.makeKeyPackage(id('mallory'));
    await expectCode(a.addMembers([mallory.keyPackage]), 'E2EE_ERR_CREDENTIAL');
    expect(a.epoch).toBe(0n);
    const bob = await GroupSession.makeKeyPackage(id('bob'));
    await a.addMembers([bob.keyPackage]);
    expect(a.epoch).toBe(1n);
  });

  it('rejects joining a group whose tree holds an unannounced device', async () => {
    const a = await GroupSession.create(id('alice'));
    const pb = await GroupSession.makeKeyPackage(id('bob'));
    const pe = await GroupSession.makeKeyPackage(id('eve'));
    const { welcome } = await a.addMembers([pb.keyPackage, pe.keyPackage]);
    const seen: string[] = [];
    await expectCode(
      GroupSession.joinFromWelcome(welcome, pb, {
        validator: (m) => {
          seen.push(m.deviceId);
          return m.deviceId !== 'd-eve';
        },
      }),
      'E2EE_ERR_CREDENTIAL',
    );
    expect(seen).toContain('d-eve');
  });

  it('refuses to remove a leaf that is not a member', async () => {
    const { a } = await threeMembers();
    await expect(a.removeMembers([toLeafIndex(7)])).rejects.toThrow(TypeError);
  });
});

describe('application messages and combined commits', () => {
  it('members exchange an authenticated application message; a removed member cannot open the next one', async () => {
    const { a, b, c } = await threeMembers();
    const sealed = await a.sealApplication(new TextEncoder().encode('e2ee-off'));
    for (const s of [b, c]) {
      const opened = await s.openApplication(sealed);
      expect(opened.senderLeaf).toBe(a.ownLeafIndex);
      expect(new TextDecoder().decode(opened.data)).toBe('e2ee-off');
    }
    const { commit } = await a.removeMembers([c.ownLeafIndex]);
    await b.processCommit(commit);
    await c.processCommit(commit);
    const next = await a.sealApplication(Uint8Array.of(1));
    expect((await b.openApplication(next)).data).toEqual(Uint8Array.of(1));
    await expectCode(c.openApplication(next), 'E2EE_ERR_NOT_A_MEMBER');
  });

  it('adds and removes in one commit', async () => {
    const { a, b, c } = await threeMembers();
    const pd = await GroupSession.makeKeyPackage(id('dave'));
    const out = await a.commitChanges([pd.keyPackage], [c.ownLeafIndex]);
    expect(out.welcome).toBeDefined();
    await b.processCommit(out.commit);
    const d = await GroupSession.joinFromWelcome(out.welcome!, pd);
    expect(d.epoch).toBe(2n);
    expect(
      d
        .members()
        .map((m) => m.identity.displayName)
        .sort(),
    ).toEqual(['alice', 'bob', 'dave']);
    expect(securityCode(d.epochAuthenticator())).toBe(securityCode(b.epochAuthenticator()));
  });
});
