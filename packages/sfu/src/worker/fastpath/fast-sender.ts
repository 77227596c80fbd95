/**
 * The forwarding fast path below werift's RTCRtpSender: for every forwarded packet one RTP header
 * written into a preallocated buffer, SRTP protection with node:crypto (./srtp.ts, keys exported
 * from werift's DTLS session, RFC 5764 §4.2), and one send on the ICE-nominated UDP socket.
 * werift keeps DTLS, ICE (consent), RTCP and the receive side.
 *
 * What werift's `sendRtp` did per packet and what replaces it (werift 0.24.4; re-check on upgrades):
 * - SSRC, payload type, header extensions (transport-cc, abs-send-time, mid): written here;
 * - RTCP sender reports read `packetCount`, `octetCount`, `rtpTimestamp`, `ntpTimestamp` of the
 *   sender: updated here, `ntpTimestamp` as a getter (computed when a report is sent, not per packet);
 * - NACK (RFC 4585 §6.2.1): werift answers from `rtpCache`, which stays empty; on the sender's
 *   `onGenericNack` event the packet is sent again from our own history, through the transport's
 *   RetransmissionGate (bwe/retransmissions.ts: paced, not twice within 100 ms). An SRTP index
 *   (SSRC, ROC, SEQ) is never protected twice with different bytes: with AEAD_AES_128_GCM the
 *   index is the IV, and two packets under one IV with different AAD (the header) give away the
 *   GCM hash key (RFC 7714 §14). So:
 *   - RTX negotiated (the subscriber's answer kept `rtx`, sender.rtxPayloadType): the packet goes
 *     on the RTX SSRC with the RTX stream's own sequence number (so a fresh index), the original
 *     sequence number (OSN) in the first two payload octets (RFC 4588 §4), and a fresh
 *     transport-wide sequence number registered with the estimator. Padding-only packets are
 *     not resent (they carry no media; libwebrtc does not either).
 *   - no RTX: the protected bytes sent the first time, unchanged (kept in the history). The
 *     receiver's transport-cc feedback then shows the original's number, so the estimator does
 *     not count it again.
 *   What is kept (the payload for RTX, else the protected packet) is copied into one fixed
 *   buffer per sender, 128 slots: holding the forwarded Buffers themselves kept them alive
 *   past the young generation (received payloads, VP8-rewritten copies and protected packets
 *   are slices of Node's shared 8 KB Buffer pool or buffers of their own), so they piled up in
 *   the old generation until a full GC (6x6 bench: RSS +30 MB and growing). A stream whose
 *   subscriber did not negotiate NACK (RFC 4585 §4.2 `a=rtcp-fb:<pt> nack`: our subscribe
 *   audio) gets no NACKs and keeps nothing.
 * - Padding-only packets (probes): the P bit is set, the payload is the padding (RFC 3550 §5.1).
 */
import type { RTCDtlsTransport, RTCRtpSender } from 'werift';
import type { RetransmissionGate } from '../bwe/retransmissions';
import { sendToPeer } from './nominated-send';
import {
  RolloverCounter,
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  SrtpProtector,
  masterLengths,
} from './srtp';
import type { WeriftDtlsSocket } from './werift-dtls';

const URI_TWCC = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';
const URI_ABS_SEND_TIME = 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time';
const URI_MID = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const HISTORY = 128;
/**
 * Room per packet kept for a NACK: libwebrtc's RTP packets are at most 1200 octets, plus our
 * header extensions and the SRTP tag. A larger one is kept in a copy of its own.
 */
const SLOT = 1280;
/** History flags. */
const MARKER = 1;
const PADDING = 2;
/** The slot holds the protected packet (sent again byte for byte), not the payload. */
const PROTECTED = 4;
/** Seconds from 1900 (NTP era 0) to 1970 (RFC 5905 §6). */
const NTP_UNIX_OFFSET_S = 2208988800;

