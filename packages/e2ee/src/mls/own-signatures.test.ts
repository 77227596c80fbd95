import { describe, expect, it } from 'vitest';
import { createNodeBackend } from '../sframe/backend/node';
import type { CryptoBackend } from '../sframe/backend/types';
import { GroupSession, SigningKey } from './group-session';
import { mlsSuite } from './mls-suite';

/** A node:crypto backend that counts its Ed25519 verifications. */
function countingBackend(): { backend: CryptoBackend; verifies: () => number } {
  const base = createNodeBackend();
  let n = 0;
  const backend: CryptoBackend = {
    ...base,
    ed25519Verify(...args) {
      n++;
      return base.ed25519Verify(...args);
    },
  };
  return { backend, verifies: () => n };
}

const who = (i: number) => ({ userId: `u${i}`, displayName: `U${i}`, deviceId: `d${i}` });

describe('signatures this device made', () => {
  it('a joiner verifies every leaf of a Welcome but its own (5 members: 4 leaves + the GroupInfo)', async () => {
    const { backend, verifies } = countingBackend();
    const starter = await GroupSession.create(who(0));
    // Each joiner is its own device (its own backend); the first is the one counted.
    const joiners = await Promise.all(
      [1, 2, 3, 4].map(async (i) =>
        GroupSession.makeKeyPackage(
          who(i),
          await SigningKey.generate(),
          i === 1 ? backend : createNodeBackend(),
        ),
      ),
    );
    const { welcome } = await starter.addMembers(joiners.map((j) => j.keyPackage));
    const before = verifies();
    const joined = await GroupSession.joinFromWelcome(welcome, joiners[0]!, { backend });
    // RFC 9420 §12.4.3.1: the GroupInfo signature and the other four leaves (§7.9.2); the
    // joiner's own leaf is the one it signed for its KeyPackage.
    expect(verifies() - before).toBe(5);
    expect(joined.members()).toHaveLength(5);
  });

  it('verifies as usual any other message, key or signature', async () => {
    const { backend, verifies } = countingBackend();
    const cs = await mlsSuite(backend);
    const mine = await cs.signature.keygen();
    const other = await cs.signature.keygen();
    const message = new TextEncoder().encode('leaf node tbs');
    const signature = await cs.signature.sign(mine.signKey, message);
    expect(await cs.signature.verify(mine.publicKey, message, signature)).toBe(true);
    expect(verifies()).toBe(0);
    const changed = message.slice();
    changed[0]! ^= 1;
    const forged = signature.slice();
    forged[63]! ^= 1;
    expect(await cs.signature.verify(mine.publicKey, changed, signature)).toBe(false);
    expect(await cs.signature.verify(other.publicKey, message, signature)).toBe(false);
    expect(await cs.signature.verify(mine.publicKey, message, forged)).toBe(false);
    expect(verifies()).toBe(3);
  });
});
