/**
 * Native receive of a bound `node:dgram` socket (packages/aead-native, udp-receive.cc).
 *
 * Node's dgram makes, per datagram: a wake-up, a recvmsg and a second one that ends in EAGAIN, a
 * 64 KiB receive buffer, a Buffer, an `rinfo` object built property by property, and a call into
 * JS. Here a dup of the socket's fd is watched on the thread's own event loop; per wake-up one
 * recvmmsg takes every waiting datagram into a slab shared with JS, and JS is called once. Each
 * datagram goes to the handler as a view of its slot, valid only until the handler returns (the
 * slot is overwritten at the next wake-up): what the receive path keeps it copies itself, and
 * most of a media packet is not kept (the SRTP payload is decrypted in place and forwarded; the
 * send side copies what its NACK history keeps). No Buffer is allocated and filled per datagram.
 * The source address is made only when asked for.
 *
 * Node's reading of the socket is stopped (`UDPWrap.recvStop`); sending on it is unchanged. The
 * dup is closed when the socket closes (its 'close' event) or the thread ends.
 * Re-check on Node upgrades: dgram's state symbol (`Symbol(state symbol)`) and its `handle`
 * (`fd`, `recvStop`). Absent either, or the addon (not Linux, not built), `startNativeReceive`
 * returns undefined and the caller keeps Node's dgram. CONCLAVE_SFU_NATIVE_UDP=0 turns it off.
 */
import type { Socket } from 'node:dgram';
import native, { type NativeUdpReceiver } from 'conclave-aead-native';
import type { WorkerDump } from '../../channel/messages';
import { dgramHandle } from './dgram-handle';
import { beginSendWakeup, endSendWakeup } from './native-udp-send';

/** Octets per slot: above any path MTU a peer sends media or DTLS over (longer: dropped). */
export const SLOT_SIZE = 4096;
/** Datagrams per recvmmsg call (64 KiB of slab per socket, as Node's one receive buffer). */
export const SLOTS = 16;

/** This thread's native receive, for the worker dump. */
export type NativeReceiveCounters = WorkerDump['nativeReceive'];

export const nativeReceive: NativeReceiveCounters = {
  sockets: 0,
  wakeups: 0,
  datagrams: 0,
  truncated: 0,
  errors: 0,
  lastErrno: 0,
};

/**
 * What a datagram goes to: `data` is a view of the slab, valid only until the handler returns;
 * a handler that keeps it (or anything that views it) beyond that copies it.
 */
export type DatagramHandler = (
  data: Buffer,
  slot: number,
  port: number,
  address: (slot: number) => string,
) => void;

export const nativeReceiveAvailable = (): boolean =>
  process.env.CONCLAVE_SFU_NATIVE_UDP !== '0' &&
  typeof native?.udpReceiveStart === 'function' &&
  typeof native.udpReceiveStop === 'function' &&
  typeof native.udpReceiveAddress === 'function';

/**
 * Reads `socket` natively from now on, each datagram to `handle`; undefined (nothing changed)
 * if that is not possible here. The socket must be bound.
 */
export const startNativeReceive = (
  socket: Socket,
  handle: DatagramHandler,
): { stop(): void } | undefined => {
  if (!nativeReceiveAvailable() || !native) return undefined;
  const udp = dgramHandle(socket);
  const fd = udp?.fd;
  if (udp === undefined || typeof fd !== 'number' || fd < 0 || typeof udp.recvStop !== 'function') {
    return undefined;
  }
  const { udpReceiveStart, udpReceiveStop, udpReceiveAddress } = native;
  if (!udpReceiveStart || !udpReceiveStop || !udpReceiveAddress) return undefined;
  const slab = Buffer.alloc(SLOT_SIZE * SLOTS);
  const meta = new Int32Array(2 * SLOTS);
  let receiver: NativeUdpReceiver | undefined;
  let stopped = false;
  const address = (slot: number): string =>
    receiver === undefined || stopped ? '' : udpReceiveAddress(receiver, slot);
  const onBatch = (count: number): void => {
    if (count < 0) {
      nativeReceive.errors++;
      nativeReceive.lastErrno = -count;
      return;
    }
    nativeReceive.wakeups++;
    // what the batch sends (a fan-out) is queued and goes in one native call at its end
    beginSendWakeup();
    try {
      for (let slot = 0; slot < count; slot++) {
        const length = meta[2 * slot]!;
        if (length < 0) {
          nativeReceive.truncated++;
          continue;
        }
        nativeReceive.datagrams++;
        const offset = slot * SLOT_SIZE;
        try {
          handle(slab.subarray(offset, offset + length), slot, meta[2 * slot + 1]!, address);
        } catch {
          // one datagram's failure must not stop the batch (Node's dgram would go on too)
        }
      }
    } finally {
      endSendWakeup();
    }
  };
  try {
    receiver = udpReceiveStart(fd, slab, SLOT_SIZE, meta, onBatch);
  } catch {
    return undefined;
  }
  // from here on the dup is read; Node's reading of the original stops (sending is unaffected)
  udp.recvStop();
  nativeReceive.sockets++;
  const stop = (): void => {
    if (stopped || receiver === undefined) return;
    stopped = true;
    udpReceiveStop(receiver);
    nativeReceive.sockets--;
  };
  socket.once('close', stop);
  return { stop };
};
