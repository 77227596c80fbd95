import { createSocket, type Socket } from 'node:dgram';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  nativeReceive,
  nativeReceiveAvailable,
  SLOT_SIZE,
  SLOTS,
  startNativeReceive,
} from './native-udp-receive';
import { bound, closeAll, closed, openFds, until } from '../../testing/loopback-sockets';

interface Received {
  data: Buffer;
  address: string;
  port: number;
}

const sockets: Socket[] = [];
afterEach(() => closeAll(sockets));

const pair = async (type: 'udp4' | 'udp6' = 'udp4', address = '127.0.0.1') => {
  const receiver = await bound(type, address);
  const sender = await bound(type, address);
  sockets.push(receiver, sender);
  const received: Received[] = [];
  /** What the handler was given, as given (views of the slab: overwritten by later batches). */
  const views: Buffer[] = [];
  const reading = startNativeReceive(receiver, (data, slot, port, addressOf) => {
    views.push(data);
    // kept beyond the call: copied, as the handler's contract says
    received.push({ data: Buffer.from(data), address: addressOf(slot), port });
  });
  const send = (data: Buffer): void => {
    sender.send(data, receiver.address().port, address);
  };
  return { receiver, sender, received, views, reading, send };
};

const ipv6 = await bound('udp6', '::1').then(
  (s) => closed(s).then(() => true),
  () => false,
);

