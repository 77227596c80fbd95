import { describe, expect, it } from 'vitest';
import { E2eeError } from '../errors';
import {
  authenticationService,
  decodeIdentity,
  encodeIdentity,
  identityCredential,
} from './credential';
import { generateDeviceKey, signDeviceBinding, verifyDeviceBinding } from './device-binding';
import { SigningKey } from './group-session';

describe('device binding (signed-in identities)', () => {
  it('a device key vouches for one session key and one account, nothing else', async () => {
    const device = await generateDeviceKey();
    expect(device.privateKey.extractable).toBe(false);
    const session = await SigningKey.generate();
    const other = await SigningKey.generate();
    const binding = await signDeviceBinding(device, 'alice', session.publicKey);
    expect(await verifyDeviceBinding(binding, session.publicKey)).toBe(true);
    expect(await verifyDeviceBinding(binding, other.publicKey)).toBe(false);
    expect(
      await verifyDeviceBinding({ ...binding, accountUserId: 'mallory' }, session.publicKey),
    ).toBe(false);
    const flipped = binding.signature.slice();
    flipped[10]! ^= 1;
    expect(await verifyDeviceBinding({ ...binding, signature: flipped }, session.publicKey)).toBe(
      false,
    );
  });

  it('a signed-in credential round-trips; sizes are strict', async () => {
    const device = await generateDeviceKey();
    const session = await SigningKey.generate();
    const id = {
      userId: 'p1',
      displayName: 'Alice',
      deviceId: 'p1',
      device: await signDeviceBinding(device, 'alice', session.publicKey),
    };
    expect(decodeIdentity(encodeIdentity(id))).toEqual(id);
    const bytes = encodeIdentity(id);
    expect(() => decodeIdentity(bytes.subarray(0, bytes.length - 1))).toThrow(E2eeError);
    expect(() =>
      encodeIdentity({ ...id, device: { ...id.device, signature: new Uint8Array(10) } }),
    ).toThrow(TypeError);
  });

  it('RFC 9420 §5.3.1: the authentication service refuses a binding made for another key', async () => {
    const as = authenticationService(() => true);
    const device = await generateDeviceKey();
    const session = await SigningKey.generate();
    const stolen = await signDeviceBinding(device, 'alice', session.publicKey);
    const ghost = await SigningKey.generate();
    const cred = identityCredential({
      userId: 'g',
      displayName: 'Alice',
      deviceId: 'g',
      device: stolen,
    });
    expect(await as.validateCredential(cred, session.publicKey)).toBe(true);
    expect(await as.validateCredential(cred, ghost.publicKey)).toBe(false);
  });
});
