import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ViaSigner } from './via-header';

// The forwarding header (issue 19): only a node holding the cluster's secret key can say which
// client address a forwarded join comes from. Attacks: forging it, altering the address of a
// genuine one, replaying an old one, signing with another deployment's key.
describe('ViaSigner', () => {
  const key = randomBytes(32);
  let now = 1_800_000_000_000;
  const signer = new ViaSigner(key, () => now);

  it('round-trips the client address and the forwarding node', () => {
    expect(signer.verify(signer.sign('203.0.113.9', 'node-b'))).toEqual({
      address: '203.0.113.9',
      fromNode: 'node-b',
    });
    expect(signer.verify(signer.sign('2001:db8::1', 'n'))?.address).toBe('2001:db8::1');
  });

  it('refuses a forged, altered, stale or foreign header', () => {
    const good = signer.sign('203.0.113.9', 'node-b');
    const [, node, at, mac] = good.split('.');
    const otherAddress = Buffer.from('198.51.100.1').toString('base64url');
    expect(signer.verify(`${otherAddress}.${node}.${at}.${mac}`)).toBeUndefined();
    expect(signer.verify('MTAuMC4wLjE.bm9kZS1i.1.forged')).toBeUndefined();
    expect(signer.verify('')).toBeUndefined();
    expect(signer.verify(good.slice(0, -2))).toBeUndefined();
    expect(new ViaSigner(randomBytes(32), () => now).verify(good)).toBeUndefined();
    now += 31_000; // replayed after the 30 s window
    expect(signer.verify(good)).toBeUndefined();
  });
});
