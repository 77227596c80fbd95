import { describe, expect, it } from 'vitest';
import { GroupSession, SigningKey } from './group-session';
import { decodeMeetingPolicy, encodeMeetingPolicy } from './meeting-policy';

const who = (n: string) => ({ userId: n, displayName: n, deviceId: n });
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

describe('the meeting policy in the MLS group context', () => {
  it('a joiner reads the policy the creator fixed, from the Welcome (RFC 9420 §12.4.3.1)', async () => {
    const key = await SigningKey.generate();
    const policy = { offKeys: [b64(key.publicKey)], unsupportedClients: 'hold' as const };
    const host = await GroupSession.create(who('host'), { signingKey: key, policy });
    const bob = await GroupSession.makeKeyPackage(who('bob'));
    const { welcome } = await host.addMembers([bob.keyPackage]);
    const joined = await GroupSession.joinFromWelcome(welcome, bob);
    expect(joined.policy()).toEqual(policy);
    expect(host.policy()).toEqual(policy);
  });

  it('decoding is strict: extra fields, bad keys or an unknown rule are refused', () => {
    const ok = { offKeys: [`${'A'.repeat(43)}=`], unsupportedClients: 'downgrade' as const };
    expect(decodeMeetingPolicy(encodeMeetingPolicy(ok))).toEqual(ok);
    const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
    for (const bad of [
      { v: 1, offKeys: ok.offKeys, unsupportedClients: 'downgrade', extra: 1 },
      { v: 1, offKeys: ['short'], unsupportedClients: 'downgrade' },
      { v: 1, offKeys: [], unsupportedClients: 'downgrade' },
      { v: 1, offKeys: ok.offKeys, unsupportedClients: 'always-off' },
      { v: 2, offKeys: ok.offKeys, unsupportedClients: 'hold' },
    ])
      expect(() => decodeMeetingPolicy(enc(bad))).toThrow(/meeting policy/);
    expect(() => decodeMeetingPolicy(new Uint8Array([0xff]))).toThrow(/not JSON/);
  });
});
