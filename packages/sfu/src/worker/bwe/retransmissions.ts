import type { RtpHeader } from 'werift';

/**
 * Retransmissions to a subscriber (answers to its NACKs, RFC 4585 §6.2.1) as congestion control
 * needs them. werift 0.24.4 answers a NACK by sending the cached packet again with its original
 * header (RTCRtpSender, GenericNack), which has two faults on a congested link:
 *
 * - The packet keeps its transport-wide sequence number, so the receiver's feedback reports it
 *   with the send time of the *lost* original: a queuing delay that is not there, and bytes the
 *   estimator never saw leave. Each retransmission gets a new transport-wide sequence number
 *   (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2: one per packet sent) and is
 *   registered with the estimator like any packet.
 * - Every NACK is answered, however often it repeats and however full the link is: on a link
 *   already losing packets to its queue, retransmissions make the queue longer. They are paced
 *   to 15 % of the estimate (at least 40 kbit/s; a 100 ms burst), and a packet is not sent again
 *   within 100 ms of its last retransmission (the receiver repeats a NACK every round trip).
 *
 * Both send paths go through one RetransmissionGate per DTLS transport (shared pacing and
 * counters): the fast path (fastpath/fast-sender.ts) answers NACKs from its own history and asks
 * the gate; werift's path is hooked where its NACK answers and first sends meet, the DTLS
 * transport's `sendRtp(payload, header)`, a first send being recognised by its header not being
 * marked yet (the consumer marks each packet after handing it to werift), an RTX one by its
 * payload type. Re-check on werift upgrades.
 *
 * Neither path protects one SRTP index twice with different bytes (with AEAD_AES_128_GCM that is
 * one IV for two AADs, RFC 7714 §14): with RTX negotiated the retransmission has its own SSRC and
 * sequence number (RFC 4588 §4) and gets the new transport-wide number; without RTX the packet
 * goes again unchanged (werift re-encrypts the same header and payload under the same index: the
 * same bytes), its transport-wide number being the original's.
 */
export const TRANSPORT_CC_URI =
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

const SENT = Symbol('conclave.sent');
type Marked = RtpHeader & { [SENT]?: true };

interface DtlsLike {
  transportSequenceNumber: number;
  sendRtp(payload: Buffer, header: RtpHeader): Promise<number>;
}

export interface RetransmissionSink {
  /** The estimate (bits/s), null before one. */
  estimate(): number | null;
  /** A retransmission left with this transport-wide sequence number and wire size. */
  sent(transportSeq: number, bytes: number, nowMs: number): void;
}

export interface RetransmissionStats {
  sent: number;
  dropped: number;
}

/**
 * The policy every retransmission to one subscriber passes, whichever path sends it (werift's
 * NACK answer through the hook below, or the fast path's own history, fastpath/fast-sender.ts):
 * shared pacing and counters per DTLS transport.
 */
export class RetransmissionGate {
  readonly stats: RetransmissionStats = { sent: 0, dropped: 0 };
  readonly #pacer: Pacer;
  readonly #sink: RetransmissionSink;

  constructor(sink: RetransmissionSink) {
    this.#sink = sink;
    this.#pacer = new Pacer(() => Math.max(40_000, 0.15 * (sink.estimate() ?? 1_000_000)));
  }

  /**
   * Whether a retransmission of `bytes` on the wire, of a packet last resent at `lastResentAtMs`,
   * may leave now (counted as dropped if not).
   */
  admit(lastResentAtMs: number, bytes: number, nowMs: number): boolean {
    if (nowMs - lastResentAtMs < 100 || !this.#pacer.take(bytes, nowMs)) {
      this.stats.dropped++;
      return false;
    }
    return true;
  }

  /** An admitted retransmission left with this transport-wide sequence number (-1: none). */
  sent(transportSeq: number, bytes: number, nowMs: number): void {
    this.stats.sent++;
    if (transportSeq >= 0) this.#sink.sent(transportSeq, bytes, nowMs);
  }
}

const gates = new WeakMap<object, RetransmissionGate>();
const hooked = new WeakSet<object>();

/** The gate of a subscribe transport's DTLS transport, made on first use with `sink`. */
export const retransmissionGate = (dtls: object, sink: RetransmissionSink): RetransmissionGate => {
  let gate = gates.get(dtls);
  if (!gate) {
    gate = new RetransmissionGate(sink);
    gates.set(dtls, gate);
  }
  return gate;
};

/** The counters of a DTLS transport's retransmissions, undefined before the first packet. */
export const retransmissionStats = (dtls: object): RetransmissionStats | undefined =>
  gates.get(dtls)?.stats;

/** Marks a packet's header as sent once (call right after handing it to werift's sender). */
export const markSent = (header: RtpHeader): void => {
  (header as Marked)[SENT] = true;
};

/** Token bucket in bytes: `rate()` bits/s, `burstMs` of it at most. */
export class Pacer {
  #tokens = 0;
  #at = Number.NEGATIVE_INFINITY;
  constructor(
    readonly rate: () => number,
    readonly burstMs = 100,
  ) {}

  take(bytes: number, nowMs: number): boolean {
    const perMs = this.rate() / 8 / 1000;
    const cap = perMs * this.burstMs;
    this.#tokens = Math.min(cap, this.#tokens + perMs * Math.max(0, nowMs - this.#at));
    this.#at = nowMs;
    if (this.#tokens < bytes && this.#tokens < cap) return false;
    this.#tokens -= bytes;
    return true;
  }
}

/**
 * Installs the hook on a subscribe transport's DTLS transport (once); returns its counters.
 * `rtxPayloadType`: the payload type werift's RTX retransmissions carry (werift's `wrapRtx` gives
 * them a new header that shares the original's extension list).
 */
export const hookRetransmissions = (
  dtls: DtlsLike,
  twccExtensionId: number | undefined,
  sink: RetransmissionSink,
  overheadBytes: number,
  rtxPayloadType?: number,
): RetransmissionStats => {
  const gate = retransmissionGate(dtls, sink);
  if (hooked.has(dtls)) return gate.stats;
  hooked.add(dtls);
  /** Last retransmission of a packet, by its original's extension list (shared by its RTX). */
  const resentAt = new WeakMap<object, number>();
  const original = dtls.sendRtp.bind(dtls);
  dtls.sendRtp = (payload: Buffer, header: RtpHeader): Promise<number> => {
    const rtx = rtxPayloadType !== undefined && header.payloadType === rtxPayloadType;
    if (!(header as Marked)[SENT] && !rtx) return original(payload, header);
    const now = performance.now();
    const bytes = payload.length + overheadBytes;
    const packet = header.extensions;
    if (!gate.admit(resentAt.get(packet) ?? Number.NEGATIVE_INFINITY, bytes, now)) {
      return Promise.resolve(0);
    }
    resentAt.set(packet, now);
    let seq = -1;
    // Without RTX the header stays as sent: same index, same bytes (RFC 7714 §14).
    if (rtx && twccExtensionId !== undefined) {
      seq = (dtls.transportSequenceNumber + 1) & 0xffff;
      dtls.transportSequenceNumber = seq;
      const value = Buffer.alloc(2);
      value.writeUInt16BE(seq);
      // a copy: the list is the original's too
      header.extensions = header.extensions.map((e) =>
        e.id === twccExtensionId ? { id: e.id, payload: value } : e,
      );
    }
    gate.sent(seq, bytes, now);
    return original(payload, header);
  };
  return gate.stats;
};
