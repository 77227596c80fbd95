import type {
  MediaSource,
  Participant as ParticipantView,
  ParticipantId,
  Role,
} from '@conclave/protocol';
import type { Consumer, Producer, Transport } from '@conclave/sfu';
import type { SignalingPeer } from '../signaling/peer';
import { SubscriptionNegotiator } from './subscription-negotiator';

export interface PublishedTrack {
  producer: Producer;
  source: MediaSource;
  /** Paused by the host (mute); only the participant unmuting themselves resumes it. */
  pausedByHost: boolean;
}

export interface ConsumedTrack {
  consumer: Consumer;
  participantId: ParticipantId;
  source: MediaSource;
}

/** A person in a room: their public state, their connection, and their media objects. */
export class RoomParticipant {
  readonly id: ParticipantId;
  readonly resumeToken: string;
  displayName: string;
  role: Role;
  audioMuted = false;
  videoMuted = false;
  screenSharing = false;
  /** Found by feature detection at join (encoded transforms + our MLS ciphersuite). */
  e2eeCapable: boolean;
  clientLabel: string;
  /** The MLS signature key announced at join; a resume never changes it. */
  readonly mlsSignatureKey: string | null;
  /** The account behind the session cookie at join (null: a guest). */
  readonly accountUserId: string | null;
  /** Held out of an end-to-end encrypted meeting: no media in or out until released. */
  held = false;
  /** In the waiting room (also `held`: no media until the host lets them in). */
  waiting = false;
  /** A hand raised (issue 17). */
  handRaised = false;
  /** The host spotlights them for everyone. */
  spotlight = false;
  /** When their last reaction went out (reactions are rate-limited). */
  lastReactionAt = 0;
  /** The breakout room this participant is in (null: the main room). */
  breakoutId: string | null = null;
  peer: SignalingPeer | undefined;
  graceTimer: NodeJS.Timeout | undefined;
  publishTransport: Transport | undefined;
  subscribeTransport: Transport | undefined;
  negotiator: SubscriptionNegotiator | undefined;
  readonly published = new Map<string, PublishedTrack>();
  readonly consumed = new Map<string, ConsumedTrack>();

  constructor(init: {
    id: ParticipantId;
    resumeToken: string;
    displayName: string;
    role: Role;
    peer: SignalingPeer;
    e2eeCapable: boolean;
    clientLabel: string;
    mlsSignatureKey?: string | null;
    accountUserId?: string | null;
  }) {
    this.id = init.id;
    this.accountUserId = init.accountUserId ?? null;
    this.mlsSignatureKey = init.mlsSignatureKey ?? null;
    this.e2eeCapable = init.e2eeCapable;
    this.clientLabel = init.clientLabel;
    this.resumeToken = init.resumeToken;
    this.displayName = init.displayName;
    this.role = init.role;
    this.peer = init.peer;
  }

  get connected(): boolean {
    return this.peer !== undefined;
  }

  view(): ParticipantView {
    return {
      id: this.id,
      displayName: this.displayName,
      role: this.role,
      audioMuted: this.audioMuted,
      videoMuted: this.videoMuted,
      connected: this.connected,
      e2eeCapable: this.e2eeCapable,
      clientLabel: this.clientLabel,
      mlsSignatureKey: this.mlsSignatureKey,
      accountUserId: this.accountUserId,
      held: this.held,
      waiting: this.waiting,
      sharing:
        this.screenSharing &&
        [...this.published.values()].some((t) => t.source === 'screen' && !t.producer.closed),
      handRaised: this.handRaised,
      spotlight: this.spotlight,
    };
  }

  /** Closes every media object; SFU close() cascades to producers and consumers. */
  closeMedia(): void {
    this.negotiator?.close();
    this.negotiator = undefined;
    this.publishTransport?.close();
    this.subscribeTransport?.close();
    this.publishTransport = undefined;
    this.subscribeTransport = undefined;
    this.published.clear();
    this.consumed.clear();
  }
}
