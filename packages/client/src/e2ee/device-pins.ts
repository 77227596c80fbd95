import type { Participant, ParticipantId } from '@conclave/protocol';
import type { MeetingPolicy } from '@conclave/e2ee';
import type { ExpectedDevice } from './expected-devices';

export interface DevicePinsDeps {
  selfId: () => ParticipantId | undefined;
  participants: () => Participant[];
  /** The breakout room a participant is in (null: the main room); each has its own group. */
  roomOf?: ((id: ParticipantId) => string | null) | undefined;
  /** Tells the E2EE worker who may hold the key. */
  publish: (devices: ExpectedDevice[]) => void;
}

/**
 * What this device holds the server to (DESIGN.md §4.4): the first MLS signature key each device
 * announced, and the policy of the first group this device was in. A later change to either is
 * refused and shown as a warning, never followed.
 */
export class DevicePins {
  readonly #deps: DevicePinsDeps;
  readonly #pins = new Map<ParticipantId, ExpectedDevice>();
  readonly #warnings = new Set<string>();
  /** The signed policy of this meeting's groups, carried into breakout rooms' groups. */
  #carried: MeetingPolicy | null = null;

  constructor(deps: DevicePinsDeps) {
    this.#deps = deps;
  }

  get pins(): ReadonlyMap<ParticipantId, ExpectedDevice> {
    return this.#pins;
  }

  /** Key and policy changes the server attempted, as sentences. */
  get warnings(): ReadonlySet<string> {
    return this.#warnings;
  }

  get carried(): MeetingPolicy | null {
    return this.#carried;
  }

  /** E2EE went off or on afresh: the next group's policy is the new reference. */
  forgetPolicy(): void {
    this.#carried = null;
  }

  /**
   * Who this device's last move put in its new room, until the `breakout.state` after it comes
   * (issue 18: a room's group may start before that state reaches this device).
   */
  #movedInto: ReadonlySet<ParticipantId> | null = null;

  /** This device moved; `members`: who its new room holds, as the move said (null: not said). */
  moved(members: readonly ParticipantId[] | null): void {
    this.#movedInto = members ? new Set(members) : null;
  }

  /** A `breakout.state` came: from now on it says who is in which room. */
  roomsShown(): void {
    this.#movedInto = null;
  }

  /** Whether participant `id` is in this device's room (each room has its own group). */
  readonly sameRoom = (id: ParticipantId): boolean => {
    if (this.#movedInto) return this.#movedInto.has(id);
    const roomOf = this.#deps.roomOf;
    const self = this.#deps.selfId();
    return !roomOf || self === undefined || roomOf(id) === roomOf(self);
  };

  /**
   * Pins each device's announced key on first sight and tells the worker who may hold the key.
   * Devices that left stay known (their leaf may still be in the tree until the next commit).
   */
  sync(): void {
    const participants = this.#deps.participants();
    const present = new Set(participants.map((p) => p.id));
    for (const p of participants) {
      if (!p.mlsSignatureKey) continue;
      const pinned = this.#pins.get(p.id);
      if (pinned && pinned.signatureKey !== p.mlsSignatureKey) {
        this.#warnings.add(
          `The server changed the key of ${p.displayName}'s device during the meeting; the first key stays in force.`,
        );
      }
      this.#pins.set(p.id, {
        deviceId: p.id,
        userId: p.id,
        displayName: p.displayName,
        // Pinned too: the server cannot move a device to another account mid-meeting.
        accountUserId: pinned ? pinned.accountUserId : p.accountUserId,
        signatureKey: pinned?.signatureKey ?? p.mlsSignatureKey,
        present: true,
        admitted: !p.held && !p.waiting,
        inMyRoom: this.sameRoom(p.id),
      });
    }
    for (const [id, d] of this.#pins)
      if (!present.has(id)) this.#pins.set(id, { ...d, present: false });
    this.#deps.publish([...this.#pins.values()]);
  }

  /**
   * The policy of the first group this device was in stays the reference: every other room's
   * group must carry the same one (only the host device that turned E2EE on may turn it off).
   * A group created with another (a server that fed its creator a key of its own) is shown.
   */
  carryPolicy(policy: MeetingPolicy): void {
    const carried = this.#carried;
    if (!carried) {
      this.#carried = policy;
      return;
    }
    if (
      carried.unsupportedClients !== policy.unsupportedClients ||
      carried.offKeys.join() !== policy.offKeys.join()
    )
      this.#warnings.add(
        "This room's encryption group names another device allowed to turn encryption off than the meeting's; only the host device that turned it on is trusted to.",
      );
  }
}
