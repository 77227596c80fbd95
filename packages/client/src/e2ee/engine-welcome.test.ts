import { createNodeBackend } from '@conclave/e2ee/node';
import { describe, expect, it } from 'vitest';
import { toBase64 } from './base64';
import { E2eeEngine } from './engine';

// DESIGN §4.4: a device that joins (or re-joins, after a failover) from a Welcome must never have
// a moment in which it would send or show frames in the clear. Installing an epoch awaits key
// derivation, so the state is sampled across every await while the Welcome is processed.
describe('joining from a Welcome', () => {
  it('frames are dropped, never in the clear, until the new keys are in', async () => {
    const backend = createNodeBackend();
    const host = new E2eeEngine({ backend });
    const joiner = new E2eeEngine({ backend });
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

    const seen: boolean[] = [];
    let done = false;
    const joined = joiner.joinFromWelcome(out.welcome!).finally(() => {
      done = true;
    });
    while (!done) {
      seen.push(joiner.status().encrypting);
      await new Promise((r) => setImmediate(r));
    }
    await joined;
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.filter((e) => !e)).toEqual([]);
    expect(joiner.status()).toMatchObject({ encrypting: true });
    expect(joiner.status().securityCode).toBe(host.status().securityCode);
  });
});
