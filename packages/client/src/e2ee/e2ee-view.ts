import type { E2eeState, ParticipantId } from '@conclave/protocol';
import type { EngineStatus, FrameCounters } from './engine';

/** Everything the UI shows about end-to-end encryption, always the true state. */
export interface E2eeView {
  /** What the Delivery Service says (availability, policy, status). */
  meeting: E2eeState;
  /** What this device knows for itself: its group, epoch, code and roster. */
  local: EngineStatus | null;
  counters: FrameCounters | null;
  capable: boolean;
  /** Devices in the MLS roster that signaling did not announce, or the other way round. */
  rosterMismatch: string[];
  /** This device could not join the encrypted group, even after asking to be added again. */
  joinFailure: string | null;
  /** The host's device: participants who could not join the encrypted group, and why. */
  membersWhoCouldNotJoin: JoinFailure[];
  /** The host's device: E2EE goes off at `at` (epoch ms) for this joiner unless kept on. */
  downgradeCountdown: DowngradeCountdown | null;
}

export interface DowngradeCountdown {
  participantId: ParticipantId;
  displayName: string;
  clientLabel: string;
  at: number;
}

export interface JoinFailure {
  participantId: ParticipantId;
  displayName: string;
  reason: string;
}
