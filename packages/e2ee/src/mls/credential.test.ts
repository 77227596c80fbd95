import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { E2eeError } from '../errors';
import {
  authenticationService,
  decodeIdentity,
  encodeIdentity,
  identityCredential,
} from './credential';

describe('member identity credential', () => {
  it('round-trips any user id, display name and device id', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 200 }),
        (u, n, d) => {
          const id = { userId: u, displayName: n, deviceId: d };
          expect(decodeIdentity(encodeIdentity(id))).toEqual(id);
        },
      ),
    );
  });

  it('rejects truncated, trailing or versionless bytes', () => {
    const good = encodeIdentity({ userId: 'u', displayName: 'Ann', deviceId: 'd' });
    const bad = [
      good.subarray(0, good.length - 1),
      Uint8Array.of(...good, 0),
      Uint8Array.of(2, ...good.subarray(1)),
    ];
    for (const b of bad) expect(() => decodeIdentity(b)).toThrow(E2eeError);
  });

  it('authentication service refuses foreign credentials and defers to the validator', async () => {
    const as = authenticationService((m) => m.deviceId === 'ok');
    const key = new Uint8Array(32);
    expect(
      await as.validateCredential({ credentialType: 'basic', identity: Uint8Array.of(1) }, key),
    ).toBe(false);
    expect(await as.validateCredential({ credentialType: 'x509', certificates: [] }, key)).toBe(
      false,
    );
    expect(
      await as.validateCredential(
        identityCredential({ userId: 'a', displayName: 'A', deviceId: 'ok' }),
        key,
      ),
    ).toBe(true);
    expect(
      await as.validateCredential(
        identityCredential({ userId: 'a', displayName: 'A', deviceId: 'no' }),
        key,
      ),
    ).toBe(false);
  });
});
