import type { Socket } from 'node:dgram';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { RTCDtlsTransport } from 'werift';
import { afterEach, describe, expect, it } from 'vitest';
import { startNativeReceive } from './native-udp-receive';
import {
  beginSendWakeup,
  endSendWakeup,
  nativeDestination,
  nativeSend,
  nativeSendAvailable,
  nativeSenderFor,
  sendNative,
} from './native-udp-send';
import { sendToPeer } from './nominated-send';
import { bound, closeAll, closed, openFds, until } from '../../testing/loopback-sockets';

const sockets: Socket[] = [];
afterEach(() => closeAll(sockets));

/** A receiving socket and what it got. */
const receiverOn = async (type: 'udp4' | 'udp6' = 'udp4', address = '127.0.0.1') => {
  const socket = await bound(type, address);
  sockets.push(socket);
  const got: Buffer[] = [];
  socket.on('message', (d) => got.push(d));
  return { socket, got, port: socket.address().port, address };
};

/** werift's objects as sendToPeer reads them: a DTLS transport over a nominated UDP pair. */
const peerOver = (socket: Socket, host: string, port: number, type = 'stun') => {
  const viaWerift: Buffer[] = [];
  const pair = {
    protocol: { type, transport: { type: 'udp', closed: false, socket } },
    remoteCandidate: { host, port },
    packetsSent: 0,
    bytesSent: 0,
  };
  const connection = {
    nominated: pair,
    canSendApplicationData: () => true,
    send: (d: Buffer) => {
      viaWerift.push(d);
      return Promise.resolve();
    },
  };
  const dtls = { iceTransport: { connection }, bytesSent: 0, packetsSent: 0 };
  return { dtls: dtls as unknown as RTCDtlsTransport, counters: dtls, pair, viaWerift };
};

const ipv6 = await bound('udp6', '::1').then(
  (s) => closed(s).then(() => true),
  () => false,
);

