import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { nativeReceive } from './native-udp-receive';
import { takeMediaDatagrams, type IceConnectionInternals } from './udp-receive';

type OnData = (data: Buffer, addr: [string, number]) => void;

/** The shape of werift 0.24.4's ICE connection as far as udp-receive.ts uses it. */
const connection = () => {
  const viaWerift: Buffer[] = [];
  const werift: OnData = (data) => viaWerift.push(data);
  const udp = { type: 'stun', transport: { onData: werift } };
  const udp2 = { type: 'stun', transport: { onData: werift } };
  const turn = { type: 'turn', transport: { onData: werift } };
  const conn = {
    protocols: [udp, udp2, turn],
    nominated: { protocol: udp, packetsReceived: 0, bytesReceived: 0 },
  } satisfies IceConnectionInternals;
  return { conn, udp, udp2, turn, viaWerift };
};

const datagram = (first: number, second = 0x60, length = 40): Buffer => {
  const d = Buffer.alloc(length);
  d[0] = first;
  d[1] = second;
  return d;
};
const from: [string, number] = ['127.0.0.1', 5000];

describe('takeMediaDatagrams', () => {
  it('takes RTP and RTCP from the UDP sockets and leaves STUN, DTLS and TURN data to werift', () => {
    const { conn, udp, viaWerift } = connection();
    const taken: Buffer[] = [];
    takeMediaDatagrams(conn, (d) => taken.push(d));
    const rtp = datagram(0x80, 0x60);
    const rtcp = datagram(0x81, 200);
    const stun = datagram(0x00, 0x01); // RFC 7983 §7: 0..3 STUN (consent freshness, RFC 7675)
    const dtls = datagram(22, 0xfe); // 20..63 DTLS
    const channel = datagram(0x40, 0x00); // 64..79 TURN channel data
    for (const d of [rtp, stun, rtcp, dtls, channel]) udp.transport.onData(d, from);
    expect(taken).toEqual([rtp, rtcp]);
    expect(viaWerift).toEqual([stun, dtls, channel]);
    // the nominated pair's counters (werift's getStats) still count media
    expect(conn.nominated.packetsReceived).toBe(2);
    expect(conn.nominated.bytesReceived).toBe(80);
  });

  it('counts only on the nominated pair, leaves other protocols alone, and wraps once', () => {
    const { conn, udp, udp2, turn, viaWerift } = connection();
    const taken: Buffer[] = [];
    takeMediaDatagrams(conn, (d) => taken.push(d));
    takeMediaDatagrams(conn, (d) => taken.push(d));
    udp.transport.onData(datagram(0x80), from);
    expect(taken).toHaveLength(1);
    udp2.transport.onData(datagram(0x80), from);
    expect(taken).toHaveLength(2);
    expect(conn.nominated.packetsReceived).toBe(1);
    turn.transport.onData(datagram(0x80), from);
    expect(taken).toHaveLength(2);
    expect(viaWerift).toHaveLength(1);
  });
});

const bound = (): Promise<Socket> =>
  new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  });

describe.runIf(process.platform === 'linux')('takeMediaDatagrams on a real socket', () => {
  it('reads it natively: RTP/RTCP to the fast path, STUN and DTLS to werift with their source', async () => {
    const socket = await bound();
    const peer = await bound();
    const viaWerift: { data: Buffer; addr: [string, number] }[] = [];
    // werift's UdpTransport: its dgram 'message' listener calls onData
    const transport = {
      socket,
      rinfo: undefined as RemoteInfo | undefined,
      onData: ((data, addr) => viaWerift.push({ data, addr })) as OnData,
    };
    socket.on('message', (data, info) => transport.onData(data, [info.address, info.port]));
    const udp = { type: 'stun', transport };
    const conn = {
      protocols: [udp],
      nominated: { protocol: udp, packetsReceived: 0, bytesReceived: 0 },
    } satisfies IceConnectionInternals;
    const taken: Buffer[] = [];
    const borrowed: boolean[] = [];
    const natively = nativeReceive.datagrams;
    takeMediaDatagrams(conn, (d, isBorrowed) => {
      taken.push(Buffer.from(d));
      borrowed.push(isBorrowed);
    });
    const rtp = datagram(0x80, 0x60);
    const stun = datagram(0x00, 0x01);
    const rtcp = datagram(0x81, 200);
    const dtls = datagram(22, 0xfe);
    for (const d of [rtp, stun, rtcp, dtls]) peer.send(d, socket.address().port, '127.0.0.1');
    const deadline = Date.now() + 2000;
    while (taken.length + viaWerift.length < 4 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(taken).toEqual([rtp, rtcp]);
    expect(borrowed, 'media is lent as a view of the receive slab').toEqual([true, true]);
    expect(viaWerift.map((v) => v.data)).toEqual([stun, dtls]);
    expect(viaWerift[0]!.addr).toEqual(['127.0.0.1', peer.address().port]);
    expect(transport.rinfo).toMatchObject({ address: '127.0.0.1', port: peer.address().port });
    expect(conn.nominated.packetsReceived).toBe(2);
    // Node's dgram no longer reads it: every datagram came through the native receive
    expect(nativeReceive.datagrams - natively).toBe(4);
    // werift keeps what it is given (DTLS records): later batches reuse the slots, not its copies
    for (let i = 0; i < 4; i++) peer.send(datagram(0x80, 0xff), socket.address().port, '127.0.0.1');
    while (nativeReceive.datagrams - natively < 8 && Date.now() < deadline + 2000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(viaWerift.map((v) => v.data)).toEqual([stun, dtls]);
    await new Promise<void>((r) => socket.close(() => r()));
    await new Promise<void>((r) => peer.close(() => r()));
  });
});
