import { describe, expect, it } from 'vitest';
import { RTCRtpReceiver, RtpHeader, RtpPacket, type GenericNack } from 'werift';
import { fixNackLoop } from './nack-loop';
import { splitNackBySsrc } from './nack-per-ssrc';

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
