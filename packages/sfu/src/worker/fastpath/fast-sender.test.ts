import { randomBytes } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
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
const fakeSender = (
  profile: SrtpProfile,
  rtxPayloadType?: number,
  /** The subscriber's answer has `a=rtcp-fb:<pt> nack` (our subscribe video; audio has none). */
  nackNegotiated = true,
) => {
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
              // a copy in memory of its own: the datagram handed to the socket is not kept
              socket: { send: (b: Buffer) => wire.push(Buffer.from(new Uint8Array(b).buffer)) },
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
    codec: { payloadType: 96, rtcpFeedback: nackNegotiated ? [{ type: 'nack' }] : [] },
    ssrc: 0x1234,
    rtxSsrc: 0x5678,
    rtxPayloadType,
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

const RTX_PT = 97;

/**
 * A full garbage collection (vitest runs without --expose-gc), in a later job: a WeakRef's
 * target stays alive until the job that created it ends.
 */
const collectGarbage = async (): Promise<void> => {
  await new Promise((resolve) => setImmediate(resolve));
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
};

/**
 * Every SRTP packet on the wire by its SRTP index (SSRC, SEQ; the tests stay within one ROC):
 * an index protected twice with different bytes is an AES-GCM IV used twice (RFC 7714 §14).
 */
const ivReuses = (wire: Buffer[]): string[] => {
  const byIndex = new Map<string, Buffer>();
  const reused: string[] = [];
  for (const packet of wire) {
    const index = `${packet.readUInt32BE(8).toString(16)}:${packet.readUInt16BE(2)}`;
    const seen = byIndex.get(index);
    if (seen && !seen.equals(packet)) reused.push(index);
    byIndex.set(index, packet);
  }
  return reused;
};

describe.each([
  ['AES_CM_128_HMAC_SHA1_80', SRTP_AES128_CM_HMAC_SHA1_80],
  ['AEAD_AES_128_GCM', SRTP_AEAD_AES_128_GCM],
] as const)('FastSender (%s) answering NACKs', (_name, profile: SrtpProfile) => {
  it.each([
    ['with RTX', RTX_PT],
    ['without RTX', undefined],
  ] as const)(
    'never protects one SRTP index twice with different bytes (%s), over repeated NACKs',
    (_mode, rtx) => {
      const f = fakeSender(profile, rtx);
      const fast = new FastSender(f.sender, { overheadBytes: OVERHEAD });
      let now = 0;
      for (let seq = 1000; seq < 1100; seq++) {
        fast.send(seq, seq * 3000, seq % 5 === 4, randomBytes(200 + (seq % 7) * 50), now);
        if (seq % 10 === 9) {
          // the subscriber lost some of the last ten, and asks again for some it asked before
          f.nack(seq - 7, seq - 3, seq - 13);
          now += 120;
        }
      }
      expect(f.wire.length).toBeGreaterThan(100 + 20);
      expect(ivReuses(f.wire)).toEqual([]);
      fast.close();
    },
  );

  it('with RTX: a retransmission goes on the RTX SSRC with its own sequence numbers and the OSN first (RFC 4588 §4), decrypting with the subscriber keys', () => {
    const f = fakeSender(profile, RTX_PT);
    const { sink, registered } = sinkOf(2_000_000);
    const fast = new FastSender(f.sender, {
      retransmissions: (dtls) => retransmissionGate(dtls, sink),
      overheadBytes: OVERHEAD,
    });
    const payloads = [randomBytes(500), randomBytes(600), randomBytes(700)];
    const twccs = payloads.map((p, i) => fast.send(10 + i, 9000 + i, i === 2, p, 0));
    expect(twccs).toEqual([101, 102, 103]);
    f.nack(11, 12);
    expect(f.wire).toHaveLength(5);
    const [first, second] = [f.open(f.wire[3]!), f.open(f.wire[4]!)];
    for (const [rtx, lost] of [
      [first, 11],
      [second, 12],
    ] as const) {
      expect(rtx.header.ssrc).toBe(0x5678);
      expect(rtx.header.payloadType).toBe(RTX_PT);
      expect(rtx.payload.readUInt16BE(0)).toBe(lost); // OSN
      expect(rtx.payload.subarray(2)).toEqual(payloads[lost - 10]);
      expect(rtx.header.timestamp).toBe(9000 + lost - 10);
      expect(rtx.header.marker).toBe(lost === 12);
    }
    expect(second.header.sequenceNumber).toBe((first.header.sequenceNumber + 1) & 0xffff);
    expect([f.twccOf(first), f.twccOf(second)]).toEqual([104, 105]);
    expect(registered).toEqual([
      { seq: 104, bytes: 600 + OVERHEAD },
      { seq: 105, bytes: 700 + OVERHEAD },
    ]);
    expect(retransmissionStats(f.dtlsTransport)).toEqual({ sent: 2, dropped: 0 });
    // the media stream continues its own numbers
    expect(fast.send(13, 12000, true, randomBytes(10), 1)).toBe(106);
    expect(f.open(f.wire[5]!).header.ssrc).toBe(0x1234);
    fast.close();
  });

  it('without RTX: a retransmission is the byte-identical packet sent first, not registered again', () => {
    const f = fakeSender(profile);
    const { sink, registered } = sinkOf(2_000_000);
    const fast = new FastSender(f.sender, {
      retransmissions: (dtls) => retransmissionGate(dtls, sink),
      overheadBytes: OVERHEAD,
    });
    for (let i = 0; i < 3; i++) fast.send(10 + i, 9000, i === 2, randomBytes(500), 0);
    f.nack(11);
    expect(f.wire).toHaveLength(4);
    expect(f.wire[3]).toEqual(f.wire[1]);
    expect(f.wire[3]!.equals(f.wire[2]!)).toBe(false);
    expect(f.open(f.wire[3]!).header.sequenceNumber).toBe(11);
    expect(registered).toEqual([]); // feedback reports it under the original's number
    expect(retransmissionStats(f.dtlsTransport)).toEqual({ sent: 1, dropped: 0 });
    expect(fast.send(13, 12000, true, randomBytes(10), 1)).toBe(104);
    fast.close();
  });

  it('padding-only packets carry the P bit and a transport-wide number; RTX does not resend them', () => {
    const f = fakeSender(profile, RTX_PT);
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
    expect(f.wire).toHaveLength(2);
    f.nack(20);
    expect(f.open(f.wire[2]!).header.ssrc).toBe(0x5678);
    fast.close();
  });

  it('retransmissions are paced to 15 % of the estimate and not repeated within 100 ms', () => {
    const f = fakeSender(profile, RTX_PT);
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

  it('keeps no packet of a stream whose subscriber did not negotiate NACK (audio)', async () => {
    const f = fakeSender(profile, undefined, false);
    const fast = new FastSender(f.sender, { overheadBytes: OVERHEAD });
    const kept: WeakRef<Buffer>[] = [];
    for (let i = 0; i < 50; i++) {
      const payload = randomBytes(120);
      kept.push(new WeakRef(payload));
      fast.send(i, i * 960, false, payload, 0);
    }
    f.nack(40);
    expect(f.wire).toHaveLength(50);
    await collectGarbage();
    // (the last one may still be on the stack)
    expect(kept.filter((r) => r.deref() !== undefined).length).toBeLessThanOrEqual(1);
    fast.close();
  });

  it("keeps the packets it may resend byte for byte in a buffer of its own, not in slices of Node's shared 8 KB Buffer pool (which would keep every pool alive)", async () => {
    const f = fakeSender(profile);
    const fast = new FastSender(f.sender, { overheadBytes: OVERHEAD });
    const pools: WeakRef<ArrayBufferLike>[] = [];
    for (let i = 0; i < 100; i++) {
      // the thread's other small buffers come from the same pools as a default Buffer
      pools.push(new WeakRef(Buffer.allocUnsafe(2000).buffer));
      fast.send(i, i * 3000, false, randomBytes(900), 0);
    }
    await collectGarbage();
    const current = Buffer.allocUnsafe(1).buffer; // referenced by Buffer itself
    const alive = new Set(pools.map((r) => r.deref()).filter((b) => b && b !== current));
    // 128 packets kept as pool slices kept about 40 of these 50 pools alive
    expect(alive.size).toBeLessThanOrEqual(1);
    f.nack(60, 99);
    expect(f.wire).toHaveLength(102);
    expect(f.wire[100]).toEqual(f.wire[60]);
    expect(f.wire[101]).toEqual(f.wire[99]);
    fast.close();
  });

  it('with RTX: keeps a copy of each payload, not the forwarded buffer, and resends it as sent', async () => {
    const f = fakeSender(profile, RTX_PT);
    const fast = new FastSender(f.sender, { overheadBytes: OVERHEAD });
    const kept: WeakRef<Buffer>[] = [];
    const sent: Buffer[] = [];
    for (let i = 0; i < 50; i++) {
      const payload = randomBytes(900);
      sent.push(Buffer.from(payload));
      kept.push(new WeakRef(payload));
      fast.send(i, i * 3000, false, payload, 0);
    }
    await collectGarbage();
    expect(kept.filter((r) => r.deref() !== undefined).length).toBeLessThanOrEqual(1);
    f.nack(7, 48);
    expect(f.wire).toHaveLength(52);
    expect(f.open(f.wire[50]!).payload.subarray(2)).toEqual(sent[7]);
    expect(f.open(f.wire[51]!).payload.subarray(2)).toEqual(sent[48]);
    fast.close();
  });

  it.each([
    ['with RTX', RTX_PT],
    ['without RTX', undefined],
  ] as const)('answers a NACK for a packet larger than its history slot (%s)', (_mode, rtx) => {
    const f = fakeSender(profile, rtx);
    const fast = new FastSender(f.sender, { overheadBytes: OVERHEAD });
    const payloads = [randomBytes(1400), randomBytes(300), randomBytes(1279)];
    payloads.forEach((p, i) => fast.send(i, 0, false, p, 0));
    f.nack(0, 1, 2);
    expect(f.wire).toHaveLength(6);
    for (let i = 0; i < 3; i++) {
      const again = f.open(f.wire[3 + i]!);
      expect(rtx ? again.payload.subarray(2) : again.payload).toEqual(payloads[i]);
      if (!rtx) expect(f.wire[3 + i]).toEqual(f.wire[i]);
    }
    fast.close();
  });
});