describe.runIf(process.platform === 'linux')('startNativeReceive (Linux, addon built)', () => {
  it('is available here (else the SFU silently keeps Node dgram: the bench would be moot)', () => {
    expect(nativeReceiveAvailable()).toBe(true);
  });

  it('delivers datagrams in order with their source address and port', async () => {
    const { sender, received, reading, send } = await pair();
    expect(reading).toBeDefined();
    const sent = Array.from({ length: 5 }, (_, i) => Buffer.from([0x80, 0x60, i, i * 7]));
    for (const d of sent) send(d);
    await until(() => received.length === 5);
    expect(received.map((r) => r.data)).toEqual(sent);
    for (const r of received) {
      expect(r.address).toBe('127.0.0.1');
      expect(r.port).toBe(sender.address().port);
    }
  });

  it('hands each datagram over as a view of its slot: no Buffer made and filled per datagram', async () => {
    const { received, views, send } = await pair();
    send(Buffer.from([0x80, 0x60, 1, 2]));
    await until(() => received.length === 1);
    const first = views[0]!;
    expect(first.buffer.byteLength).toBe(SLOT_SIZE * SLOTS);
    expect(first.byteOffset % SLOT_SIZE).toBe(0);
    // the next batch reuses the slot: a handler that keeps a datagram must copy it
    send(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    await until(() => received.length === 2);
    expect(views[1]!.byteOffset).toBe(first.byteOffset);
    expect([...first]).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect([...received[0]!.data]).toEqual([0x80, 0x60, 1, 2]);
  });

  it.runIf(ipv6)('gives IPv6 source addresses as Node does', async () => {
    const { sender, received, send } = await pair('udp6', '::1');
    send(Buffer.from('hello'));
    await until(() => received.length === 1);
    expect(received[0]).toMatchObject({ address: '::1', port: sender.address().port });
  });

  it('takes every waiting datagram in one wake-up (one call into JS per batch)', async () => {
    const { received, send } = await pair();
    const before = nativeReceive.wakeups;
    const count = SLOTS + 8; // more than one recvmmsg holds
    // sent synchronously: all are queued on the receiving socket before its loop wakes
    for (let i = 0; i < count; i++) send(Buffer.from([0x80, i]));
    await until(() => received.length === count);
    expect(received.map((r) => r.data[1])).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(nativeReceive.wakeups - before).toBeLessThanOrEqual(3);
  });

  it('drops and counts a datagram longer than a slot, and goes on', async () => {
    const { received, send } = await pair();
    const before = nativeReceive.truncated;
    send(Buffer.alloc(SLOT_SIZE + 1, 0x80));
    send(Buffer.from([0x80, 1]));
    await until(() => received.length === 1);
    expect(received[0]!.data).toEqual(Buffer.from([0x80, 1]));
    expect(nativeReceive.truncated - before).toBe(1);
    // exactly a slot still fits
    send(Buffer.alloc(SLOT_SIZE, 0x81));
    await until(() => received.length === 2);
    expect(received[1]!.data.length).toBe(SLOT_SIZE);
  });

  // (napi_make_callback also gives the batch an async context; Node drains both queues before the
  // next callback either way, so this checks the order, not which N-API call made it)
  it('runs microtasks and ticks queued by the handler before the next I/O callback', async () => {
    const receiver = await bound('udp4', '127.0.0.1');
    const sender = await bound('udp4', '127.0.0.1');
    sockets.push(receiver, sender);
    const order: string[] = [];
    startNativeReceive(receiver, () => {
      order.push('datagram');
      queueMicrotask(() => order.push('microtask'));
      process.nextTick(() => order.push('tick'));
      setImmediate(() => order.push('immediate'));
    });
    sender.send(Buffer.from([1]), receiver.address().port, '127.0.0.1');
    await until(() => order.length === 4);
    expect(order).toEqual(['datagram', 'tick', 'microtask', 'immediate']);
  });

  it('still sends on the socket it reads', async () => {
    const { receiver, sender, received, send } = await pair();
    const back: Buffer[] = [];
    sender.on('message', (d) => back.push(d));
    send(Buffer.from([0x80]));
    await until(() => received.length === 1);
    receiver.send(Buffer.from('reply'), sender.address().port, '127.0.0.1');
    await until(() => back.length === 1);
    expect(back[0]!.toString()).toBe('reply');
  });

  it('closes its dup of the fd when the socket closes (no fd left behind)', async () => {
    const before = openFds();
    const before2 = nativeReceive.sockets;
    const receiver = await bound('udp4', '127.0.0.1');
    const reading = startNativeReceive(receiver, () => undefined);
    expect(reading).toBeDefined();
    expect(openFds()).toBe(before + 2); // the socket and its dup
    expect(nativeReceive.sockets).toBe(before2 + 1);
    await closed(receiver);
    await until(() => openFds() === before);
    expect(nativeReceive.sockets).toBe(before2);
    // the port is free again: nothing holds the socket open
    const again = await bound('udp4', '127.0.0.1');
    sockets.push(again);
  });

  it('stops with its thread: a worker ended while reading leaves no fd and no crash', async () => {
    const addon = createRequire(import.meta.url).resolve('conclave-aead-native');
    // a media worker's thread, reading a socket natively when it is terminated
    const code = `
      const { createSocket } = require('node:dgram');
      const native = require(${JSON.stringify(addon)});
      const { parentPort } = require('node:worker_threads');
      const socket = createSocket('udp4');
      socket.bind(0, '127.0.0.1', () => {
        const state = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol');
        const handle = socket[state].handle;
        native.udpReceiveStart(handle.fd, Buffer.alloc(4096), 4096, new Int32Array(2), (n) =>
          parentPort.postMessage(n));
        handle.recvStop();
        parentPort.postMessage(socket.address().port);
      });`;
    const sender = await bound('udp4', '127.0.0.1');
    sockets.push(sender);
    const before = openFds();
    for (let i = 0; i < 3; i++) {
      const worker = new Worker(code, { eval: true });
      const port = await new Promise<number>((r) => worker.once('message', r));
      sender.send(Buffer.from([0x80]), port, '127.0.0.1');
      expect(await new Promise<number>((r) => worker.once('message', r))).toBe(1);
      await worker.terminate();
    }
    await until(() => openFds() === before);
  });

  it('stop() is idempotent and closes the dup at once', async () => {
    const before = openFds();
    const receiver = await bound('udp4', '127.0.0.1');
    sockets.push(receiver);
    const reading = startNativeReceive(receiver, () => undefined)!;
    expect(openFds()).toBe(before + 2);
    reading.stop();
    reading.stop();
    expect(openFds()).toBe(before + 1);
  });
});

describe('startNativeReceive fallback', () => {
  it('leaves the socket to Node when turned off (CONCLAVE_SFU_NATIVE_UDP=0)', async () => {
    const receiver = await bound('udp4', '127.0.0.1');
    sockets.push(receiver);
    process.env.CONCLAVE_SFU_NATIVE_UDP = '0';
    try {
      expect(nativeReceiveAvailable()).toBe(false);
      expect(startNativeReceive(receiver, () => undefined)).toBeUndefined();
    } finally {
      delete process.env.CONCLAVE_SFU_NATIVE_UDP;
    }
    const got = new Promise<Buffer>((r) => receiver.once('message', r));
    const sender = await bound('udp4', '127.0.0.1');
    sockets.push(sender);
    sender.send(Buffer.from('via dgram'), receiver.address().port, '127.0.0.1');
    expect((await got).toString()).toBe('via dgram');
  });

  it('leaves an unbound socket to Node', () => {
    const socket = createSocket('udp4');
    expect(startNativeReceive(socket, () => undefined)).toBeUndefined();
    socket.close();
  });
});
