import { describe, expect, it } from 'vitest';
import { RTCRtpReceiver, RtpHeader, RtpPacket, type GenericNack } from 'werift';
import { fixNackLoop } from './nack-loop';
import { LOST_SIZE, splitNackBySsrc } from './nack-per-ssrc';

/** A real werift video receiver whose RTCP goes to `sent` instead of a DTLS transport. */
const receiverWithRtcpLog = () => {
  const receiver = new RTCRtpReceiver({} as never, 'video', 0x5f5f);
  const sent: { ssrc: number; lost: number[] }[] = [];
  (receiver as unknown as { dtlsTransport: unknown }).dtlsTransport = {
    sendRtcp: (packets: { feedback?: GenericNack }[]) => {
      for (const p of packets)
        if (p.feedback) sent.push({ ssrc: p.feedback.mediaSourceSsrc, lost: [...p.feedback.lost] });
      return Promise.resolve();
    },
  };
  const nack = (receiver as unknown as { nack: { addPacket(p: RtpPacket): void; close(): void } })
    .nack;
  fixNackLoop(nack);
  return { receiver, sent };
};

const packet = (ssrc: number, seq: number) =>
  new RtpPacket(
    new RtpHeader({ ssrc, sequenceNumber: seq, payloadType: 96, timestamp: seq * 3000 }),
    Buffer.alloc(10),
  );

/** Two simulcast layers, interleaved; `low` loses 1005 and `high` 40003. */
const feedTwoLayers = (add: (p: RtpPacket) => void) => {
  const LOW = 0x1111;
  const HIGH = 0x2222;
  for (let i = 0; i <= 10; i++) {
    if (i !== 5) add(packet(LOW, 1000 + i));
    if (i !== 3) add(packet(HIGH, 40000 + i));
  }
  return { LOW, HIGH };
};

const settle = () => new Promise((r) => setTimeout(r, 40));

describe('NACKs to a simulcast publisher, one generator per SSRC', () => {
  it('asks each layer for exactly the packets it lost', async () => {
    const { receiver, sent } = receiverWithRtcpLog();
    const split = splitNackBySsrc(receiver)!;
    const { LOW, HIGH } = feedTwoLayers((p) => split.addPacket(p));
    await settle();
    expect(new Set(sent.map((n) => `${n.ssrc}:${n.lost.join(',')}`))).toEqual(
      new Set([`${LOW}:1005`, `${HIGH}:40003`]),
    );
    expect(split.isMissing(LOW, 1005)).toBe(true);
    expect(split.isMissing(HIGH, 1005)).toBe(false);
    // the repairs arrive: nothing is asked for any more
    split.addPacket(packet(LOW, 1005));
    split.addPacket(packet(HIGH, 40003));
    expect([...split.missing().values()].flat()).toEqual([]);
    const count = sent.length;
    await settle();
    expect(sent.length).toBe(count);
    split.close();
  });

  it('across the 16-bit wrap: the packet lost just before it is asked for, and so is a later loss', async () => {
    const { receiver, sent } = receiverWithRtcpLog();
    const split = splitNackBySsrc(receiver)!;
    const SSRC = 0x3333;
    const missingOf = (ssrc: number) =>
      split
        .missing()
        .get(ssrc)
        ?.sort((a, b) => a - b);
    // 65535 is lost, then 4 (werift's own comparison saw neither: 0 < 65534 looked old)
    for (let seq = 65530; seq <= 65534; seq++) split.addPacket(packet(SSRC, seq));
    for (let seq = 0; seq <= 10; seq++) if (seq !== 4) split.addPacket(packet(SSRC, seq));
    await settle();
    expect(new Set(sent.flatMap((n) => n.lost))).toEqual(new Set([65535, 4]));
    expect(missingOf(SSRC)).toEqual([4, 65535]);
    // an old packet, or a copy of one that arrived, asks for nothing more
    split.addPacket(packet(SSRC, 65531));
    split.addPacket(packet(SSRC, 9));
    expect(missingOf(SSRC)).toEqual([4, 65535]);
    split.close();
  });

  it('a jump of thousands asks for the last LOST_SIZE numbers only, and drops what falls behind them', () => {
    const { receiver } = receiverWithRtcpLog();
    const split = splitNackBySsrc(receiver)!;
    const SSRC = 0x4444;
    split.addPacket(packet(SSRC, 100));
    split.addPacket(packet(SSRC, 102));
    split.addPacket(packet(SSRC, 5000));
    const missing = split.missing().get(SSRC)!;
    expect(missing).toHaveLength(LOST_SIZE);
    expect(Math.min(...missing)).toBe(5000 - LOST_SIZE);
    expect(Math.max(...missing)).toBe(4999);
    // 101 was more than LOST_SIZE behind the newest: no longer asked for
    expect(split.isMissing(SSRC, 101)).toBe(false);
    split.close();
  });

  it('is what werift calls as receiver.nack (its own handler is replaced, idempotently)', () => {
    const { receiver } = receiverWithRtcpLog();
    const split = splitNackBySsrc(receiver);
    expect((receiver as unknown as { nack: unknown }).nack).toBe(split);
    expect(splitNackBySsrc(receiver)).toBe(split);
    split!.close();
  });

  it("werift's own single handler NACKs packets that were never lost (why the split; re-check on upgrades)", async () => {
    const { receiver, sent } = receiverWithRtcpLog();
    const nack = (receiver as unknown as { nack: { addPacket(p: RtpPacket): void; close(): void } })
      .nack;
    feedTwoLayers((p) => nack.addPacket(p));
    await settle();
    const asked = sent.flatMap((n) => n.lost);
    // thousands of sequence numbers between the two layers' ranges, not just 1005 and 40003
    expect(asked.some((seq) => seq !== 1005 && seq !== 40003)).toBe(true);
    nack.close();
  });
});
