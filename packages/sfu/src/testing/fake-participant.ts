/**
 * werift-based stand-ins for browsers, used by the tests and the bench: a publisher that offers
 * sendonly Opus + VP8 and writes synthetic RTP, and a subscriber that answers the SFU's offers.
 */
import {
  GenericNack,
  MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
  RtcpTransportLayerFeedback,
  useNACK,
  usePLI,
  useTransportWideCC,
  type RTCRtpTransceiver,
} from 'werift';

const clientConfig = (
  rtx = false,
  transportCc = false,
): NonNullable<ConstructorParameters<typeof RTCPeerConnection>[0]> => ({
  iceServers: [],
  // transport-wide sequence numbers on every packet, as browsers send them
  ...(transportCc
    ? { headerExtensions: { audio: [useTransportWideCC()], video: [useTransportWideCC()] } }
    : {}),
  iceAdditionalHostAddresses: ['127.0.0.1'],
  codecs: {
    audio: [
      new RTCRtpCodecParameters({
        mimeType: 'audio/opus',
        clockRate: 48000,
        channels: 2,
        payloadType: 111,
      }),
    ],
    video: [
      new RTCRtpCodecParameters({
        mimeType: 'video/VP8',
        clockRate: 90000,
        payloadType: 96,
        rtcpFeedback: [useNACK(), usePLI()],
      }),
      // RFC 4588 retransmissions, when the subscriber should accept them
      ...(rtx
        ? [
            new RTCRtpCodecParameters({
              mimeType: 'video/rtx',
              clockRate: 90000,
              payloadType: 97,
              parameters: 'apt=96',
            }),
          ]
        : []),
    ],
  },
});

/** A packet that arrived on an RTX stream (RFC 4588 §4), before werift's receiver unwrapped it. */
export interface RtxArrival {
  ssrc: number;
  payloadType: number;
  sequenceNumber: number;
  /** The original sequence number, first two payload octets. */
  osn: number;
  /** The original payload, after the OSN (a copy). */
  payload: Buffer;
}

