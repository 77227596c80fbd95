import type { RTCPeerConnection, RTCRtpTransceiver, RtpPacket } from 'werift';
import type { ConsumerInfo, ConsumerStats } from '../channel/messages';
import type { WorkerProducer } from './worker-producer';

export interface WorkerConsumerOptions {
  id: string;
  producer: WorkerProducer;
  pc: RTCPeerConnection;
  transceiver: RTCRtpTransceiver;
  mid: string;
  onClose: (consumer: WorkerConsumer) => void;
}

const ignore = (): void => undefined;

/** One sendonly transceiver of a subscribe transport, fed by one producer. */
export class WorkerConsumer {
  readonly id: string;
  readonly producer: WorkerProducer;
  readonly mid: string;
  readonly #pc: RTCPeerConnection;
  readonly #transceiver: RTCRtpTransceiver;
  readonly #onClose: (consumer: WorkerConsumer) => void;
  readonly #unsubscribePli: () => void;
  #closed = false;
  #rtpPacketsOut = 0;
  #pliReceived = 0;
  // Sequence numbers are rewritten so a pause of the producer leaves no gap (and no NACKs).
  #seqOffset = 0;
  #lastSeq: number | undefined;
  #resync = false;

  constructor(options: WorkerConsumerOptions) {
    this.id = options.id;
    this.producer = options.producer;
    this.mid = options.mid;
    this.#pc = options.pc;
    this.#transceiver = options.transceiver;
    this.#onClose = options.onClose;
    this.#unsubscribePli = options.transceiver.sender.onPictureLossIndication.subscribe(() => {
      this.#pliReceived++;
      this.producer.requestKeyFrame();
    }).unSubscribe;
  }

  get closed(): boolean {
    return this.#closed;
  }

  info(): ConsumerInfo {
    return { id: this.id, producerId: this.producer.id, kind: this.producer.kind, mid: this.mid };
  }

  stats(): ConsumerStats {
    return { rtpPacketsOut: this.#rtpPacketsOut, pliReceived: this.#pliReceived };
  }

  resync(): void {
    this.#resync = true;
  }

  /** Returns true if the packet was handed to the sender (DTLS connected). */
  send(rtp: RtpPacket): boolean {
    const sender = this.#transceiver.sender;
    if (this.#closed || sender.dtlsTransport?.state !== 'connected') return false;
    // sendRtp mutates the header and caches the object for NACK: one copy per subscriber.
    const packet = rtp.clone();
    const header = packet.header;
    header.extensions = [];
    header.extension = false;
    if (this.#resync && this.#lastSeq !== undefined) {
      this.#seqOffset = (this.#lastSeq + 1 - rtp.header.sequenceNumber) & 0xffff;
    }
    this.#resync = false;
    header.sequenceNumber = (header.sequenceNumber + this.#seqOffset) & 0xffff;
    this.#lastSeq = header.sequenceNumber;
    this.#rtpPacketsOut++;
    sender.sendRtp(packet).catch(ignore);
    return true;
  }

  /** Stops forwarding and marks the transceiver inactive; the next offer removes the track. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribePli();
    this.producer.removeConsumer(this);
    if (this.#pc.connectionState !== 'closed') {
      // Not pc.removeTrack(): werift 0.24.4 marks a transceiver `stopped` when an answer lacks
      // its m-line (a consumer added while an offer was out), and removeTrack() then does
      // nothing, so the m-line would stay sendonly, with no media, for good.
      this.#transceiver.sender.stop();
      this.#transceiver.setDirection('inactive');
    }
    this.#onClose(this);
  }
}
