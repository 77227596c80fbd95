import {
  GenericNack,
  RTCRtpCodecParameters,
  RTCRtpSender,
  RtcpTransportLayerFeedback,
  RtpHeader,
  RtpPacket,
  type RTCPeerConnection,
  type RTCRtpTransceiver,
} from 'werift';
import { describe, expect, it } from 'vitest';
import type { DownlinkEstimator } from './bwe/downlink-estimator';
import { retransmissionStats, TRANSPORT_CC_URI } from './bwe/retransmissions';
import { LayerMeter, PACKET_OVERHEAD_BYTES } from './simulcast/layer-meter';
import { emptyVp8Fields } from './simulcast/vp8-fields';
import { KEYFRAME_RETRY_MS, WorkerConsumer } from './worker-consumer';
import type { WorkerProducer } from './worker-producer';

const TWCC_ID = 3;

/**
 * werift's path, which a consumer uses when the fast path is not available for its DTLS session
 * (here: a DTLS transport without SRTP keys): a real werift RTCRtpSender over a DTLS transport
 * that records what it is asked to protect and send.
 */
const setUp = (rtx: boolean, subscriberPliMinIntervalMs = 1000) => {
  const wire: { ssrc: number; seq: number; twcc: number; padding: boolean; bytes: number }[] = [];
  const dtls = {
    state: 'connected',
    transportSequenceNumber: 500,
    sendRtp: (payload: Buffer, header: RtpHeader): Promise<number> => {
      const ext = header.extensions.find((e) => e.id === TWCC_ID);
      wire.push({
        ssrc: header.ssrc,
        seq: header.sequenceNumber,
        twcc: ext ? ext.payload.readUInt16BE(0) : -1,
        padding: header.padding,
        bytes: payload.length,
      });
      return Promise.resolve(payload.length);
    },
    sendRtcp: () => Promise.resolve(),
  };
  const sender = new RTCRtpSender('video');
  (sender as unknown as { dtlsTransport: unknown }).dtlsTransport = dtls;
  sender.prepareSend({
    codecs: [
      new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, payloadType: 96 }),
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
    headerExtensions: [{ uri: TRANSPORT_CC_URI, id: TWCC_ID }],
  });
  const registered: { seq: number; bytes: number }[] = [];
  const estimator = {
    estimate: 2_000_000,
    onPacketSent: (seq: number, bytes: number) => registered.push({ seq, bytes }),
    onFeedback: () => undefined,
  } as unknown as DownlinkEstimator;
  /** Key frame requests to the producer, by layer ('all': every layer). */
  const asked: (number | 'all')[] = [];
  const producer = {
    id: 'p',
    kind: 'video',
    layerCount: 1,
    requestKeyFrame: (layer?: number) => asked.push(layer ?? 'all'),
    removeConsumer: () => undefined,
  } as unknown as WorkerProducer;
  const consumer = new WorkerConsumer({
    id: 'c',
    transportId: 't',
    producer,
    pc: { connectionState: 'connected' } as unknown as RTCPeerConnection,
    transceiver: {
      sender,
      setDirection: () => undefined,
    } as unknown as RTCRtpTransceiver,
    mid: '0',
    subscriberPliMinIntervalMs,
    sent: new LayerMeter(),
    estimator,
    onClose: () => undefined,
  });
  const vp8 = Object.assign(emptyVp8Fields(), { valid: true, keyframe: true });
  const packet = (seq: number, marker: boolean) =>
    new RtpPacket(
      new RtpHeader({ sequenceNumber: seq, timestamp: 3000, marker, payloadType: 100, ssrc: 7 }),
      Buffer.alloc(800, seq),
    );
  const nack = (...lost: number[]) =>
    sender.handleRtcpPacket(
      new RtcpTransportLayerFeedback({
        feedback: new GenericNack({ mediaSourceSsrc: sender.ssrc, lost }),
      }),
    );
  return { consumer, sender, dtls, wire, registered, vp8, packet, nack, asked };
};

