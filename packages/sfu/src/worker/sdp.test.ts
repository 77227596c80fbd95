import { describe, expect, it } from 'vitest';
import { fixOfferSdp } from './sdp';

const offer = [
  'v=0',
  'o=- 1 0 IN IP4 0.0.0.0',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1 2',
  'm=audio 0 UDP/TLS/RTP/SAVPF 111',
  'a=setup:passive',
  'a=recvonly',
  'a=mid:0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=setup:passive',
  'a=sendonly',
  'a=mid:1',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=setup:passive',
  'a=sendonly',
  'a=mid:2',
  '',
].join('\r\n');

describe('fixOfferSdp', () => {
  it('drops rejected m-sections from the BUNDLE group', () => {
    expect(fixOfferSdp(offer, { initial: false })).toContain('a=group:BUNDLE 1 2\r\n');
  });

  it("offers a closed consumer's inactive m-section on the bundle port, not rejected", () => {
    const paused = offer.replace('a=recvonly', 'a=inactive');
    const fixed = fixOfferSdp(paused, { initial: false });
    expect(fixed).toContain('a=group:BUNDLE 0 1 2\r\n');
    expect(fixed).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=setup:passive\r\na=inactive');
    expect(fixed).not.toMatch(/^m=\S+ 0 /m);
  });

  it('offers actpass only in the first offer', () => {
    expect(fixOfferSdp(offer, { initial: true })).not.toContain('a=setup:passive');
    expect(fixOfferSdp(offer, { initial: true }).match(/a=setup:actpass\r\n/g)).toHaveLength(3);
    expect(fixOfferSdp(offer, { initial: false })).toContain('a=setup:passive');
  });

  it('removes the BUNDLE group when every m-section is rejected', () => {
    const allRejected = offer.replaceAll('m=video 9', 'm=video 0');
    expect(fixOfferSdp(allRejected, { initial: false })).not.toContain('a=group:BUNDLE');
  });
});
