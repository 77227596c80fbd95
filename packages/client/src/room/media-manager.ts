import { ConclaveError } from '@conclave/protocol';
import type { Capabilities, SubscribeTrack } from '@conclave/protocol';
import { InvalidStateError } from '../errors';
import type { LocalTracks } from '../media/publisher';
import { Publisher } from '../media/publisher';
import type { RemoteTrack } from '../media/subscriber';
import { Subscriber } from '../media/subscriber';
import { TileSizeReporter } from '../media/tile-sizes';
import type { SignalClient } from '../signal/signal-client';
import { TypedEmitter } from '../typed-emitter';

export interface MediaManagerDeps {
  rtcConfig?: RTCConfiguration;
  RTCPeerConnection?: typeof RTCPeerConnection;
  simulcast: boolean;
  encodedTransform: Capabilities['encodedTransform'];
  /** Puts this device's E2EE transform on a sender or receiver (passthrough while E2EE is off). */
  attachSender: (sender: RTCRtpSender, kind: 'audio' | 'video') => void;
  attachReceiver: (receiver: RTCRtpReceiver, kind: 'audio' | 'video') => void;
  /** The signaling connection while the meeting is connected: media state is sent only then. */
  connectedSignal: () => SignalClient | undefined;
}

export type MediaManagerEvents = {
  remoteTracks: [RemoteTrack[]];
  /** This participant's screen share started (the track) or ended (null). */
  screenShare: [MediaStreamTrack | null];
  notice: [string];
};

/**
 * A participant's media: the publish and subscribe PeerConnections (made anew at every join,
 * resume and room move), the local tracks, mute switches and the screen share.
 */
export class MediaManager extends TypedEmitter<MediaManagerEvents> {
  readonly #deps: MediaManagerDeps;
  #publisher: Publisher | undefined;
  #subscriber: Subscriber | undefined;
  #tileSizes: TileSizeReporter | undefined;
  #local: LocalTracks = {};
  #audioMuted = false;
  #videoMuted = false;
  #screen: MediaStreamTrack | null = null;

  constructor(deps: MediaManagerDeps) {
    super();
    this.#deps = deps;
  }

  get remoteTracks(): readonly RemoteTrack[] {
    return this.#subscriber?.tracks ?? [];
  }

  get peerConnections(): { publish?: RTCPeerConnection; subscribe?: RTCPeerConnection } {
    return {
      publish: this.#publisher?.peerConnection,
      subscribe: this.#subscriber?.peerConnection,
    };
  }

  get screenTrack(): MediaStreamTrack | null {
    return this.#screen;
  }

  reportTileSize(track: MediaStreamTrack, size: { width: number; height: number } | null): void {
    this.#tileSizes?.report(track, size);
  }

  setLocalTracks(tracks: LocalTracks, muted: { audio: boolean; video: boolean }): void {
    this.#local = tracks;
    this.#audioMuted = muted.audio;
    this.#videoMuted = muted.video;
  }