describe('WorkerConsumer on werift’s send path (no fast path for the DTLS session)', () => {
  it.each([
    ['with RTX', true],
    ['without RTX', false],
  ] as const)(
    'media and padding get transport-wide numbers the estimator learns; a NACK (%s) never reuses an SRTP index with a new header, and is paced by the same gate',
    async (_mode, rtx) => {
      const { consumer, sender, dtls, wire, registered, vp8, packet, nack } = setUp(rtx);
      expect(consumer.send(0, packet(40, false), vp8, 0)).toBe(true);
      expect(consumer.send(0, packet(41, true), { ...vp8, keyframe: false }, 0)).toBe(true);
      expect(consumer.sendPadding(200, 1)).toBe(200);
      expect(wire.map((w) => [w.twcc, w.padding])).toEqual([
        [501, false],
        [502, false],
        [503, true],
      ]);
      const [first, second, pad] = wire;
      expect(second!.seq).toBe(first!.seq + 1);
      expect(pad!.seq).toBe(second!.seq + 1);
      expect(registered).toEqual([
        { seq: 501, bytes: 800 + PACKET_OVERHEAD_BYTES },
        { seq: 502, bytes: 800 + PACKET_OVERHEAD_BYTES },
        { seq: 503, bytes: 200 + PACKET_OVERHEAD_BYTES },
      ]);
      nack(first!.seq);
      await new Promise((r) => setImmediate(r));
      if (rtx) {
        // RFC 4588: the RTX SSRC, its own sequence number, OSN + payload, a new transport-wide number
        expect(wire[3]).toMatchObject({ ssrc: sender.rtxSsrc, twcc: 504, bytes: 802 });
        expect(wire[3]!.seq).not.toBe(first!.seq);
        expect(registered[3]).toEqual({ seq: 504, bytes: 802 + PACKET_OVERHEAD_BYTES });
      } else {
        // the same header as first sent (RFC 7714 §14), under the original's number
        expect(wire[3]).toEqual(first);
        expect(registered).toHaveLength(3);
      }
      nack(first!.seq); // repeated within 100 ms: not resent
      await new Promise((r) => setImmediate(r));
      expect(wire).toHaveLength(4);
      expect(retransmissionStats(dtls)).toEqual({ sent: 1, dropped: 1 });
      consumer.close();
    },
  );
});

describe('WorkerConsumer: a subscriber that needs a key frame gets the next one', () => {
  it('asks again until a key frame is forwarded; its own PLIs pass at once (two), are absorbed while one is on the way, then limited', async () => {
    const { consumer, sender, asked, vp8, packet } = setUp(false, 300);
    const delta = { ...vp8, keyframe: false };
    const t0 = performance.now();
    expect(consumer.awaitingKeyframe).toBe(true); // a new consumer has none yet
    expect(consumer.send(0, packet(1, true), delta, t0 + 100)).toBe(false); // waits for one
    expect(asked).toEqual([]);
    // no key frame KEYFRAME_RETRY_MS after asking: the PLI (or the key frame) was lost, ask again
    consumer.send(0, packet(2, true), delta, t0 + KEYFRAME_RETRY_MS + 50);
    expect(asked).toEqual([0]);
    expect(consumer.send(0, packet(3, true), vp8, t0 + KEYFRAME_RETRY_MS + 100)).toBe(true);
    expect(consumer.awaitingKeyframe).toBe(false);
    consumer.send(0, packet(4, true), delta, t0 + 5000);
    expect(asked).toEqual([0]); // served: no more asking

    // the subscriber's decoder asks (a PLI): passed on at once
    sender.onPictureLossIndication.execute();
    expect(asked).toEqual([0, 0]);
    sender.onPictureLossIndication.execute(); // a key frame is on its way: absorbed
    sender.onPictureLossIndication.execute();
    expect(asked).toEqual([0, 0]);
    consumer.send(0, packet(5, true), vp8, t0 + 5100);
    // a second one soon after: still at once (a burst of two)
    sender.onPictureLossIndication.execute();
    expect(asked).toEqual([0, 0, 0]);
    consumer.send(0, packet(6, true), vp8, t0 + 5200);
    // a third: one per interval (300 ms here, 3 s by default) from now on
    sender.onPictureLossIndication.execute();
    expect(asked).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 450));
    expect(asked).toHaveLength(4);
    expect(consumer.stats().pliReceived).toBe(5);
    consumer.close();
  });

  it('a layer switch asks for the target layer until its key frame is forwarded; a hidden tile asks for nothing', () => {
    const { consumer, asked, vp8, packet } = setUp(false);
    const t0 = performance.now();
    consumer.send(0, packet(1, true), vp8, t0);
    expect(consumer.awaitingKeyframe).toBe(false);
    consumer.setTargetLayer(-1);
    consumer.send(0, packet(2, true), { ...vp8, keyframe: false }, t0 + 5000);
    expect(asked).toEqual([]);
    consumer.setTargetLayer(0); // shown again
    expect(asked).toEqual([0]);
    expect(consumer.awaitingKeyframe).toBe(true);
    consumer.close();
  });
});
