import { generateDeviceKey, signDeviceBinding, SigningKey } from '@conclave/e2ee';
import { createNodeBackend } from '@conclave/e2ee/node';
import { describe, expect, it } from 'vitest';
import { BoardKeys } from './board-keys';
import { decodeChatPayload, encodeChatPayload, privateChatContext } from './chat-payload';
import { MemoryDeviceKeyStore } from './device-keys';
import { DeviceTrustBook } from './device-trust';

describe('chat payloads (issue 18)', () => {
  it('round-trip; anything else is refused', () => {
    const pub = { kind: 'chat' as const, text: 'hello <b>' };
    expect(decodeChatPayload(encodeChatPayload(pub))).toEqual(pub);
    const priv = {
      kind: 'chat-private' as const,
      to: 'p2',
      kemOutput: Uint8Array.of(1, 2, 3),
      ciphertext: Uint8Array.of(4, 5),
    };
    expect(decodeChatPayload(encodeChatPayload(priv))).toEqual(priv);
    const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
    for (const bad of [
      enc({ v: 2, kind: 'chat', text: 'x' }),
      enc({ v: 1, kind: 'chat', text: 1 }),
      enc({ v: 1, kind: 'chat', text: 'x', extra: true }),
      enc({ v: 1, kind: 'e2ee-off', reason: 'host' }),
      enc({ v: 1, kind: 'chat-private', to: 'p', kemOutput: 'AA==' }),
      Uint8Array.of(0xff, 0xfe),
    ])
      expect(decodeChatPayload(bad)).toBeUndefined();
  });

  it('the private-message context binds group, epoch, sender and recipient', () => {
    const g = Uint8Array.of(9, 9);
    const base = privateChatContext(g, 5n, 1, 2);
    expect(privateChatContext(g, 5n, 2, 1)).not.toEqual(base);
    expect(privateChatContext(g, 6n, 1, 2)).not.toEqual(base);
    expect(privateChatContext(Uint8Array.of(9, 8), 5n, 1, 2)).not.toEqual(base);
  });
});

describe('whiteboard keys per epoch (issue 18)', () => {
  it('opens what was sealed for an epoch it holds (the last four), nothing tampered', async () => {
    const backend = createNodeBackend();
    const keys = new BoardKeys(backend);
    await expect(keys.seal(Uint8Array.of(1))).rejects.toThrow(/not in the group/);
    await keys.install(1n, new Uint8Array(32).fill(1));
    const sealed = await keys.seal(Uint8Array.of(1, 2, 3));
    await keys.install(2n, new Uint8Array(32).fill(2));
    expect(await keys.open(sealed)).toEqual(Uint8Array.of(1, 2, 3));
    const tampered = sealed.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(await keys.open(tampered)).toBeUndefined();
    expect(await keys.open(sealed.subarray(0, 10))).toBeUndefined();
    const other = new BoardKeys(backend);
    await other.install(1n, new Uint8Array(32).fill(7));
    expect(await other.open(sealed)).toBeUndefined();
    for (let e = 3n; e <= 6n; e++) await keys.install(e, new Uint8Array(32).fill(Number(e)));
    expect(await keys.open(sealed)).toBeUndefined(); // epoch 1 is older than the last four
  });
});

describe('trust on first use (issue 14)', () => {
  it('first meeting is remembered; the same device is known; another device is new until accepted', async () => {
    const store = new MemoryDeviceKeyStore();
    const book = new DeviceTrustBook(store);
    await book.load();
    const leaf = async (deviceKeys: CryptoKeyPair) => {
      const session = await SigningKey.generate();
      const device = await signDeviceBinding(deviceKeys, 'alice', session.publicKey);
      return {
        identity: { userId: 'p', displayName: 'Alice', deviceId: 'p', device },
        key: Buffer.from(session.publicKey).toString('base64'),
      };
    };
    const laptop = await generateDeviceKey();
    const first = await leaf(laptop);
    expect(book.classify(first.identity, first.key, false)).toBe('first-meeting');
    expect(book.classify(first.identity, first.key, false)).toBe('first-meeting'); // stable
    const again = await leaf(laptop);
    const later = new DeviceTrustBook(store);
    await later.load();
    expect(later.classify(again.identity, again.key, false)).toBe('known');
    const phone = await leaf(await generateDeviceKey());
    expect(later.classify(phone.identity, phone.key, false)).toBe('new-device');
    await later.accept('alice', Buffer.from(phone.identity.device.deviceKey).toString('base64'));
    expect(later.classify(phone.identity, phone.key, false)).toBe('known');
    expect(later.classify({ userId: 'g', displayName: 'Guest', deviceId: 'g' }, 'k', false)).toBe(
      'guest',
    );
  });
});