describe.runIf(process.platform === 'linux')('native UDP send (Linux, addon built)', () => {
  it('is available here (else the SFU silently keeps Node dgram: the bench would be moot)', () => {
    expect(nativeSendAvailable()).toBe(true);
  });

  it('sends datagrams in order with their bytes to an IPv4 receiver, at once outside a wake-up', async () => {
    const from = await bound('udp4', '127.0.0.1');
    sockets.push(from);
    const to = await receiverOn();
    const sender = nativeSenderFor(from)!;
    const destination = nativeDestination(to.address, to.port)!;
    const sent = Array.from({ length: 20 }, (_, i) =>
      Buffer.from([0x80, 0x60, i, ...Buffer.alloc(i)]),
    );
    const calls = nativeSend.calls;
    for (const d of sent) sendNative(sender, destination, d);
    // no wake-up: one call per datagram, none held back
    expect(nativeSend.calls - calls).toBe(20);
    await until(() => to.got.length === 20);
    expect(to.got).toEqual(sent);
  });

  it.runIf(ipv6)('sends to an IPv6 receiver', async () => {
    const from = await bound('udp6', '::1');
    sockets.push(from);
    const to = await receiverOn('udp6', '::1');
    const peer = peerOver(from, '::1', to.port);
    const sent = Array.from({ length: 5 }, (_, i) => Buffer.from([0x80, i, 0xfe]));
    const datagrams = nativeSend.datagrams;
    for (const d of sent) sendToPeer(peer.dtls, d);
    await until(() => to.got.length === 5);
    expect(to.got).toEqual(sent);
    expect(nativeSend.datagrams - datagrams).toBe(5);
  });

  it('sends a fan-out made in one receive wake-up in ONE native call, in order per peer', async () => {
    const inbound = await bound('udp4', '127.0.0.1');
    sockets.push(inbound);
    const subscribers = await Promise.all(Array.from({ length: 6 }, () => receiverOn()));
    const peers = subscribers.map((s) => peerOver(inbound, s.address, s.port));
    const publisher = await bound('udp4', '127.0.0.1');
    sockets.push(publisher);
    const sentDuringWakeup: number[] = [];
    startNativeReceive(inbound, (data) => {
      const calls = nativeSend.calls;
      // one forwarded copy per subscriber, as the SFU's fan-out does
      for (const peer of peers) sendToPeer(peer.dtls, Buffer.from(data));
      sentDuringWakeup.push(nativeSend.calls - calls);
    });
    const before = nativeSend.calls;
    for (let i = 0; i < 3; i++)
      publisher.send(Buffer.from([0x80, i]), inbound.address().port, '127.0.0.1');
    await until(() => subscribers.every((s) => s.got.length === 3));
    // nothing went while the wake-up ran; it all went at its end
    expect(sentDuringWakeup).toEqual([0, 0, 0]);
    for (const s of subscribers) expect(s.got.map((d) => d[1])).toEqual([0, 1, 2]);
    const wakeups = nativeSend.calls - before;
    // 3 datagrams x 6 subscribers: one call per receive wake-up (1 to 3 of them), not 18
    expect(wakeups).toBeGreaterThanOrEqual(1);
    expect(wakeups).toBeLessThanOrEqual(3);
  });

  it('holds sends made inside a wake-up until its end, then sends them all in order', async () => {
    const from = await bound('udp4', '127.0.0.1');
    sockets.push(from);
    const a = await receiverOn();
    const b = await receiverOn();
    const sender = nativeSenderFor(from)!;
    const to = [nativeDestination(a.address, a.port)!, nativeDestination(b.address, b.port)!];
    const calls = nativeSend.calls;
    const syscalls = nativeSend.syscalls;
    beginSendWakeup();
    for (let i = 0; i < 300; i++)
      sendNative(sender, to[i % 2]!, Buffer.from([0x80, i & 0xff, i >> 8]));
    // more than the queue holds: one flush before the end (order kept), the rest at the end
    expect(nativeSend.calls - calls).toBe(1);
    endSendWakeup();
    expect(nativeSend.calls - calls).toBe(2);
    expect(nativeSend.syscalls - syscalls).toBeLessThanOrEqual(6); // sendmmsg, 64 at a time
    await until(() => a.got.length === 150 && b.got.length === 150);
    const order = (got: Buffer[]) => got.map((d) => d[1]! | (d[2]! << 8));
    expect(order(a.got)).toEqual(Array.from({ length: 150 }, (_, i) => 2 * i));
    expect(order(b.got)).toEqual(Array.from({ length: 150 }, (_, i) => 2 * i + 1));
  });

  it("keeps werift's counters (pair and transport) as Node's dgram path does", async () => {
    const from = await bound('udp4', '127.0.0.1');
    sockets.push(from);
    const to = await receiverOn();
    const peer = peerOver(from, to.address, to.port);
    sendToPeer(peer.dtls, Buffer.alloc(100, 0x80));
    sendToPeer(peer.dtls, Buffer.alloc(50, 0x80));
    expect(peer.pair).toMatchObject({ packetsSent: 2, bytesSent: 150 });
    expect(peer.counters).toMatchObject({ packetsSent: 2, bytesSent: 150 });
    await until(() => to.got.length === 2);
  });

  it('drops and counts a datagram the kernel refuses, and goes on with the next', async () => {
    const from = await bound('udp4', '127.0.0.1');
    sockets.push(from);
    const to = await receiverOn();
    const sender = nativeSenderFor(from)!;
    const destination = nativeDestination(to.address, to.port)!;
    const dropped = nativeSend.dropped;
    beginSendWakeup();
    sendNative(sender, destination, Buffer.from([0x80, 1]));
    sendNative(sender, destination, Buffer.alloc(70_000, 0x80)); // longer than UDP allows: EMSGSIZE
    sendNative(sender, destination, Buffer.from([0x80, 3]));
    endSendWakeup();
    expect(nativeSend.dropped - dropped).toBe(1);
    expect(nativeSend.lastErrno).toBe(90); // EMSGSIZE
    await until(() => to.got.length === 2);
    expect(to.got.map((d) => d[1])).toEqual([1, 3]);
  });

  it('closes its dup of the fd when the socket closes (no fd left behind)', async () => {
    const before = openFds();
    const open = nativeSend.sockets;
    const from = await bound('udp4', '127.0.0.1');
    const sender = nativeSenderFor(from);
    expect(sender).toBeDefined();
    expect(openFds()).toBe(before + 2); // the socket and its dup
    expect(nativeSend.sockets).toBe(open + 1);
    await closed(from);
    expect(openFds()).toBe(before);
    expect(nativeSend.sockets).toBe(open);
    expect(nativeSenderFor(from)).toBeUndefined();
  });

  it('closes its dups with its thread: a worker ended while sending leaves no fd and no crash', async () => {
    const addon = createRequire(import.meta.url).resolve('conclave-aead-native');
    const code = `
      const { createSocket } = require('node:dgram');
      const native = require(${JSON.stringify(addon)});
      const { parentPort, workerData } = require('node:worker_threads');
      const socket = createSocket('udp4');
      socket.bind(0, '127.0.0.1', () => {
        const state = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol');
        const id = native.udpSendOpen(socket[state].handle.fd);
        const meta = new Int32Array(12);
        meta[0] = id; meta[2] = 1;
        native.udpSendAddress('127.0.0.1', workerData, meta.subarray(3));
        native.udpSendFlush(Buffer.from([0x80]), meta, 1, new Int32Array(3));
      });`;
    const to = await receiverOn();
    const before = openFds();
    for (let i = 0; i < 3; i++) {
      const worker = new Worker(code, { eval: true, workerData: to.port });
      await until(() => to.got.length === i + 1);
      await worker.terminate();
    }
    await until(() => openFds() === before);
  });
});

