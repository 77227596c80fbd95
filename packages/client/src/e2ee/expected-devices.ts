import type { MemberIdentity } from '@conclave/e2ee';
import { toBase64 } from './base64';

// Who may hold the key, as this device knows it from signaling (DAVE's rule, DESIGN.md §4.4):
// the committer adds a KeyPackage only for a device it sees in the meeting, with the signature
// key that device announced when it joined. Public data only; it crosses into the E2EE worker.

export interface ExpectedDevice {
  deviceId: string;
  userId: string;
  displayName: string;
  /** The account the server says this device is signed in as (null: a guest). */
  accountUserId: string | null;
  /** The key pinned for this device (the first one it announced), base64. */
  signatureKey: string;
  /** In the meeting now (false: it left; its leaf may still be in the tree until removed). */
  present: boolean;
  /** Let in (not in the waiting room, not held out of E2EE). */
  admitted: boolean;
  /** In the same room as this device (breakout rooms are separate groups); default true. */
  inMyRoom?: boolean;
}

export type RefusalReason =
  | 'not-a-key-package'
  | 'unknown-device'
  | 'not-in-meeting'
  | 'not-admitted'
  | 'other-room'
  | 'identity-mismatch'
  | 'account-mismatch'
  | 'bad-device-signature'
  | 'key-mismatch'
  | 'duplicate-identity';

export interface RefusedKeyPackage {
  /** Index into the KeyPackages the commit was asked to add. */
  index: number;
  reason: RefusalReason;
  /** Who the KeyPackage claims to be (for the warning), when it says. */
  claimed?: MemberIdentity;
}

const REASONS: Record<RefusalReason, string> = {
  'not-a-key-package': 'it is not a KeyPackage',
  'unknown-device': 'no such device joined this meeting',
  'not-in-meeting': 'that device is no longer in the meeting',
  'not-admitted': 'that device is waiting to be let in',
  'other-room': 'that device is in another room',
  'identity-mismatch': 'it names another participant than the device it came from',
  'account-mismatch': 'its account is not the one that device signed in with',
  'bad-device-signature': 'its device signature does not vouch for its key',
  'key-mismatch': 'its key is not the one that device announced when it joined',
  'duplicate-identity': 'that device already holds the key',
};

export function describeRefusal(r: Omit<RefusedKeyPackage, 'index'>): string {
  const who = r.claimed ? ` claiming to be ${r.claimed.displayName}` : '';
  return `Refused a request to give the meeting key to a device${who}: ${REASONS[r.reason]}.`;
}

/** Whether a KeyPackage may be added now, given the announced devices and who holds the key. */
export function checkJoiner(
  kp: { identity: MemberIdentity; signaturePublicKey: Uint8Array } | undefined,
  devices: ReadonlyMap<string, ExpectedDevice>,
  holders: readonly MemberIdentity[],
  /** The credential's device binding verified (or there is none: a guest). */
  bindingValid = true,
): { ok: true } | { ok: false; refused: Omit<RefusedKeyPackage, 'index'> } {
  if (!kp) return { ok: false, refused: { reason: 'not-a-key-package' } };
  const claimed = kp.identity;
  const refuse = (reason: RefusalReason) => ({ ok: false as const, refused: { reason, claimed } });
  const device = devices.get(claimed.deviceId);
  if (!device) return refuse('unknown-device');
  if (!device.present) return refuse('not-in-meeting');
  if (!device.admitted) return refuse('not-admitted');
  if (device.inMyRoom === false) return refuse('other-room');
  if (device.userId !== claimed.userId) return refuse('identity-mismatch');
  if (device.signatureKey !== toBase64(kp.signaturePublicKey)) return refuse('key-mismatch');
  if (device.accountUserId !== (claimed.device?.accountUserId ?? null))
    return refuse('account-mismatch');
  if (!bindingValid) return refuse('bad-device-signature');
  if (holders.some((h) => h.deviceId === claimed.deviceId)) return refuse('duplicate-identity');
  return { ok: true };
}
