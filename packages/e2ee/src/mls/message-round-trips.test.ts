import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWebCryptoBackend } from '../sframe/backend/webcrypto';
import { GroupSession } from './group-session';

const who = (i: number) => ({ userId: `u${i}`, displayName: `U${i}`, deviceId: `d${i}` });

/** Every asynchronous WebCrypto call (one thread-pool round trip each) made while `fn` runs. */
async function subtleCalls(fn: () => Promise<unknown>): Promise<string[]> {
  const calls: string[] = [];
  const s = globalThis.crypto.subtle;
  for (const op of ['importKey', 'sign', 'verify', 'encrypt', 'decrypt', 'digest'] as const) {
    const orig = s[op].bind(s) as (...a: unknown[]) => Promise<unknown>;
    vi.spyOn(s, op).mockImplementation(((...a: unknown[]) => {
      const alg = a[op === 'importKey' ? 2 : 0];
      calls.push(`${op}:${typeof alg === 'string' ? alg : (alg as { name: string }).name}`);
      return orig(...a);
    }) as never);
  }
  await fn();
  vi.restoreAllMocks();
  return calls;
}

describe('a chat message in a browser worker (WebCrypto)', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('is sealed and opened without an HMAC round trip to WebCrypto (RFC 9420 §9 KDF runs in the worker)', async () => {
    // Two devices, each with its own backend (a device does not verify its own signatures again).
    const alice = await GroupSession.create(who(0), { backend: createWebCryptoBackend() });
    const backend = createWebCryptoBackend();
    const bobJoin = await GroupSession.makeKeyPackage(who(1), undefined, backend);
    const { welcome } = await alice.addMembers([bobJoin.keyPackage]);
    const bob = await GroupSession.joinFromWelcome(welcome, bobJoin, { backend });
    // Warm the signature key caches (imported once per device, not per message).
    await bob.openApplication(await alice.sealApplication(new Uint8Array(1)));
    // The look-ahead after it (RFC 9420 §9.1 next generation, and its AES key imported) runs
    // while the devices are idle, before the next message.
    await Promise.all([alice.lookAheadSettled(), bob.lookAheadSettled()]);

    const text = new TextEncoder().encode('hello from the worker');
    let opened: Uint8Array | undefined;
    // This message's own look-ahead (for the one after it) is left out of the count.
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const calls = await subtleCalls(async () => {
      opened = (await bob.openApplication(await alice.sealApplication(text))).data;
    });
    vi.useRealTimers();
    expect(new TextDecoder().decode(opened)).toBe('hello from the worker');
    expect(calls.filter((c) => c.includes('HMAC'))).toEqual([]);
    // What is left: the signature and its verification (§6.1), and two AEADs on each side
    // (content and sender data, §6.3); only the sender-data key, which depends on the
    // ciphertext (§6.3.2), is imported on the message's way: the content key was imported ahead.
    expect(calls.filter((c) => c.startsWith('importKey'))).toEqual([
      'importKey:AES-GCM',
      'importKey:AES-GCM',
    ]);
    expect(calls.length).toBe(8);
  });
});
