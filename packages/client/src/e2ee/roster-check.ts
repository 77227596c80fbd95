import type { E2eeState, Participant } from '@conclave/protocol';
import type { EngineStatus } from './engine';
import type { ExpectedDevice } from './expected-devices';

/**
 * Compares the MLS roster (who holds the key) with the meeting's participant list (DESIGN.md
 * §4.4): a leaf nobody can see, a duplicate identity, a leaf whose key is not the one its device
 * announced, a leaf of someone not let in, a participant without a leaf, and a known signed-in
 * person on a device key this device has not met (trust on first use, issue 14).
 */
export function rosterWarnings(
  local: EngineStatus | null,
  meeting: E2eeState,
  participants: readonly Participant[],
  pins: ReadonlyMap<string, ExpectedDevice>,
  keyChanges: Iterable<string>,
  sameRoom: (id: Participant['id']) => boolean = () => true,
): string[] {
  const out = new Set(keyChanges);
  if (!local?.inGroup) return [...out];
  if (local.policyChanged)
    out.add(
      'A key change tried to alter who may turn encryption off; the rule set when it was turned on stays in force.',
    );
  const roster = local.roster;
  const byId = new Map(participants.map((p) => [p.id as string, p]));
  const leaves = new Map<string, number>();
  for (const m of roster) leaves.set(m.userId, (leaves.get(m.userId) ?? 0) + 1);
  for (const m of roster) {
    if (m.trust === 'new-device')
      out.add(
        `New device for ${m.displayName}: this account holds the key from a device this device has not met before. Check with ${m.displayName} (compare the security code) before trusting it.`,
      );
    const p = byId.get(m.deviceId);
    if (!p) {
      out.add(`${m.displayName} holds the key but is not in the participant list.`);
      continue;
    }
    if (p.held || p.waiting)
      out.add(`${p.displayName} holds the key but has not been let into the meeting.`);
    if (!sameRoom(p.id)) out.add(`${p.displayName} holds this room's key but is in another room.`);
    const pin = pins.get(p.id);
    if (pin && pin.signatureKey !== m.signatureKey)
      out.add(
        `A device holding the key claims to be ${p.displayName}, but its key is not the one ${p.displayName}'s device announced.`,
      );
    if ((leaves.get(m.userId) ?? 0) > 1)
      out.add(`${m.displayName} appears more than once among the devices that hold the key.`);
  }
  const members = new Set<string>(meeting.members);
  const holders = new Set(roster.map((m) => m.deviceId));
  for (const p of participants) {
    if (!p.held && !p.waiting && members.has(p.id) && !holders.has(p.id)) {
      out.add(`${p.displayName} is in the meeting but does not hold the key yet.`);
    }
  }
  return [...out];
}
