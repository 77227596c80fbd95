import type { Member } from '@conclave/e2ee';
import type { ExpectedDevice } from './expected-devices';

/**
 * Prepared breakout groups (issue 18): a pending group made while the host planned may become
 * this device's room group only if its leaves are exactly the people the opened rooms put in
 * this device's room, one leaf each, each with the signature key its device announced (RFC 9420
 * §5.3.1 credential validation, against what this device pinned). The server chose the plan and
 * relayed the Welcome; this check is what keeps it from adding or leaving out anyone.
 */
export function checkPreparedRoster(
  leaves: readonly { readonly member: Member; readonly signatureKey: string }[],
  room: readonly string[],
  devices: ReadonlyMap<string, ExpectedDevice>,
): { ok: true } | { ok: false; reason: string } {
  const expected = new Set(room);
  const seen = new Set<string>();
  // Each leaf's signature key in base64, worked out when the group was made (engine.ts).
  for (const { member: leaf, signatureKey } of leaves) {
    const id = leaf.identity.deviceId;
    if (!expected.has(id))
      return { ok: false, reason: `${leaf.identity.displayName} is not in this room` };
    if (seen.has(id)) return { ok: false, reason: `${leaf.identity.displayName} appears twice` };
    seen.add(id);
    const device = devices.get(id);
    if (
      !device ||
      !device.present ||
      !device.admitted ||
      device.userId !== leaf.identity.userId ||
      device.signatureKey !== signatureKey ||
      device.accountUserId !== (leaf.identity.device?.accountUserId ?? null)
    )
      return { ok: false, reason: `${leaf.identity.displayName}'s key is not the one announced` };
  }
  const missing = [...expected].filter((id) => !seen.has(id));
  if (missing.length > 0)
    return { ok: false, reason: `${missing.length} of this room's people are not in it` };
  return { ok: true };
}
