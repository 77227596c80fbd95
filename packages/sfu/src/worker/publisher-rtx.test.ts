import { describe, expect, it } from 'vitest';
import { RtpHeader, RtpPacket, unwrapRtx, type RTCRtpReceiver } from 'werift';
import { DirectReceiver } from './fastpath/media-routes';
import {
  associatedPayloadType,
  claimRtx,
  MID_URI,
  REPAIRED_RID_URI,
  type RtxClaimContext,
} from './publisher-rtx';

const MID_ID = 1;
const RRID_ID = 3;
const text = (id: number, value: string) => ({ id, payload: Buffer.from(value, 'latin1') });

const context = (over: Partial<RtxClaimContext> = {}): RtxClaimContext => ({
  mid: '1',
  codecs: {
    96: { name: 'VP8' },
    97: { name: 'rtx', parameters: 'apt=96' },
    111: { name: 'opus' },
  },
  headerExtensions: [
    { id: MID_ID, uri: MID_URI },
    { id: 2, uri: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id' },
    { id: RRID_ID, uri: REPAIRED_RID_URI },
  ],
  layerOf: (rid) => (({ l: 0, h: 1 }) as Record<string, number | undefined>)[rid],
  ...over,
});

const rtxHeader = (extensions: { id: number; payload: Buffer }[], payloadType = 97) =>
  new RtpHeader({ payloadType, ssrc: 0xabc, sequenceNumber: 7, timestamp: 1234, extensions });

describe('claiming a simulcast layer’s RTX stream (RFC 4588, RFC 8852 repaired rid)', () => {
  it('names the layer of the repaired rid and the payload type it carries', () => {
    expect(claimRtx(rtxHeader([text(MID_ID, '1'), text(RRID_ID, 'h')]), context())).toEqual({
      layer: 1,
      apt: 96,
    });
    expect(claimRtx(rtxHeader([text(MID_ID, '1'), text(RRID_ID, 'l')]), context())).toEqual({
      layer: 0,
      apt: 96,
    });
  });

  it('leaves packets of another m-line, an unknown rid, no rid, or a media payload type', () => {
    expect(claimRtx(rtxHeader([text(MID_ID, '2'), text(RRID_ID, 'h')]), context())).toBeUndefined();
    expect(claimRtx(rtxHeader([text(MID_ID, '1'), text(RRID_ID, 'x')]), context())).toBeUndefined();
    expect(claimRtx(rtxHeader([text(MID_ID, '1')]), context())).toBeUndefined();
    expect(claimRtx(rtxHeader([text(RRID_ID, 'h')]), context())).toBeUndefined();
    expect(
      claimRtx(rtxHeader([text(MID_ID, '1'), text(RRID_ID, 'h')], 96), context()),
    ).toBeUndefined();
  });

  it('needs an apt that names a payload type of the m-line', () => {
    const codecs = { 96: { name: 'VP8' }, 97: { name: 'rtx', parameters: 'apt=100' } };
    const header = rtxHeader([text(MID_ID, '1'), text(RRID_ID, 'h')]);
    expect(claimRtx(header, context({ codecs }))).toBeUndefined();
    expect(associatedPayloadType('apt=96')).toBe(96);
    expect(associatedPayloadType('rtx-time=3000;apt=120')).toBe(120);
    expect(associatedPayloadType(undefined)).toBeUndefined();
  });
});

describe('a repair from the RTX stream (DirectReceiver.acceptRepair)', () => {
  /** A werift receiver's fields that the direct route uses; `_lost`: what the NACK generator misses. */
  const receiver = (lost: number[]) => {
    const added: number[] = [];
    const r = {
      stopped: false,
      codecs: {
        96: { name: 'VP8', rtcpFeedback: [{ type: 'nack' }] },
        97: { name: 'rtx', rtcpFeedback: [] },
      },
      remoteStreams: {},
      nack: {
        _lost: Object.fromEntries(lost.map((s) => [s, 1])) as Record<number, number>,
        addPacket(p: RtpPacket) {
          added.push(p.header.sequenceNumber);
          delete this._lost[p.header.sequenceNumber];
        },
        isMissing(ssrc: number, seq: number) {
          return ssrc === 0x1234 && this._lost[seq] !== undefined;
        },
      },
    };
    return { r, added };
  };
  const repairOf = (osn: number) => {
    const payload = Buffer.concat([Buffer.of(osn >> 8, osn & 0xff), Buffer.from('vp8 data')]);
    return unwrapRtx(new RtpPacket(rtxHeader([]), payload), 96, 0x1234);
  };

  it('takes the original sequence number the NACK generator still misses, once', () => {
    const { r, added } = receiver([500, 502]);
    const direct = new DirectReceiver(r as unknown as RTCRtpReceiver, 'video', () => []);
    const packet = repairOf(502);
    expect(packet.header.sequenceNumber).toBe(502);
    expect(packet.header.ssrc).toBe(0x1234);
    expect(packet.payload.toString()).toBe('vp8 data');
    expect(direct.acceptRepair(packet)).toBe(true);
    expect(added).toEqual([502]);
    // a second copy, or a retransmission of a packet that arrived: a duplicate
    expect(direct.acceptRepair(repairOf(502))).toBe(false);
    expect(direct.acceptRepair(repairOf(501))).toBe(false);
    expect(added).toEqual([502]);
    expect(r.nack._lost).toEqual({ 500: 1 });
  });
});
