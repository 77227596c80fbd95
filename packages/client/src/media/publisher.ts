import type { MediaSource, PublishTrack } from '@conclave/protocol';
import { InvalidStateError } from '../errors';
import type { SignalClient } from '../signal/signal-client';
import { iceGatheringComplete } from './ice';
import { simulcastEncodings } from './simulcast';

export interface LocalTracks {
  microphone?: MediaStreamTrack | null;
  camera?: MediaStreamTrack | null;
}

/**
 * The publish PeerConnection: the client is always the offerer here (DESIGN.md §3), with one
 * sendonly transceiver per source. Turning a camera off replaces its track with null, so the
 * transceiver (and its mid) stays and no renegotiation is needed.
 */
export class Publisher {
  readonly #pc: RTCPeerConnection;
  readonly #signal: SignalClient;
  readonly #transceivers = new Map<MediaSource, RTCRtpTransceiver>();
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  readonly #onSender: ((sender: RTCRtpSender, kind: 'audio' | 'video') => void) | undefined;

  readonly #simulcast: boolean;
  /** setParameters calls, one at a time (a second one during the first is refused). */
  #layersChain: Promise<void> = Promise.resolve();

  /**
   * `onSender` puts the E2EE transform on each sender before any frame is encoded. `simulcast`
   * (default true): the camera is sent in 2-3 layers when its size allows (see simulcast.ts).
   */
  constructor(
    signal: SignalClient,
    pc: RTCPeerConnection,
    onSender?: (sender: RTCRtpSender, kind: 'audio' | 'video') => void,
    options: { simulcast?: boolean } = {},
  ) {
    this.#signal = signal;
    this.#pc = pc;
    this.#onSender = onSender;
    this.#simulcast = options.simulcast ?? true;
  }

  get peerConnection(): RTCPeerConnection {
    return this.#pc;
  }

  async publish(tracks: LocalTracks): Promise<void> {
    if (this.#closed) throw new InvalidStateError('Publisher is closed.');
    const stream = new MediaStream();
    const wanted: [MediaSource, 'audio' | 'video', MediaStreamTrack | null | undefined][] = [
      ['microphone', 'audio', tracks.microphone],
      ['camera', 'video', tracks.camera],
    ];
    for (const [source, kind, track] of wanted) {
      // A transceiver exists even without a device, so the track can be added later.
      // Encodings are fixed here (a later camera keeps them): without a camera yet, assume 480p.
      const encodings =
        source === 'camera' && this.#simulcast
          ? simulcastEncodings(track?.getSettings().height ?? 480)
          : undefined;
      const t = this.#pc.addTransceiver(track ?? kind, {
        direction: 'sendonly',
        streams: [stream],
        ...(encodings ? { sendEncodings: encodings } : {}),
      });
      if (!track) await t.sender.replaceTrack(null);
      this.#onSender?.(t.sender, kind);
      this.#transceivers.set(source, t);
    }
    await this.#negotiate();
  }

  /** One offer/answer round with the server (the client is always the offerer here). */
  #negotiate(): Promise<void> {
    const run = this.#chain.then(async () => {
      if (this.#closed) return;
      await this.#pc.setLocalDescription(await this.#pc.createOffer());
      await iceGatheringComplete(this.#pc);
      const described: PublishTrack[] = [];
      for (const [source, t] of this.#transceivers) {
        if (t.mid)
          described.push({ mid: t.mid, kind: source === 'microphone' ? 'audio' : 'video', source });
      }
      const { sdp } = await this.#signal.request<{ sdp: string }>({
        type: 'publish.offer',
        sdp: this.#pc.localDescription!.sdp,
        tracks: described,
      });
      if (this.#closed) return;
      await this.#pc.setRemoteDescription({ type: 'answer', sdp });
    });
    this.#chain = run.catch(() => undefined);
    return run;
  }

  get hasScreen(): boolean {
    return this.#transceivers.has('screen');
  }

  /**
   * Shares a screen (window, tab) as a second video source. The first share adds a transceiver
   * and renegotiates; later shares reuse it with replaceTrack (no renegotiation, and no stopped
   * m-lines for the SFU's answerer to trip over).
   */
  async startScreen(track: MediaStreamTrack): Promise<void> {
    if (this.#closed) throw new InvalidStateError('Publisher is closed.');
    const existing = this.#transceivers.get('screen');
    if (existing) {
      await existing.sender.replaceTrack(track);
      return;
    }
    const t = this.#pc.addTransceiver(track, {
      direction: 'sendonly',
      streams: [new MediaStream([track])],
    });
    this.#onSender?.(t.sender, 'video');
    this.#transceivers.set('screen', t);
    await this.#negotiate();
  }

  /** Stops sending the screen; the transceiver stays for the next share. */
  async stopScreen(): Promise<void> {
    await this.#transceivers.get('screen')?.sender.replaceTrack(null);
  }

  /**
   * Dynacast: sends only the lowest `layers` simulcast encodings of `source` (the SFU said nobody
   * needs more); the others stop being encoded and sent until a later call turns them on again.
   */
  setActiveLayers(source: MediaSource, layers: number): Promise<void> {
    const run = this.#layersChain.then(async () => {
      const sender = this.#transceivers.get(source)?.sender;
      if (!sender || this.#closed) return;
      const params = sender.getParameters();
      if (params.encodings.length < 2) return;
      let changed = false;
      params.encodings.forEach((e, i) => {
        const active = i < Math.max(1, layers);
        if (e.active !== active) changed = true;
        e.active = active;
      });
      if (changed) await sender.setParameters(params);
    });
    this.#layersChain = run.catch(() => undefined);
    return run;
  }

  /** Swaps the device behind a source (or stops sending with null) without renegotiating. */
  async replaceTrack(source: MediaSource, track: MediaStreamTrack | null): Promise<void> {
    const t = this.#transceivers.get(source);
    if (!t || this.#closed) return;
    await t.sender.replaceTrack(track);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pc.close();
  }
}