describe('native UDP send fallback', () => {
  const viaDgram = async (env: Record<string, string>) => {
    const from = await bound('udp4', '127.0.0.1');
    sockets.push(from);
    const to = await receiverOn();
    const peer = peerOver(from, to.address, to.port);
    Object.assign(process.env, env);
    const calls = nativeSend.calls;
    try {
      sendToPeer(peer.dtls, Buffer.from('via dgram'));
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
    }
    await until(() => to.got.length === 1);
    expect(to.got[0]!.toString()).toBe('via dgram');
    expect(nativeSend.calls).toBe(calls);
    expect(peer.pair).toMatchObject({ packetsSent: 1, bytesSent: 9 });
  };

  it('uses Node dgram when send alone is turned off (CONCLAVE_SFU_NATIVE_SEND=0)', () =>
    viaDgram({ CONCLAVE_SFU_NATIVE_SEND: '0' }));

  it('uses Node dgram when native UDP is turned off (CONCLAVE_SFU_NATIVE_UDP=0)', () =>
    viaDgram({ CONCLAVE_SFU_NATIVE_UDP: '0' }));

  it('uses Node dgram for a destination that is not a numeric address', async () => {
    const from = await bound('udp4', '127.0.0.1');
    sockets.push(from);
    const to = await receiverOn();
    const peer = peerOver(from, 'localhost', to.port);
    const calls = nativeSend.calls;
    sendToPeer(peer.dtls, Buffer.from([0x80]));
    await until(() => to.got.length === 1);
    expect(nativeSend.calls).toBe(calls);
  });

  it("leaves TURN to werift's Connection.send", async () => {
    const from = await bound('udp4', '127.0.0.1');
    sockets.push(from);
    const peer = peerOver(from, '127.0.0.1', 9, 'turn');
    const calls = nativeSend.calls;
    sendToPeer(peer.dtls, Buffer.from([0x80]));
    expect(peer.viaWerift).toHaveLength(1);
    expect(nativeSend.calls).toBe(calls);
    expect(peer.counters).toMatchObject({ packetsSent: 1, bytesSent: 1 });
  });
});