/** werift 0.24.4 RTCRtpCodecParameters: the negotiated RTCP feedback (RFC 4585 §4.2). */
interface NegotiatedCodec {
  payloadType: number;
  rtcpFeedback?: Array<{ type: string; parameter?: string }>;
}
/** werift 0.24.4 RTCRtpSender fields for RTX (set by `prepareSend` from the negotiated codecs). */
interface RtxFields {
  rtxPayloadType?: number;
  rtxSsrc: number;
}

const protectors = new WeakMap<object, SrtpProtector>();

/** One protector per werift SRTP session (a new DTLS session has new keys). */
const protectorFor = (dtlsTransport: RTCDtlsTransport): SrtpProtector | undefined => {
  const dtls = (dtlsTransport as unknown as { dtls?: WeriftDtlsSocket }).dtls;
  const session = (dtlsTransport as unknown as { srtp?: object }).srtp;
  const profile = dtls?.srtp.srtpProfile;
  if (!dtls || !session) return undefined;
  if (profile !== SRTP_AEAD_AES_128_GCM && profile !== SRTP_AES128_CM_HMAC_SHA1_80) {
    return undefined;
  }
  let protector = protectors.get(session);
  if (!protector) {
    const lengths = masterLengths(profile);
    const keys = dtls.extractSessionKeys(lengths.key, lengths.salt);
    protector = SrtpProtector.fromMaster(profile, keys.localKey, keys.localSalt);
    protectors.set(session, protector);
  }
  return protector;
};

export interface FastSenderOptions {
  /** The policy retransmissions pass (undefined: every NACK is answered). */
  retransmissions?: (dtlsTransport: RTCDtlsTransport) => RetransmissionGate | undefined;
  /** Bytes on the wire per packet besides its payload, as the estimator counts them. */
  overheadBytes: number;
}

export class FastSender {
  readonly #sender: RTCRtpSender;
  readonly #header = Buffer.alloc(12 + 4 + 32);
  readonly #roc = new RolloverCounter();
  readonly #options: FastSenderOptions;
  /**
   * Sent packets by seq % HISTORY, for NACK answers: with RTX the payload, without it the
   * protected packet as first sent (RFC 7714 §14), in SLOT octets per slot (allocated on first
   * use; a larger packet in #historyOversize), and what the header needs.
   */
  #history: Buffer | undefined;
  readonly #historyOversize: Array<Buffer | undefined> = new Array<Buffer | undefined>(HISTORY);
  readonly #historyLength = new Uint16Array(HISTORY);
  readonly #historyPayloadLength = new Uint16Array(HISTORY);
  readonly #historySeq = new Int32Array(HISTORY).fill(-1);
  readonly #historyTimestamp = new Uint32Array(HISTORY);
  /** MARKER | PADDING | PROTECTED */
  readonly #historyFlags = new Uint8Array(HISTORY);
  readonly #historyResentAt = new Float64Array(HISTORY);
  /** The codec `#nack` was read from (werift replaces it on renegotiation). */
  #codec: NegotiatedCodec | undefined;
  /** The subscriber negotiated generic NACK for this stream: keep a history. */
  #nack = false;
  /** RTX stream (RFC 4588 §4): its own sequence numbers, from a random start (RFC 3550 §5.1). */
  #rtxSeq = Math.floor(Math.random() * 0x10000);
  readonly #rtxRoc = new RolloverCounter();
  readonly #unsubscribeNack: () => void;
  #protector: SrtpProtector | undefined;
  #dtlsTransport: RTCDtlsTransport | undefined;
  #twccId = 0;
  #absSendTimeId = 0;
  #mid: Buffer | undefined;
  #midId = 0;
  #packetCount = 0;
  #octetCount = 0;
  #lastSentAtMs = 0;
  #rtcpStarted = false;

