import { GroupSession, SigningKey } from '@conclave/e2ee';
import { describe, expect, it } from 'vitest';
import { toBase64 } from './base64';
import { checkJoiner, describeRefusal, type ExpectedDevice } from './expected-devices';

const device = (
  id: string,
  key: Uint8Array,
  over: Partial<ExpectedDevice> = {},
): ExpectedDevice => ({
  deviceId: id,
  userId: id,
  displayName: id,
  accountUserId: null,
  signatureKey: toBase64(key),
  present: true,
  admitted: true,
  ...over,
});

describe('which KeyPackages a committer adds (DESIGN.md §4.4)', () => {
  it('only a present, admitted device with the key it announced, not already a holder', async () => {
    const key = await SigningKey.generate();
    const kp = GroupSession.inspectKeyPackage(
      (
        await GroupSession.makeKeyPackage(
          { userId: 'bob', displayName: 'Bob', deviceId: 'bob' },
          key,
        )
      ).keyPackage,
    );
    const other = await SigningKey.generate();
    const verdict = (d: ExpectedDevice | undefined, holders: string[] = []) => {
      const r = checkJoiner(
        kp,
        new Map(d ? [[d.deviceId, d]] : []),
        holders.map((h) => ({ userId: h, displayName: h, deviceId: h })),
      );
      return r.ok ? 'ok' : r.refused.reason;
    };
    expect(verdict(device('bob', key.publicKey))).toBe('ok');
    expect(verdict(undefined)).toBe('unknown-device');
    expect(verdict(device('bob', key.publicKey, { present: false }))).toBe('not-in-meeting');
    expect(verdict(device('bob', key.publicKey, { admitted: false }))).toBe('not-admitted');
    expect(verdict(device('bob', key.publicKey, { userId: 'alice' }))).toBe('identity-mismatch');
    expect(verdict(device('bob', other.publicKey))).toBe('key-mismatch');
    expect(verdict(device('bob', key.publicKey), ['bob'])).toBe('duplicate-identity');
    expect(checkJoiner(undefined, new Map(), [])).toEqual({
      ok: false,
      refused: { reason: 'not-a-key-package' },
    });
    expect(
      describeRefusal({
        reason: 'key-mismatch',
        claimed: { userId: 'h', displayName: 'Hana', deviceId: 'h' },
      }),
    ).toBe(
      'Refused a request to give the meeting key to a device claiming to be Hana: its key is not the one that device announced when it joined.',
    );
  });
});
