import { ConclaveError } from '@conclave/protocol';
import type { MediaSource, ParticipantId, SubscribeTrack } from '@conclave/protocol';
import type { SignalClient } from '../signal/signal-client';
import { TypedEmitter } from '../typed-emitter';
import { iceGatheringComplete } from './ice';

export interface RemoteTrack {
  participantId: ParticipantId;
  source: MediaSource;
  kind: 'audio' | 'video';
  mid: string;
  track: MediaStreamTrack;
}

export type SubscriberEvents = {
  tracks: [RemoteTrack[]];
  error: [unknown];
};

/**
 * The subscribe PeerConnection: the server offers, the client answers. Each offer comes with
 * the map from mid to participant and source, which is how remote tracks get their owners.
 *
 * The server reuses the m-line of a closed stream for the next stream of that kind: the same
 * mid (and the same receiver and MediaStreamTrack) then carries another person's media, under
 * a new SSRC. So ownership is read afresh from every offer's map, never remembered per mid or
 * per track, and a receiver gets its E2EE transform once: the transform outlives the SSRC change
 * (SFrame picks the key from each frame's key id, not from the receiver).
 */
export class Subscriber extends TypedEmitter<SubscriberEvents> {
  readonly #pc: RTCPeerConnection;
  readonly #signal: SignalClient;
  #chain: Promise<void> = Promise.resolve();
  #tracks: RemoteTrack[] = [];
  #closed = false;

  /** `onReceiver` puts the E2EE transform on each receiver as it appears. */
  constructor(
    signal: SignalClient,
    pc: RTCPeerConnection,
    onReceiver?: (receiver: RTCRtpReceiver, kind: 'audio' | 'video') => void,
  ) {
    super();
    this.#signal = signal;
    this.#pc = pc;
    if (onReceiver) {
      // 'track' fires again when a reused m-line goes back to receiving; an encoded-streams
      // receiver throws on a second createEncodedStreams().
      const attached = new WeakSet<RTCRtpReceiver>();
      pc.addEventListener('track', (ev: RTCTrackEvent) => {
        if (attached.has(ev.receiver)) return;
        attached.add(ev.receiver);
        onReceiver(ev.receiver, ev.track.kind === 'audio' ? 'audio' : 'video');
      });
    }
  }

  get peerConnection(): RTCPeerConnection {
    return this.#pc;
  }

  get tracks(): readonly RemoteTrack[] {
    return this.#tracks;
  }

  handleOffer(sdp: string, tracks: SubscribeTrack[], offerId: string): void {
    this.#chain = this.#chain
      .then(() => this.#negotiate(sdp, tracks, offerId))
      .catch((err: unknown) => {
        // The server made a newer offer meanwhile (its answer timed out): answer that one.
        if (err instanceof ConclaveError && err.code === 'SUBSCRIBE_OFFER_REPLACED') return;
        this.emit('error', err);
        // Ask for a clean offer; the server restarts negotiation from its side.
        this.#signal.request({ type: 'subscribe.restart' }).catch(() => undefined);
      });
  }

  async #negotiate(sdp: string, tracks: SubscribeTrack[], offerId: string): Promise<void> {
    if (this.#closed) return;
    await this.#pc.setRemoteDescription({ type: 'offer', sdp });
    await this.#pc.setLocalDescription(await this.#pc.createAnswer());
    await iceGatheringComplete(this.#pc);
    // Replaced while gathering (e.g. a breakout move rebuilt the PeerConnections): this answer
    // belongs to nobody now.
    if (this.#closed) return;
    await this.#signal.request({
      type: 'subscribe.answer',
      offerId,
      sdp: this.#pc.localDescription!.sdp,
    });
    const byMid = new Map(this.#pc.getTransceivers().map((t) => [t.mid, t]));
    const next: RemoteTrack[] = [];
    for (const t of tracks) {
      const transceiver = byMid.get(t.mid);
      if (!transceiver) continue;
      next.push({ ...t, track: transceiver.receiver.track });
    }
    this.#tracks = next;
    this.emit('tracks', next);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pc.close();
    this.#tracks = [];
  }
}
