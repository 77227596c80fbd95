import { randomBytes } from 'node:crypto';
import { RtpPacket, SrtpSession, type RTCRtpSender } from 'werift';
import { describe, expect, it } from 'vitest';
import {
  retransmissionGate,
  retransmissionStats,
  TRANSPORT_CC_URI,
  type RetransmissionSink,
} from '../bwe/retransmissions';
import { FastSender } from './fast-sender';
import {
  masterLengths,
  SRTP_AEAD_AES_128_GCM,
  SRTP_AES128_CM_HMAC_SHA1_80,
  type SrtpProfile,
} from './srtp';

const TWCC_ID = 3;
const OVERHEAD = 72;

/**
 * The parts of werift's RTCRtpSender, DTLS transport and nominated ICE pair the fast path uses
 * (werift 0.24.4), with the real SRTP keys of a session and a socket that records datagrams.
 */
const fakeSender = (profile: SrtpProfile) => {
  const lengths = masterLengths(profile);
  const key = randomBytes(lengths.key);
  const salt = randomBytes(lengths.salt);
  const wire: Buffer[] = [];
  let nack: ((feedback: { lost: number[] }) => void) | undefined;
  const dtlsTransport = {
    state: 'connected',
    transportSequenceNumber: 100,
    bytesSent: 0,
    packetsSent: 0,
    srtp: {},
    dtls: {
      srtp: { srtpProfile: profile },
      extractSessionKeys: () => ({
        localKey: key,
        localSalt: salt,
        remoteKey: randomBytes(lengths.key),
        remoteSalt: randomBytes(lengths.salt),
      }),
    },
    iceTransport: {
      connection: {
        nominated: {
          protocol: {
            type: 'stun',
            transport: {
              type: 'udp',
              closed: false,
              socket: { send: (b: Buffer) => wire.push(b) },
            },
          },
          remoteCandidate: { host: '127.0.0.1', port: 9 },
          packetsSent: 0,
          bytesSent: 0,
        },
        canSendApplicationData: () => true,
        send: () => Promise.resolve(),
      },
    },
  };
  const sender = {
    dtlsTransport,
    codec: { payloadType: 96 },
    ssrc: 0x1234,
    headerExtensions: [{ uri: TRANSPORT_CC_URI, id: TWCC_ID }],
    retransmittedPacketsSent: 0,
    retransmittedBytesSent: 0,
    runRtcp: () => Promise.resolve(),
    onGenericNack: {
      subscribe: (f: (feedback: { lost: number[] }) => void) => {
        nack = f;
        return { unSubscribe: () => undefined };
      },
    },
  };
  /** What the subscriber's browser decrypts (a new SRTP session each time: no replay check). */
  const open = (srtp: Buffer): RtpPacket => {
    const session = new SrtpSession({
      keys: {
        localMasterKey: randomBytes(lengths.key),
        localMasterSalt: randomBytes(lengths.salt),
        remoteMasterKey: key,
        remoteMasterSalt: salt,
      },
      profile,
    });
    return RtpPacket.deSerialize(session.decrypt(srtp));
  };
  const twccOf = (p: RtpPacket): number =>
    p.header.extensions.find((e) => e.id === TWCC_ID)!.payload.readUInt16BE(0);
  return {
    sender: sender as unknown as RTCRtpSender,
    dtlsTransport,
    wire,
    open,
    twccOf,
    nack: (...lost: number[]) => nack!({ lost }),
  };
};

const sinkOf = (estimate: number) => {
  const registered: { seq: number; bytes: number }[] = [];
  const sink: RetransmissionSink = {
    estimate: () => estimate,
    sent: (seq, bytes) => registered.push({ seq, bytes }),
  };
  return { sink, registered };
};