  constructor(sender: RTCRtpSender, options: FastSenderOptions = { overheadBytes: 0 }) {
    this.#sender = sender;
    this.#options = options;
    const s = sender as unknown as Record<string, unknown>;
    // werift's sender reports read these; defined on the instance (werift defines them so too)
    // (werift's own sendRtp, the fallback, writes them: the setters keep that working)
    Object.defineProperty(s, 'ntpTimestamp', {
      configurable: true,
      get: () => this.#ntpTimestamp(),
      set: () => {
        this.#lastSentAtMs = performance.now();
      },
    });
    Object.defineProperty(s, 'packetCount', {
      configurable: true,
      get: () => this.#packetCount,
      set: (v: number) => {
        this.#packetCount = v;
      },
    });
    Object.defineProperty(s, 'octetCount', {
      configurable: true,
      get: () => this.#octetCount,
      set: (v: number) => {
        this.#octetCount = v;
      },
    });
    this.#unsubscribeNack = sender.onGenericNack.subscribe((feedback) => {
      for (const seq of feedback.lost) this.#retransmit(seq);
    }).unSubscribe;
  }

  /** Packets and payload octets sent (RFC 3550 §6.4.1 sender info). */
  get packetCount(): number {
    return this.#packetCount;
  }

  /**
   * Protects and sends one packet (`padding`: a padding-only packet, `payload` being the padding
   * with its count octet last). Returns the transport-wide sequence number it carries, -1 if
   * none, or undefined if the fast path is not available (not connected, unknown SRTP profile).
   */
  send(
    seq: number,
    timestamp: number,
    marker: boolean,
    payload: Uint8Array,
    nowMs: number,
    padding = false,
  ): number | undefined {
    const sender = this.#sender;
    const dtlsTransport = sender.dtlsTransport;
    if (dtlsTransport?.state !== 'connected' || !sender.codec) return undefined;
    if (dtlsTransport !== this.#dtlsTransport || !this.#protector) {
      if (!this.#setUp(dtlsTransport)) return undefined;
    }
    const codec = sender.codec as NegotiatedCodec;
    if (codec !== this.#codec) {
      this.#codec = codec;
      this.#nack = codec.rtcpFeedback?.some((f) => f.type === 'nack' && !f.parameter) === true;
    }
    const roc = this.#roc.next(seq);
    const slot = seq % HISTORY;
    // without RTX a NACK is answered with these very bytes: protect into the history slot
    const keepProtected = this.#nack && this.#rtxPayloadType() === undefined;
    const { srtp, twcc } = this.#protect(
      dtlsTransport,
      sender.ssrc,
      codec.payloadType,
      seq,
      timestamp,
      marker,
      padding,
      payload,
      roc,
      nowMs,
      keepProtected ? this.#slot(slot, SLOT) : undefined,
    );
    this.#packetCount = (this.#packetCount + 1) >>> 0;
    this.#octetCount = (this.#octetCount + payload.length) >>> 0;
    this.#lastSentAtMs = nowMs;
    (sender as unknown as { rtpTimestamp: number }).rtpTimestamp = timestamp;
    if (this.#nack) this.#keep(slot, seq, timestamp, marker, padding, payload, keepProtected, srtp);
    sendToPeer(dtlsTransport, srtp);
    if (!this.#rtcpStarted) {
      this.#rtcpStarted = true;
      void (sender as unknown as { runRtcp(): Promise<void> }).runRtcp();
    }
    return twcc;
  }

  close(): void {
    this.#unsubscribeNack();
    this.#history = undefined;
    this.#historyOversize.fill(undefined);
  }

  /** The first `length` octets of history slot `slot`. */
  #slot(slot: number, length: number): Buffer {
    this.#history ??= Buffer.allocUnsafeSlow(HISTORY * SLOT);
    return this.#history.subarray(slot * SLOT, slot * SLOT + length);
  }

  /** Records a sent packet for NACKs: `srtp` as sent without RTX, else a copy of `payload`. */
  #keep(
    slot: number,
    seq: number,
    timestamp: number,
    marker: boolean,
    padding: boolean,
    payload: Uint8Array,
    keepProtected: boolean,
    srtp: Buffer,
  ): void {
    const kept = keepProtected ? srtp : payload;
    let oversize: Buffer | undefined;
    if (keepProtected) {
      // protected into its slot unless it did not fit
      if (srtp.buffer !== this.#history?.buffer) oversize = srtp;
    } else if (payload.length <= SLOT) {
      this.#slot(slot, payload.length).set(payload);
    } else {
      oversize = Buffer.allocUnsafeSlow(payload.length);
      oversize.set(payload);
    }
    this.#historyOversize[slot] = oversize;
    this.#historyLength[slot] = kept.length;
    this.#historyPayloadLength[slot] = payload.length;
    this.#historySeq[slot] = seq;
    this.#historyTimestamp[slot] = timestamp >>> 0;
    this.#historyFlags[slot] =
      (marker ? MARKER : 0) | (padding ? PADDING : 0) | (keepProtected ? PROTECTED : 0);
    this.#historyResentAt[slot] = Number.NEGATIVE_INFINITY;
  }

  /** Writes the header (taking the next transport-wide sequence number) and protects the packet. */
  #protect(
    dtlsTransport: RTCDtlsTransport,
    ssrc: number,
    payloadType: number,
    seq: number,
    timestamp: number,
    marker: boolean,
    padding: boolean,
    payload: Uint8Array,
    roc: number,
    nowMs: number,
    into?: Buffer,
  ): { srtp: Buffer; twcc: number } {
    const header = this.#header;
    header[1] = (marker ? 0x80 : 0) | payloadType;
    header.writeUInt16BE(seq, 2);
    header.writeUInt32BE(timestamp >>> 0, 4);
    header.writeUInt32BE(ssrc >>> 0, 8);
    let length = 12;
    let twcc = -1;
    if (this.#twccId || this.#absSendTimeId || this.#midId) {
      // RFC 8285 §4.2 one-byte header extensions
      header.writeUInt16BE(0xbede, 12);
      length = 16;
      if (this.#midId && this.#mid) {
        header[length++] = (this.#midId << 4) | (this.#mid.length - 1);
        length += this.#mid.copy(header, length);
      }
      if (this.#twccId) {
        const d = dtlsTransport as unknown as { transportSequenceNumber: number };
        twcc = d.transportSequenceNumber = (d.transportSequenceNumber + 1) & 0xffff;
        header[length++] = (this.#twccId << 4) | 1;
        header.writeUInt16BE(twcc, length);
        length += 2;
      }
      if (this.#absSendTimeId) {
        // 6.18 fixed-point seconds, 24 bits (webrtc abs-send-time)
        const abs = Math.floor(((performance.timeOrigin + nowMs) / 1000) * 262144) & 0xffffff;
        header[length++] = (this.#absSendTimeId << 4) | 2;
        header.writeUIntBE(abs, length, 3);
        length += 3;
      }
      while ((length - 16) % 4 !== 0) header[length++] = 0;
      header.writeUInt16BE((length - 16) / 4, 14);
      header[0] = 0x90;
    } else {
      header[0] = 0x80;
    }
    if (padding) header[0] |= 0x20;
    const srtp = this.#protector!.protect(
      header.subarray(0, length),
      payload,
      ssrc,
      seq,
      roc,
      into,
    );
    return { srtp, twcc };
  }

  #setUp(dtlsTransport: RTCDtlsTransport): boolean {
    this.#protector = protectorFor(dtlsTransport);
    if (!this.#protector) return false;
    // a new DTLS session (new keys): what was sent under the old one is not resent
    this.#historySeq.fill(-1);
    this.#historyOversize.fill(undefined);
    this.#dtlsTransport = dtlsTransport;
    const sender = this.#sender as unknown as {
      headerExtensions: Array<{ uri: string; id: number }>;
      mid?: string;
    };
    for (const ext of sender.headerExtensions) {
      if (ext.id < 1 || ext.id > 14) continue;
      if (ext.uri === URI_TWCC) this.#twccId = ext.id;
      else if (ext.uri === URI_ABS_SEND_TIME) this.#absSendTimeId = ext.id;
      else if (ext.uri === URI_MID && sender.mid) {
        this.#midId = ext.id;
        this.#mid = Buffer.from(sender.mid).subarray(0, 16);
      }
    }
    return true;
  }

  /** The RTX payload type the subscriber negotiated (RFC 4588 §8.6), undefined without RTX. */
  #rtxPayloadType(): number | undefined {
    return (this.#sender as unknown as RtxFields).rtxPayloadType;
  }

  /** Answers a NACK for `seq` (see the file comment: RTX, or the original bytes again). */
  #retransmit(seq: number): void {
    const slot = seq % HISTORY;
    const dtlsTransport = this.#sender.dtlsTransport;
    if (this.#historySeq[slot] !== seq || dtlsTransport?.state !== 'connected') return;
    if (dtlsTransport !== this.#dtlsTransport || !this.#protector) return;
    const flags = this.#historyFlags[slot]!;
    const rtxPayloadType = this.#rtxPayloadType();
    // RTX: padding carries no media. Without RTX: only the bytes already sent may go again.
    if (
      rtxPayloadType === undefined
        ? (flags & PROTECTED) === 0
        : (flags & (PADDING | PROTECTED)) !== 0
    ) {
      return;
    }
    const kept = this.#historyOversize[slot] ?? this.#slot(slot, this.#historyLength[slot]!);
    const payloadLength = this.#historyPayloadLength[slot]!;
    const now = performance.now();
    const bytes = payloadLength + this.#options.overheadBytes;
    const gate = this.#options.retransmissions?.(dtlsTransport);
    if (gate && !gate.admit(this.#historyResentAt[slot]!, bytes, now)) return;
    this.#historyResentAt[slot] = now;
    let srtp: Buffer;
    let twcc = -1;
    if (rtxPayloadType === undefined) {
      srtp = kept;
    } else {
      // RFC 4588 §4: OSN, then the original payload; same timestamp and marker as the original
      const rtxPayload = Buffer.allocUnsafe(2 + kept.length);
      rtxPayload.writeUInt16BE(seq, 0);
      rtxPayload.set(kept, 2);
      const rtxSeq = this.#rtxSeq;
      this.#rtxSeq = (rtxSeq + 1) & 0xffff;
      const rtxSsrc = (this.#sender as unknown as RtxFields).rtxSsrc;
      ({ srtp, twcc } = this.#protect(
        dtlsTransport,
        rtxSsrc,
        rtxPayloadType,
        rtxSeq,
        this.#historyTimestamp[slot]!,
        (flags & MARKER) !== 0,
        false,
        rtxPayload,
        this.#rtxRoc.next(rtxSeq),
        now,
      ));
    }
    const s = this.#sender as unknown as {
      retransmittedPacketsSent: number;
      retransmittedBytesSent: number;
    };
    s.retransmittedPacketsSent++;
    s.retransmittedBytesSent += payloadLength;
    gate?.sent(twcc, bytes, now);
    sendToPeer(dtlsTransport, srtp);
  }

  /** RFC 5905 §6 64-bit NTP timestamp of the last packet sent (for sender reports). */
  #ntpTimestamp(): bigint {
    const ms = performance.timeOrigin + (this.#lastSentAtMs || performance.now());
    const seconds = Math.floor(ms / 1000);
    const fraction = Math.floor(((ms % 1000) / 1000) * 0x100000000);
    return (BigInt(seconds + NTP_UNIX_OFFSET_S) << 32n) | BigInt(fraction);
  }
}
