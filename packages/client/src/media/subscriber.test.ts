import type { SubscribeTrack } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import type { SignalClient } from '../signal/signal-client';
import type { RemoteTrack } from './subscriber';
import { Subscriber } from './subscriber';

/** The slice of RTCPeerConnection the Subscriber uses; one transceiver per mid. */
class FakePc extends EventTarget {
  iceGatheringState = 'complete';
  localDescription: { sdp: string } | null = null;
  readonly transceivers = new Map<string, { mid: string; receiver: RTCRtpReceiver }>();

  receiverFor(mid: string, kind: 'audio' | 'video'): RTCRtpReceiver {
    let t = this.transceivers.get(mid);
    if (!t) {
      t = { mid, receiver: { track: { id: `track-${mid}`, kind } } as unknown as RTCRtpReceiver };
      this.transceivers.set(mid, t);
    }
    return t.receiver;
  }

  /** What a browser does when an m-line starts (or starts again) receiving. */
  fireTrack(mid: string, kind: 'audio' | 'video'): void {
    const receiver = this.receiverFor(mid, kind);
    this.dispatchEvent(Object.assign(new Event('track'), { receiver, track: receiver.track }));
  }

  getTransceivers() {
    return [...this.transceivers.values()];
  }
  setRemoteDescription() {
    return Promise.resolve();
  }
  createAnswer() {
    return Promise.resolve({ type: 'answer', sdp: 'answer' });
  }
  setLocalDescription(d: { sdp: string }) {
    this.localDescription = d;
    return Promise.resolve();
  }
  close() {}
}

const signal = { request: () => Promise.resolve({}) } as unknown as SignalClient;
const track = (mid: string, participantId: string): SubscribeTrack =>
  ({ mid, participantId, kind: 'video', source: 'camera' }) as SubscribeTrack;

const nextTracks = (s: Subscriber) =>
  new Promise<RemoteTrack[]>((resolve) => {
    const off = s.on('tracks', (t) => {
      off();
      resolve(t);
    });
  });

describe('Subscriber', () => {
  it('a reused mid belongs to the new person and its receiver keeps the one E2EE transform', async () => {
    const pc = new FakePc();
    const attached: RTCRtpReceiver[] = [];
    const sub = new Subscriber(signal, pc as unknown as RTCPeerConnection, (r) => attached.push(r));

    pc.fireTrack('0', 'video');
    let tracks = nextTracks(sub);
    sub.handleOffer('offer-1', [track('0', 'old-bob')], 'o-1');
    expect((await tracks).map((t) => t.participantId)).toEqual(['old-bob']);

    // Bob leaves: mid 0 goes inactive, so the offer's map no longer names it.
    tracks = nextTracks(sub);
    sub.handleOffer('offer-2', [], 'o-2');
    expect(await tracks).toEqual([]);

    // Bob rejoins: the server reuses mid 0; the browser fires 'track' again for its receiver.
    pc.fireTrack('0', 'video');
    tracks = nextTracks(sub);
    sub.handleOffer('offer-3', [track('0', 'new-bob')], 'o-3');
    const [reused] = await tracks;
    expect(reused?.participantId).toBe('new-bob');
    expect(reused?.track).toBe(pc.transceivers.get('0')!.receiver.track);
    expect(attached).toHaveLength(1);
  });

  it('answers name their offer, and a subscriber replaced while gathering sends no answer', async () => {
    const requests: { type: string; offerId?: string }[] = [];
    const recording = {
      request: (m: { type: string; offerId?: string }) => {
        requests.push(m);
        return Promise.resolve({});
      },
    } as unknown as SignalClient;
    const pc = new FakePc();
    const sub = new Subscriber(recording, pc as unknown as RTCPeerConnection);
    const tracks = nextTracks(sub);
    sub.handleOffer('offer-1', [], 'o-1');
    await tracks;
    expect(requests).toEqual([
      expect.objectContaining({ type: 'subscribe.answer', offerId: 'o-1' }),
    ]);

    // A breakout move rebuilds the PeerConnections while this one is still gathering.
    pc.iceGatheringState = 'gathering';
    sub.handleOffer('offer-2', [], 'o-2');
    await new Promise((r) => setTimeout(r, 0));
    sub.close();
    pc.iceGatheringState = 'complete';
    pc.dispatchEvent(new Event('icegatheringstatechange'));
    await new Promise((r) => setTimeout(r, 10));
    expect(requests.map((r) => r.offerId)).toEqual(['o-1']);
  });
});
