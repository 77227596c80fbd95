import { createNodeBackend } from '@conclave/e2ee/node';
import { describe, expect, it } from 'vitest';
import { toBase64 } from './base64';
import { E2eeEngine } from './engine';

// DESIGN §4.4: a device that joins (or re-joins, after a failover) from a Welcome must never have
// a moment in which it would send or show frames in the clear. Installing an epoch awaits key
// derivation, so the state is sampled at every crypto step while the Welcome is processed (on
// node:crypto the whole join can finish within one macrotask: a timer would see none of it).
describe('joining from a Welcome', () => {
  it('frames are dropped, never in the clear, until the new keys are in', async () => {
    const backend = createNodeBackend();
    const seen: boolean[] = [];
    let sampling = false;
    const sampled = new Proxy(backend, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (sampling) seen.push(joiner.status().encrypting);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const host = new E2eeEngine({ backend });
    const joiner: E2eeEngine = new E2eeEngine({ backend: sampled });
    const ids = [
      { userId: 'u-host', displayName: 'Host', deviceId: 'd-host' },
      { userId: 'u-joiner', displayName: 'Joiner', deviceId: 'd-joiner' },
    ];
    await host.init(ids[0]!);
    await joiner.init(ids[1]!);
    const devices = [
      { ...ids[0]!, engine: host },
      { ...ids[1]!, engine: joiner },
    ];
    const expected = await Promise.all(
      devices.map(async ({ engine, ...id }) => ({
        ...id,
        accountUserId: null,
        signatureKey: toBase64(await engine.signingPublicKey()),
        present: true,
        admitted: true,
      })),
    );
    for (const e of [host, joiner]) e.setExpectedDevices(expected);

    // Failover: the joiner was encrypting in the old group; it now waits for the new one.
    joiner.expectEncryption(true);
    const keyPackage = await joiner.makeKeyPackage();
    const out = await host.createGroup([keyPackage], 'downgrade');
    expect(out.welcome).toBeDefined();

    sampling = true;
    await joiner.joinFromWelcome(out.welcome!);
    sampling = false;
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.filter((e) => !e)).toEqual([]);
    expect(joiner.status()).toMatchObject({ encrypting: true });
    expect(joiner.status().securityCode).toBe(host.status().securityCode);
  });
});
