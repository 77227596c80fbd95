import { RtpHeader, RtpPacket, wrapRtx } from 'werift';
import { describe, expect, it } from 'vitest';
import { hookRetransmissions, markSent, Pacer } from './retransmissions';

const TWCC_ID = 3;
const RTX_PT = 97;

/** werift's DTLS transport as the hook sees it: a counter and sendRtp. */
const fakeDtls = () => {
  const wire: { twcc: number; seq: number; ssrc: number }[] = [];
  const dtls = {
    transportSequenceNumber: 100,
    sendRtp: (_payload: Buffer, header: RtpHeader) => {
      const ext = header.extensions.find((e) => e.id === TWCC_ID);
      wire.push({
        twcc: ext ? ext.payload.readUInt16BE(0) : -1,
        seq: header.sequenceNumber,
        ssrc: header.ssrc,
      });
      return Promise.resolve(1);
    },
  };
  return { dtls, wire };
};

/** A first send as werift's RTCRtpSender does it: next transport-wide number, then sendRtp. */
const firstSend = (dtls: ReturnType<typeof fakeDtls>['dtls'], seq: number): RtpHeader => {
  dtls.transportSequenceNumber = (dtls.transportSequenceNumber + 1) & 0xffff;
  const value = Buffer.alloc(2);
  value.writeUInt16BE(dtls.transportSequenceNumber);
  const header = new RtpHeader({
    ssrc: 1,
    payloadType: 96,
    sequenceNumber: seq,
    extensions: [{ id: TWCC_ID, payload: value }],
  });
  void dtls.sendRtp(Buffer.alloc(1000), header);
  markSent(header);
  return header;
};

describe('retransmissions (NACK answers) under congestion control', () => {
  it('without RTX a retransmission goes unchanged (same SRTP index, same bytes); a first send is untouched', () => {
    const { dtls, wire } = fakeDtls();
    const registered: number[] = [];
    const stats = hookRetransmissions(
      dtls,
      TWCC_ID,
      { estimate: () => 1_000_000, sent: (seq) => registered.push(seq) },
      72,
      RTX_PT,
    );
    const h = firstSend(dtls, 7);
    firstSend(dtls, 8);
    void dtls.sendRtp(Buffer.alloc(1000), h); // werift answering a NACK for 7
    expect(wire).toEqual([
      { twcc: 101, seq: 7, ssrc: 1 },
      { twcc: 102, seq: 8, ssrc: 1 },
      { twcc: 101, seq: 7, ssrc: 1 },
    ]);
    expect(registered).toEqual([]);
    expect(stats).toEqual({ sent: 1, dropped: 0 });
  });

  it("with RTX (werift's wrapRtx) a retransmission gets a new transport-wide number, registered, the original's left alone", () => {
    const { dtls, wire } = fakeDtls();
    const registered: number[] = [];
    hookRetransmissions(
      dtls,
      TWCC_ID,
      { estimate: () => 1_000_000, sent: (seq) => registered.push(seq) },
      72,
      RTX_PT,
    );
    const h = firstSend(dtls, 7);
    const rtx = wrapRtx(new RtpPacket(h, Buffer.alloc(1000)), RTX_PT, 500, 2);
    void dtls.sendRtp(rtx.payload, rtx.header);
    void dtls.sendRtp(rtx.payload, rtx.header); // within 100 ms: dropped
    expect(wire).toEqual([
      { twcc: 101, seq: 7, ssrc: 1 },
      { twcc: 102, seq: 500, ssrc: 2 },
    ]);
    expect(registered).toEqual([102]);
    expect(h.extensions[0]!.payload.readUInt16BE(0)).toBe(101);
  });

  it('the same packet is not resent within 100 ms (the receiver repeats its NACK every round trip)', () => {
    const { dtls, wire } = fakeDtls();
    const stats = hookRetransmissions(
      dtls,
      TWCC_ID,
      { estimate: () => 5_000_000, sent: () => undefined },
      72,
    );
    const h = firstSend(dtls, 1);
    void dtls.sendRtp(Buffer.alloc(1000), h);
    void dtls.sendRtp(Buffer.alloc(1000), h);
    expect(wire).toHaveLength(2);
    expect(stats).toEqual({ sent: 1, dropped: 1 });
  });

  it('retransmissions are paced to 15 % of the estimate', () => {
    const { dtls, wire } = fakeDtls();
    // 400 kbit/s: 60 kbit/s of retransmissions, a 100 ms burst = 750 bytes
    const stats = hookRetransmissions(
      dtls,
      TWCC_ID,
      { estimate: () => 400_000, sent: () => undefined },
      72,
    );
    const headers = Array.from({ length: 20 }, (_, i) => firstSend(dtls, i));
    for (const h of headers) void dtls.sendRtp(Buffer.alloc(1000), h);
    expect(stats.sent).toBe(1); // the first (a full bucket lets one large packet through)
    expect(stats.dropped).toBe(19);
    expect(wire).toHaveLength(21);
  });

  it('Pacer: a token bucket refilling at its rate', () => {
    const p = new Pacer(() => 80_000, 100); // 10 bytes per ms, 1000 bytes of burst
    expect(p.take(600, 0)).toBe(true);
    expect(p.take(600, 0)).toBe(false);
    expect(p.take(600, 10)).toBe(false); // 400 + 100
    expect(p.take(600, 30)).toBe(true); // 500 + 200
    expect(p.take(100, 30)).toBe(true);
    expect(p.take(100, 30)).toBe(false);
  });
});
