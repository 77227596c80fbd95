import { RTCPeerConnection } from 'werift';
import { afterEach, describe, expect, it } from 'vitest';
import { fixNackLoop, isWeriftNackHandler } from './nack-loop';

interface Nack {
  nackLoop: unknown;
  sendNack(): Promise<unknown>;
  addPacket(p: { header: { sequenceNumber: number; ssrc: number } }): void;
  close(): void;
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const packet = (sequenceNumber: number) => ({ header: { sequenceNumber, ssrc: 1234 } });

describe("werift's NACK loop (RFC 4585 §6.2.1 generator) stops when nothing is missing", () => {
  const pcs: { pc: RTCPeerConnection; restore: () => void }[] = [];
  afterEach(async () => {
    for (const { pc, restore } of pcs.splice(0)) {
      restore();
      await pc.close();
    }
  });

  /** The NackHandler of a real werift video receiver (the class the media worker runs). */
  const receiverNack = () => {
    const pc = new RTCPeerConnection();
    const receiver = pc.addTransceiver('video', { direction: 'recvonly' }).receiver as unknown as {
      nack: Nack;
      dtlsTransport: unknown;
    };
    // what the receiver would send to the publisher (no DTLS here)
    const sent: unknown[] = [];
    const dtls = receiver.dtlsTransport;
    receiver.dtlsTransport = { sendRtcp: async (rtcp: unknown) => void sent.push(rtcp) };
    pcs.push({ pc, restore: () => (receiver.dtlsTransport = dtls) });
    return { nack: receiver.nack, sent };
  };

  it('werift still has the class this patch expects', () => {
    expect(isWeriftNackHandler(receiverNack().nack)).toBe(true);
  });

  it('NACKs a missing packet, and stops the loop once it arrived', async () => {
    const { nack, sent } = receiverNack();
    fixNackLoop(nack);
    let calls = 0;
    const send = nack.sendNack;
    nack.sendNack = () => {
      calls++;
      return send();
    };
    for (const seq of [1, 2, 4]) nack.addPacket(packet(seq)); // 3 is missing
    await wait(30);
    expect(sent.length, 'NACKs sent for the missing packet').toBeGreaterThan(0);
    nack.addPacket(packet(3)); // repaired
    await wait(30);
    const settled = calls;
    await wait(300);
    // unpatched werift 0.24.4 calls sendNack every 5 ms for the receiver's lifetime (~60 here)
    expect(calls - settled).toBe(0);
    expect(nack.nackLoop).toBeUndefined();
    nack.close();
  });

  it('a later loss starts the loop again', async () => {
    const { nack, sent } = receiverNack();
    fixNackLoop(nack);
    for (const seq of [1, 2, 4]) nack.addPacket(packet(seq));
    nack.addPacket(packet(3));
    await wait(30);
    const before = sent.length;
    nack.addPacket(packet(7)); // 5 and 6 missing
    await wait(30);
    expect(sent.length).toBeGreaterThan(before);
    nack.addPacket(packet(5));
    nack.addPacket(packet(6));
    await wait(30);
    expect(nack.nackLoop).toBeUndefined();
    nack.close();
  });
});
