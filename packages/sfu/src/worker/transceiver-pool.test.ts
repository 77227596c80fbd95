import { afterEach, expect, it } from 'vitest';
import { RTCPeerConnection } from 'werift';
import type { RTCRtpTransceiver } from 'werift';
import { TransceiverPool } from './transceiver-pool';

const open: RTCPeerConnection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((pc) => pc.close()));
});

/** The SFU side (offers through the pool) and a werift client that answers like a browser. */
function pair() {
  const sfu = new RTCPeerConnection({});
  let client = new RTCPeerConnection({});
  open.push(sfu, client);
  const pool = new TransceiverPool(sfu);
  let mid = 0;
  const consume = (kind: 'audio' | 'video') => {
    const t = pool.addTransceiver(kind);
    t.mid ??= String(mid++);
    return t;
  };
  const offer = async () => {
    pool.offering();
    await sfu.setLocalDescription(await sfu.createOffer());
    return sfu.localDescription!.sdp;
  };
  const answer = async (sdp: string, { freshClient = false } = {}) => {
    if (freshClient) {
      // werift as the answerer cannot take an m-line back from inactive (a browser can): a new
      // client answers the whole offer, which is all the SFU side sees of it.
      client = new RTCPeerConnection({});
      open.push(client);
    }
    await client.setRemoteDescription({ type: 'offer', sdp });
    await client.setLocalDescription(await client.createAnswer());
    await sfu.setRemoteDescription(client.localDescription!);
    pool.answered();
  };
  const close = (t: RTCRtpTransceiver) => {
    t.sender.stop();
    t.setDirection('inactive');
    pool.retire(t);
  };
  return { sfu, consume, offer, answer, close };
}

it('a consumer that reuses an m-line while an offer is out keeps its m-line when the next consumer comes', async () => {
  const { sfu, consume, offer, answer, close } = pair();
  const first = consume('audio');
  await answer(await offer());
  close(first);
  await answer(await offer()); // the client has seen it inactive: free for reuse

  const inFlight = await offer(); // still describes the m-line as inactive
  const reusing = consume('audio'); // takes the free m-line while that offer is out
  expect(reusing.mid).toBe(first.mid);
  await answer(inFlight); // the answer says "inactive" for the m-line reusing now lives on

  // werift 0.24.4's addTransceiver() recycles any transceiver whose negotiated direction is
  // inactive and that has not sent: it must never take a live consumer's m-line.
  const video = consume('video');
  const list = sfu.getTransceivers();
  expect(list).toContain(reusing);
  expect(video.mid).not.toBe(reusing.mid);
  const mids = list.map((t) => t.mid);
  expect(new Set(mids).size).toBe(mids.length);

  // The next round offers both as sending, each m-line of its own kind, and the client's answer
  // adds no transceiver on the SFU side (a werift "recvonly" one would shadow a live consumer).
  const next = await offer();
  const sections = next.split(/\r\n(?=m=)/).slice(1);
  const byMid = new Map(
    sections.map((s) => [
      /^a=mid:(\S+)/m.exec(s)?.[1],
      { kind: s.slice(2, 7), sendonly: /^a=sendonly/m.test(s) },
    ]),
  );
  expect(byMid.get(reusing.mid!)).toEqual({ kind: 'audio', sendonly: true });
  expect(byMid.get(video.mid!)).toEqual({ kind: 'video', sendonly: true });
  await answer(next, { freshClient: true });
  expect(sfu.getTransceivers()).toHaveLength(list.length);
  expect(sfu.getTransceivers().every((t) => t.direction !== 'recvonly')).toBe(true);
});