  /** Both PeerConnections afresh on `signal`, then publishing what this device sends. */
  async start(signal: SignalClient): Promise<void> {
    this.#publisher?.close();
    this.#subscriber?.close();
    const PC = this.#deps.RTCPeerConnection ?? globalThis.RTCPeerConnection;
    const config: RTCConfiguration = {
      ...(this.#deps.rtcConfig ?? { iceServers: [] }),
      // The legacy encoded-streams API must be switched on when the PeerConnection is made.
      ...(this.#deps.encodedTransform === 'encoded-streams'
        ? { encodedInsertableStreams: true }
        : {}),
    };
    this.#makeSubscriber(signal, () => new PC(config));
    this.emit('remoteTracks', []);
    this.#publisher = new Publisher(signal, new PC(config), this.#deps.attachSender, {
      simulcast: this.#deps.simulcast,
    });
    const publisher = this.#publisher;
    await signal.request(this.#mediaState());
    await Promise.all([
      // Offers come only after this: none can arrive before the Subscriber exists.
      signal.request({ type: 'subscribe.restart' }),
      publisher
        .publish(this.#local)
        .then(() => (this.#screen ? publisher.startScreen(this.#screen) : undefined))
        .catch((err: unknown) => {
          this.emit(
            'notice',
            err instanceof ConclaveError ? err.message : 'Sending your audio and video failed.',
          );
        }),
    ]);
  }

  /**
   * The subscribe PeerConnection, with a watchdog: if it fails, or stays unconnected for 5 s
   * after an offer, it is replaced and the server makes a new transport (subscribe.reset).
   */
  #makeSubscriber(signal: SignalClient, makePc: () => RTCPeerConnection): void {
    const pc = makePc();
    const subscriber = new Subscriber(signal, pc, this.#deps.attachReceiver);
    this.#subscriber = subscriber;
    this.#tileSizes?.close();
    const tileSizes = new TileSizeReporter({
      send: (tiles) => signal.request({ type: 'media.tileSizes', tiles }),
      midOf: (track) => subscriber.tracks.find((t) => t.track === track)?.mid,
    });
    this.#tileSizes = tileSizes;
    subscriber.on('tracks', (t) => {
      tileSizes.remapped();
      this.emit('remoteTracks', t);
    });
    subscriber.on('error', () => this.emit('notice', 'Receiving media failed; retrying.'));
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      clearTimeout(watchdog);
      if (
        this.#subscriber !== subscriber ||
        pc.connectionState === 'connected' ||
        pc.connectionState === 'closed'
      )
        return;
      const reset = () => {
        if (this.#subscriber !== subscriber || signal.closed) return;
        subscriber.close();
        this.#makeSubscriber(signal, makePc);
        this.emit('remoteTracks', []);
        signal.request({ type: 'subscribe.reset' }).catch(() => undefined);
      };
      if (pc.connectionState === 'failed') reset();
      else if (pc.signalingState === 'stable' && pc.remoteDescription)
        watchdog = setTimeout(reset, 5000);
    };
    pc.addEventListener('connectionstatechange', check);
    pc.addEventListener('signalingstatechange', check);
  }

  handleOffer(sdp: string, tracks: SubscribeTrack[], offerId: string): void {
    this.#subscriber?.handleOffer(sdp, tracks, offerId);
  }

  /** The host muted this participant: the microphone stays off until they unmute. */
  mutedByHost(): void {
    this.#audioMuted = true;
    if (this.#local.microphone) this.#local.microphone.enabled = false;
  }

  async setMicrophoneMuted(muted: boolean): Promise<void> {
    this.#audioMuted = muted;
    if (this.#local.microphone) this.#local.microphone.enabled = !muted;
    await this.#sendMediaState();
  }

  async setCamera(track: MediaStreamTrack | null): Promise<void> {
    this.#local.camera = track;
    this.#videoMuted = track === null;
    await this.#publisher?.replaceTrack('camera', track);
    await this.#sendMediaState();
  }

  /** Dynacast: the SFU needs only the lowest `layers` encodings of the camera. */
  async setPublishLayers(source: 'camera', layers: number): Promise<void> {
    await this.#publisher?.setActiveLayers(source, layers);
  }

  async replaceMicrophone(track: MediaStreamTrack | null): Promise<void> {
    this.#local.microphone = track;
    if (track) track.enabled = !this.#audioMuted;
    await this.#publisher?.replaceTrack('microphone', track);
  }

  async startScreenShare(track: MediaStreamTrack): Promise<void> {
    if (!this.#publisher) throw new InvalidStateError('Not connected.');
    this.#screen = track;
    track.addEventListener('ended', () => void this.stopScreenShare(), { once: true });
    this.emit('screenShare', track);
    try {
      await this.#publisher.startScreen(track);
      await this.#sendMediaState();
    } catch (err) {
      await this.stopScreenShare();
      throw err;
    }
  }

  async stopScreenShare(): Promise<void> {
    const track = this.#screen;
    if (!track) return;
    this.#screen = null;
    track.stop();
    this.emit('screenShare', null);
    await this.#publisher?.stopScreen().catch(() => undefined);
    await this.#sendMediaState().catch(() => undefined);
  }

  #mediaState() {
    return {
      type: 'media.state' as const,
      audioMuted: this.#audioMuted,
      videoMuted: this.#videoMuted,
      screenSharing: this.#screen !== null,
    };
  }

  async #sendMediaState(): Promise<void> {
    await this.#deps.connectedSignal()?.request(this.#mediaState());
  }

  /** Closes both PeerConnections (the connection was lost, or the meeting is over). */
  close(): void {
    this.#publisher?.close();
    this.#subscriber?.close();
    this.#publisher = undefined;
    this.#subscriber = undefined;
    this.#tileSizes?.close();
  }
}