const waitFor = async (
  predicate: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/**
 * A synthetic RTP stream: fixed-size payloads, monotonically increasing seq and timestamp. Video
 * filler is a one-packet VP8 key frame (descriptor S = 1, PID = 0; frame tag P = 0, RFC 7741
 * §4.2-4.3), so the SFU can start (or switch) forwarding at any packet.
 */
class RtpStream {
  #seq = Math.floor(Math.random() * 0xffff);
  #ts = Math.floor(Math.random() * 0xffffffff);
  readonly #payload: Buffer;
  readonly #payloadType: number;
  readonly #tsStep: number;

  constructor(payloadType: number, payloadSize: number, tsStep: number, vp8 = false) {
    this.#payloadType = payloadType;
    this.#tsStep = tsStep;
    this.#payload = Buffer.alloc(payloadSize, 0x5a);
    if (vp8) {
      this.#payload[0] = 0x10;
      this.#payload[1] = 0x00;
    }
  }

  /** The next packet; a custom payload replaces the filler (same seq/timestamp progression). */
  next(payload: Buffer = this.#payload): RtpPacket {
    this.#seq = (this.#seq + 1) & 0xffff;
    this.#ts = (this.#ts + this.#tsStep) >>> 0;
    const header = new RtpHeader({
      payloadType: this.#payloadType,
      sequenceNumber: this.#seq,
      timestamp: this.#ts,
      marker: true,
    });
    return new RtpPacket(header, payload);
  }
}

export class FakePublisher {
  readonly pc: RTCPeerConnection;
  readonly audio: RTCRtpTransceiver;
  readonly video: RTCRtpTransceiver;
  /** PLIs the SFU sent us, per kind. */
  pliReceived = 0;
  readonly #audioStream = new RtpStream(111, 120, 960);
  readonly #videoStream = new RtpStream(96, 1100, 3000, true);
  #timers: NodeJS.Timeout[] = [];

  /**
   * `rtx`: offer RTX for video (RFC 4588), as browsers do: werift then signals its RTX SSRC with
   * `a=ssrc-group:FID` and answers NACKs on it.
   */
  constructor(
    options: { audio?: boolean; video?: boolean; transportCc?: boolean; rtx?: boolean } = {},
  ) {
    this.pc = new RTCPeerConnection(clientConfig(options.rtx, options.transportCc));
    this.audio = this.pc.addTransceiver(new MediaStreamTrack({ kind: 'audio' }), {
      direction: options.audio === false ? 'inactive' : 'sendonly',
    });
    this.video = this.pc.addTransceiver(new MediaStreamTrack({ kind: 'video' }), {
      direction: options.video === false ? 'inactive' : 'sendonly',
    });
    this.video.sender.onPictureLossIndication.subscribe(() => {
      this.pliReceived++;
    });
  }

  async createOffer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.pc.localDescription!.sdp;
  }

  async handleAnswer(sdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
  }

  waitConnected(timeoutMs = 10_000): Promise<void> {
    return waitFor(() => this.pc.connectionState === 'connected', timeoutMs, 'publisher connected');
  }

  sendAudio(count = 1): void {
    for (let i = 0; i < count; i++) void this.audio.sender.sendRtp(this.#audioStream.next());
  }

  sendVideo(count = 1): void {
    for (let i = 0; i < count; i++) void this.video.sender.sendRtp(this.#videoStream.next());
  }

  /** Sends one audio packet with this RTP payload (an Opus packet, as far as the SFU knows). */
  sendAudioPayload(payload: Buffer): void {
    void this.audio.sender.sendRtp(this.#audioStream.next(payload));
  }

  /**
   * Sends one video packet with this RTP payload (VP8 descriptor + VP8 payload); returns its
   * sequence number on the wire (werift's sender sets it before its first await).
   */
  sendVideoPayload(payload: Buffer): number {
    const packet = this.#videoStream.next(payload);
    void this.video.sender.sendRtp(packet);
    return packet.header.sequenceNumber;
  }

  /**
   * Sends the video packet `sequenceNumber`, already sent, again from the send history: on the
   * RTX stream (RFC 4588 §4) when RTX was negotiated. This is how libwebrtc pads a bandwidth probe
   * ("payload padding": a recent packet resent on RTX, often the same one many times); werift's
   * sender does it when it gets a NACK, so one is handed to it.
   */
  resendVideo(sequenceNumber: number): void {
    const sender = this.video.sender;
    const nack = new GenericNack({ mediaSourceSsrc: sender.ssrc, lost: [sequenceNumber] });
    sender.handleRtcpPacket(new RtcpTransportLayerFeedback({ feedback: nack }));
  }

  /**
   * Loses the next video packet on the uplink: it is kept in the send history (a NACK gets it
   * resent) but never reaches the wire.
   */
  loseNextVideo(): void {
    const sender = this.video.sender;
    const dtls = sender.dtlsTransport;
    const sendRtp = dtls.sendRtp.bind(dtls);
    dtls.sendRtp = (payload, header) => {
      if (header.ssrc !== sender.ssrc) return sendRtp(payload, header);
      dtls.sendRtp = sendRtp;
      return Promise.resolve(0);
    };
  }

  /** Sends at the given packet rates until stop(). 0 disables a kind. */
  start(rates: { audioPps: number; videoPps: number }): void {
    const tick = (pps: number, send: () => void): void => {
      if (pps <= 0) return;
      // batches of packets every 10 ms keep timer overhead low at high rates
      const perTick = pps / 100;
      let credit = 0;
      const timer = setInterval(() => {
        credit += perTick;
        while (credit >= 1) {
          send();
          credit -= 1;
        }
      }, 10);
      this.#timers.push(timer);
    };
    tick(rates.audioPps, () => this.sendAudio());
    tick(rates.videoPps, () => this.sendVideo());
  }

  stop(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
  }

  async close(): Promise<void> {
    this.stop();
    await this.pc.close();
  }
}

export class FakeSubscriber {
  readonly pc: RTCPeerConnection;
  /** Packets that arrived on the RTX SSRCs the offers named (a=ssrc-group:FID). */
  readonly rtxArrivals: RtxArrival[] = [];
  /** Media packets dropped by `loseEvery` before werift's receiver saw them. */
  readonly dropped: { ssrc: number; sequenceNumber: number }[] = [];
  /** SRTP packets as they arrived (after `recordWire()`, lost ones too), still protected. */
  readonly wire: Buffer[] = [];
  /** Payloads (copies) of the media packets received, after `recordPayloads()`. */
  readonly payloads: Buffer[] = [];
  #lossEvery = 0;
  #lossHooked = false;
  #recording = false;
  /** RTP packets received per subscribe-side mid. */
  readonly received = new Map<string, number>();
  /** RTP packets received per SSRC (a reused m-line carries a new SSRC). */
  readonly receivedBySsrc = new Map<number, number>();
  /** Last sequence number seen per SSRC, and the number of gaps. */
  readonly lastSeq = new Map<number, number>();
  gaps = 0;
  /** Packets missing from the sequence numbers seen (RFC 3550 A.3 style; late arrivals count back). */
  lost = 0;
  readonly #highestSeq = new Map<number, number>();
  readonly #followed = new Set<MediaStreamTrack>();

  constructor(options: { rtx?: boolean } = {}) {
    this.pc = new RTCPeerConnection(clientConfig(options.rtx));
    // werift adds one remote track per SSRC to a receiver but fires onTrack with its first one,
    // so on each event every transceiver's tracks are followed.
    this.pc.onTrack.subscribe(() => {
      for (const transceiver of this.pc.getTransceivers()) {
        for (const track of transceiver.receiver.tracks) this.#follow(transceiver, track);
      }
    });
  }

  #follow(transceiver: RTCRtpTransceiver, track: MediaStreamTrack): void {
    if (this.#followed.has(track)) return;
    this.#followed.add(track);
    track.onReceiveRtp.subscribe((rtp) => {
      const mid = transceiver.mid ?? '?';
      const ssrc = rtp.header.ssrc;
      this.received.set(mid, (this.received.get(mid) ?? 0) + 1);
      this.receivedBySsrc.set(ssrc, (this.receivedBySsrc.get(ssrc) ?? 0) + 1);
      const last = this.lastSeq.get(ssrc);
      if (last !== undefined && rtp.header.sequenceNumber !== ((last + 1) & 0xffff)) this.gaps++;
      this.lastSeq.set(ssrc, rtp.header.sequenceNumber);
      const highest = this.#highestSeq.get(ssrc);
      const ahead =
        highest === undefined
          ? 1
          : ((rtp.header.sequenceNumber - highest + 0x8000) & 0xffff) - 0x8000;
      if (ahead > 0) {
        this.lost += ahead - 1;
        this.#highestSeq.set(ssrc, rtp.header.sequenceNumber);
      } else if (this.lost > 0) this.lost--;
    });
  }

  /**
   * Loses (once) every video media packet whose sequence number is a multiple of `every`, as a
   * lossy downlink would: before SRTP and werift's receiver (which NACKs the gap); 0 stops.
   * Packets on the RTX SSRCs the offers name (a=ssrc-group:FID) pass and are recorded, decrypted,
   * in `rtxArrivals`.
   */
  loseEvery(every: number): void {
    this.#lossEvery = every;
    if (this.#lossHooked) return;
    const dtls = this.pc.getTransceivers()[0]?.receiver.dtlsTransport;
    if (!dtls) throw new Error('no transport yet');
    this.#lossHooked = true;
    const isRtx = (ssrc: number): boolean =>
      new RegExp(`^a=ssrc-group:FID \\d+ ${ssrc}\\r?$`, 'm').test(
        this.pc.remoteDescription?.sdp ?? '',
      );
    const onData = dtls.iceTransport.connection.onData;
    const receive = onData.execute.bind(onData);
    const seen = new Set<string>();
    onData.execute = (data: Buffer) => {
      // RFC 7983 §7 RTP (first octet 128..191), PT 96 (RFC 3550 §5.1; the header is in the clear)
      if (this.#lossEvery > 0 && data[0]! >= 128 && data[0]! <= 191 && (data[1]! & 0x7f) === 96) {
        const sequenceNumber = data.readUInt16BE(2);
        const ssrc = data.readUInt32BE(8);
        const key = `${ssrc}:${sequenceNumber}`;
        if (sequenceNumber % this.#lossEvery === 0 && !seen.has(key)) {
          seen.add(key);
          this.dropped.push({ ssrc, sequenceNumber });
          if (this.#recording) this.wire.push(Buffer.from(data)); // it did reach the link
          return;
        }
      }
      receive(data);
    };
    dtls.onRtp.subscribe((rtp) => {
      if (!isRtx(rtp.header.ssrc)) return;
      this.rtxArrivals.push({
        ssrc: rtp.header.ssrc,
        payloadType: rtp.header.payloadType,
        sequenceNumber: rtp.header.sequenceNumber,
        osn: rtp.payload.readUInt16BE(0),
        payload: Buffer.from(rtp.payload.subarray(2)),
      });
    });
  }

  /**
   * Starts keeping a copy of the payload of every media packet that arrives, in `payloads`: what
   * the SFU forwarded, without the retransmissions it sent on RTX SSRCs (a=ssrc-group:FID).
   */
  recordPayloads(): void {
    const dtls = this.pc.getTransceivers()[0]?.receiver.dtlsTransport;
    if (!dtls) throw new Error('no transport yet');
    const rtxSsrcs = (): Set<number> =>
      new Set(
        [...(this.pc.remoteDescription?.sdp ?? '').matchAll(/^a=ssrc-group:FID \d+ (\d+)/gm)].map(
          (m) => Number(m[1]),
        ),
      );
    dtls.onRtp.subscribe((rtp) => {
      if (!rtxSsrcs().has(rtp.header.ssrc)) this.payloads.push(Buffer.from(rtp.payload));
    });
  }

  /** Starts keeping every SRTP packet (not SRTCP) that arrives, as protected bytes, in `wire`. */
  recordWire(): void {
    const dtls = this.pc.getTransceivers()[0]?.receiver.dtlsTransport;
    if (!dtls) throw new Error('no transport yet');
    this.#recording = true;
    dtls.iceTransport.connection.onData.subscribe((data: Buffer) => {
      // RFC 7983 §7: RTP/RTCP first octet 128..191; RFC 5761 §4: PT 192..223 (M bit set) is RTCP
      if (data[0]! < 128 || data[0]! > 191 || (data[1]! >= 192 && data[1]! <= 223)) return;
      this.wire.push(Buffer.from(data));
    });
  }

  /** The SSRC the SFU currently offers on `mid` (from the remote description). */
  offeredSsrc(mid: string): number | undefined {
    const sdp = this.pc.remoteDescription?.sdp ?? '';
    const section = sdp
      .split(/\r?\n(?=m=)/)
      .find((s) => new RegExp(`^a=mid:${mid}\\r?$`, 'm').test(s));
    const ssrc = section && /^a=ssrc:(\d+) /m.exec(section)?.[1];
    return ssrc ? Number(ssrc) : undefined;
  }

  /** m-lines of the last offer, per kind. */
  mLines(): { audio: number; video: number } {
    const sdp = this.pc.remoteDescription?.sdp ?? '';
    return {
      audio: (sdp.match(/^m=audio /gm) ?? []).length,
      video: (sdp.match(/^m=video /gm) ?? []).length,
    };
  }

  count(mid: string): number {
    return this.received.get(mid) ?? 0;
  }

  total(): number {
    let sum = 0;
    for (const n of this.received.values()) sum += n;
    return sum;
  }

  async handleOffer(sdp: string): Promise<string> {
    // werift 0.24.4 answerer bug: a new m-line in a re-offer "reuses" any inactive transceiver
    // that never sent (even of the other kind), losing the old mid ("Transceiver with mid=0 not
    // found"). Browsers don't do this; marking ours as used disables the reuse.
    for (const transceiver of this.pc.getTransceivers()) transceiver.usedForSender = true;
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return this.pc.localDescription!.sdp;
  }

  waitConnected(timeoutMs = 10_000): Promise<void> {
    return waitFor(
      () => this.pc.connectionState === 'connected',
      timeoutMs,
      'subscriber connected',
    );
  }

  /** Sends a PLI for the stream received on `mid` (what a receiver that cannot decode does). */
  async sendPli(mid: string): Promise<void> {
    const transceiver = this.pc.getTransceivers().find((t) => t.mid === mid);
    const ssrc = transceiver?.receiver.tracks[0]?.ssrc;
    if (!transceiver || ssrc === undefined) throw new Error(`no received stream on mid ${mid}`);
    await transceiver.receiver.sendRtcpPLI(ssrc);
  }

  async close(): Promise<void> {
    await this.pc.close();
  }
}

export { waitFor };
