import type { MemberIdentity } from '@conclave/e2ee';
import { toBase64 } from './base64';
import type { DeviceKeyStore } from './device-keys';

// Trust on first use for signed-in people (issue 14; Signal's safety numbers are the model):
// the first time this device meets an account, the device key in that account's MLS credential
// is remembered; later, the same person on a device key this device has not met is a "new
// device", shown as a warning until someone here accepts it. Guests carry no device key: the
// roster labels them unverified (their name is only what the server relays).

export type DeviceTrust =
  /** This device's own leaf, signed in. */
  | 'self'
  /** A signed-in person on a device key this device has met before. */
  | 'known'
  /** A signed-in person this device had never met: the key is remembered from now on. */
  | 'first-meeting'
  /** A signed-in person this device knows, on a device key it has not met: a warning. */
  | 'new-device'
  /** No account: the name is whatever the server relayed. */
  | 'guest';

export class DeviceTrustBook {
  readonly #store: DeviceKeyStore | undefined;
  #known = new Map<string, Set<string>>();
  /** One decision per leaf key for the whole session, so a label never flips by itself. */
  readonly #decided = new Map<string, DeviceTrust>();

  constructor(store: DeviceKeyStore | undefined) {
    this.#store = store;
  }

  /** Loads what this device remembers; `own` (account, device key) counts as met. */
  async load(own?: { accountUserId: string; deviceKey: string }): Promise<void> {
    if (!this.#store) return;
    if (own) await this.#store.remember(own.accountUserId, own.deviceKey);
    const met = await this.#store.knownDevices();
    this.#known = new Map([...met].map(([u, ks]) => [u, new Set(ks)]));
  }

  /** The label for one leaf (leaves must be passed in leaf order: the first one met wins). */
  classify(identity: MemberIdentity, signatureKey: string, own: boolean): DeviceTrust {
    if (!identity.device) return 'guest';
    if (own) return 'self';
    const decided = this.#decided.get(signatureKey);
    if (decided) return decided;
    const account = identity.device.accountUserId;
    const deviceKey = toBase64(identity.device.deviceKey);
    const known = this.#known.get(account);
    let trust: DeviceTrust;
    if (!known || known.size === 0) {
      trust = 'first-meeting';
      this.#known.set(account, new Set([deviceKey]));
      void this.#store?.remember(account, deviceKey).catch(() => undefined);
    } else trust = known.has(deviceKey) ? 'known' : 'new-device';
    this.#decided.set(signatureKey, trust);
    return trust;
  }

  /** Someone on this device accepted the new device key (after checking with its owner). */
  async accept(accountUserId: string, deviceKey: string): Promise<void> {
    const known = this.#known.get(accountUserId) ?? new Set<string>();
    known.add(deviceKey);
    this.#known.set(accountUserId, known);
    for (const [leafKey, trust] of this.#decided)
      if (trust === 'new-device') this.#decided.delete(leafKey);
    await this.#store?.remember(accountUserId, deviceKey);
  }
}