describe.each([
  ['AES_CM_128_HMAC_SHA1_80', SRTP_AES128_CM_HMAC_SHA1_80],
  ['AEAD_AES_128_GCM', SRTP_AEAD_AES_128_GCM],
] as const)('FastSender (%s) under congestion control', (_name, profile: SrtpProfile) => {
  it('answers a NACK from its history with the same packet and a fresh transport-wide number, registered with the estimator', () => {
    const f = fakeSender(profile);
    const { sink, registered } = sinkOf(2_000_000);
    const fast = new FastSender(f.sender, {
      retransmissions: (dtls) => retransmissionGate(dtls, sink),
      overheadBytes: OVERHEAD,
    });
    const payloads = [randomBytes(500), randomBytes(600), randomBytes(700)];
    const twccs = payloads.map((p, i) => fast.send(10 + i, 9000, i === 2, p, 0));
    expect(twccs).toEqual([101, 102, 103]);
    f.nack(11);
    expect(f.wire).toHaveLength(4);
    const again = f.open(f.wire[3]!);
    const first = f.open(f.wire[1]!);
    expect(again.header.sequenceNumber).toBe(11);
    expect(again.header.timestamp).toBe(first.header.timestamp);
    expect(again.header.marker).toBe(false);
    expect(again.payload).toEqual(payloads[1]);
    expect(f.twccOf(first)).toBe(102);
    expect(f.twccOf(again)).toBe(104);
    expect(f.dtlsTransport.transportSequenceNumber).toBe(104);
    expect(registered).toEqual([{ seq: 104, bytes: 600 + OVERHEAD }]);
    expect(retransmissionStats(f.dtlsTransport)).toEqual({ sent: 1, dropped: 0 });
    // a first send after it continues the transport-wide numbers
    expect(fast.send(13, 12000, true, randomBytes(10), 1)).toBe(105);
    fast.close();
  });

  it('padding-only packets carry the P bit and a transport-wide number, and are resent as padding', () => {
    const f = fakeSender(profile);
    const { sink } = sinkOf(2_000_000);
    const fast = new FastSender(f.sender, {
      retransmissions: (dtls) => retransmissionGate(dtls, sink),
      overheadBytes: OVERHEAD,
    });
    fast.send(20, 3000, true, randomBytes(300), 0);
    const padding = Buffer.alloc(200);
    padding[199] = 200;
    expect(fast.send(21, 3000, false, padding, 0, true)).toBe(102);
    const p = f.open(f.wire[1]!);
    expect(p.header.padding).toBe(true);
    expect(p.header.paddingSize).toBe(200);
    expect(p.header.marker).toBe(false);
    expect(p.header.sequenceNumber).toBe(21);
    expect(p.payload).toHaveLength(0); // all of it padding (RFC 3550 §5.1)
    f.nack(21);
    const again = f.open(f.wire[2]!);
    expect(again.header.padding).toBe(true);
    expect(f.twccOf(again)).toBe(103);
    fast.close();
  });

  it('retransmissions are paced to 15 % of the estimate and not repeated within 100 ms', () => {
    const f = fakeSender(profile);
    // 400 kbit/s: 60 kbit/s of retransmissions, a 100 ms burst = 750 bytes
    const { sink, registered } = sinkOf(400_000);
    const fast = new FastSender(f.sender, {
      retransmissions: (dtls) => retransmissionGate(dtls, sink),
      overheadBytes: OVERHEAD,
    });
    for (let i = 0; i < 20; i++) fast.send(i, 0, false, randomBytes(1000), 0);
    f.nack(...Array.from({ length: 20 }, (_, i) => i));
    expect(f.wire).toHaveLength(21);
    expect(registered).toHaveLength(1);
    const stats = retransmissionStats(f.dtlsTransport)!;
    expect(stats).toEqual({ sent: 1, dropped: 19 });
    f.nack(0); // the receiver repeating its NACK right away
    expect(f.wire).toHaveLength(21);
    expect(stats.dropped).toBe(20);
    fast.close();
  });

  it('a NACK for a packet no longer in the history is not answered', () => {
    const f = fakeSender(profile);
    const fast = new FastSender(f.sender, { overheadBytes: OVERHEAD });
    for (let i = 0; i < 200; i++) fast.send(i, 0, false, randomBytes(20), 0);
    f.nack(5, 199);
    expect(f.wire).toHaveLength(201); // 199 only: 5 was overwritten (128 packets of history)
    expect(f.open(f.wire[200]!).header.sequenceNumber).toBe(199);
    fast.close();
  });
});
