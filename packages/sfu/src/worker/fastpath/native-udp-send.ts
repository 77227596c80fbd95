/**
 * Native send on a bound `node:dgram` socket (packages/aead-native, udp-send.cc).
 *
 * Node's dgram makes, per datagram: an address lookup short-circuited through process.nextTick,
 * a SendWrap and a uv_udp_try_send; a fan-out of one received packet to six subscribers makes six.
 * Here a datagram is copied into a thread-wide slab with its socket (a dup of the socket's fd,
 * opened once) and destination (a sockaddr parsed once per destination by the caller). While a
 * native receive wake-up runs (./native-udp-receive.ts brackets its batch with
 * `beginSendWakeup`/`endSendWakeup`), datagrams are queued and the whole queue goes in ONE call
 * into C++ at the end of the wake-up (sendmmsg per run of datagrams on one socket, in queue
 * order, so the order per destination is kept). Outside a wake-up (timers: NACK answers, RTCP,
 * keyframe requests; Node's dgram receive) a datagram goes at once. Nothing queued outlives the
 * wake-up that queued it.
 *
 * A datagram the kernel refuses (EAGAIN/ENOBUFS: send buffer full; an ICMP error on the socket)
 * is counted in `nativeSend.dropped` and dropped, as UDP under load drops; it is not retried
 * through dgram (that would reorder it behind later datagrams).
 * Absent the addon (not Linux, not built) or the socket's fd, `nativeSenderFor` returns undefined
 * and the caller keeps Node's dgram. CONCLAVE_SFU_NATIVE_UDP=0 (all native UDP) or
 * CONCLAVE_SFU_NATIVE_SEND=0 (send only, for A/B runs) turns it off.
 */
import type { Socket } from 'node:dgram';
import native from 'conclave-aead-native';
import type { WorkerDump } from '../../channel/messages';
import { dgramHandle } from './dgram-handle';

/** int32 per queued datagram in `meta`: sender id, slab offset, length, its destination, 1 spare. */
const STRIDE = 12;
/** int32 of a parsed destination: sockaddr length, then the sockaddr (28 octets at most). */
const ADDRESS_WORDS = 8;
/** Datagrams queued before a flush that does not wait for the end of the wake-up. */
const MAX_QUEUED = 256;
/** Octets of queued datagrams before such a flush. */
const SLAB_SIZE = 512 * 1024;

/** This thread's native send, for the worker dump. */
export type NativeSendCounters = WorkerDump['nativeSend'];

export const nativeSend: NativeSendCounters = {
  sockets: 0,
  calls: 0,
  datagrams: 0,
  syscalls: 0,
  dropped: 0,
  lastErrno: 0,
};

/** A socket's native sender (a dup of its fd). */
export interface NativeSender {
  readonly id: number;
  closed: boolean;
}

/** A destination as the addon takes it (`udpSendAddress`). */
export type NativeDestination = Int32Array;

const senders = new WeakMap<Socket, NativeSender | null>();
let slab: Buffer | undefined;
let meta: Int32Array | undefined;
const status = new Int32Array(3);
let queued = 0;
let used = 0;
let depth = 0;

export const nativeSendAvailable = (): boolean =>
  process.env.CONCLAVE_SFU_NATIVE_UDP !== '0' &&
  process.env.CONCLAVE_SFU_NATIVE_SEND !== '0' &&
  typeof native?.udpSendOpen === 'function' &&
  typeof native.udpSendClose === 'function' &&
  typeof native.udpSendAddress === 'function' &&
  typeof native.udpSendFlush === 'function';

/** The native sender of `socket` (opened on first use), or undefined: use Node's dgram. */
export const nativeSenderFor = (socket: Socket): NativeSender | undefined => {
  if (!nativeSendAvailable() || !native?.udpSendOpen || !native.udpSendClose) return undefined;
  const known = senders.get(socket);
  if (known !== undefined) return known === null || known.closed ? undefined : known;
  const fd = dgramHandle(socket)?.fd;
  if (typeof fd !== 'number' || fd < 0) {
    senders.set(socket, null);
    return undefined;
  }
  const { udpSendClose } = native;
  let id: number;
  try {
    id = native.udpSendOpen(fd);
  } catch {
    senders.set(socket, null);
    return undefined;
  }
  const sender: NativeSender = { id, closed: false };
  senders.set(socket, sender);
  nativeSend.sockets++;
  socket.once('close', () => {
    // what this wake-up queued for it goes first (the dup is still open)
    flush();
    sender.closed = true;
    udpSendClose(id);
    nativeSend.sockets--;
  });
  return sender;
};

/** `host` (a numeric IPv4 or IPv6 address) and `port` as the addon takes them, or undefined. */
export const nativeDestination = (host: string, port: number): NativeDestination | undefined => {
  if (!native?.udpSendAddress) return undefined;
  const out = new Int32Array(ADDRESS_WORDS);
  try {
    return native.udpSendAddress(host, port, out) ? out : undefined;
  } catch {
    return undefined;
  }
};

/** Sends `datagram` on `sender` to `destination`: at the end of the wake-up, or now. */
export const sendNative = (
  sender: NativeSender,
  destination: NativeDestination,
  datagram: Uint8Array,
): void => {
  slab ??= Buffer.allocUnsafeSlow(SLAB_SIZE);
  meta ??= new Int32Array(MAX_QUEUED * STRIDE);
  if (queued === MAX_QUEUED || used + datagram.length > SLAB_SIZE) flush();
  const base = queued * STRIDE;
  meta[base] = sender.id;
  meta[base + 1] = used;
  meta[base + 2] = datagram.length;
  meta.set(destination, base + 3);
  slab.set(datagram, used);
  used += datagram.length;
  queued++;
  if (depth === 0) flush();
};

/** A receive wake-up starts: sends are queued until its end. */
export const beginSendWakeup = (): void => {
  depth++;
};

/** A receive wake-up ends: what it queued goes now, in one native call. */
export const endSendWakeup = (): void => {
  depth--;
  if (depth === 0) flush();
};

const flush = (): void => {
  if (queued === 0 || !slab || !meta || !native?.udpSendFlush) return;
  const count = queued;
  queued = 0;
  used = 0;
  nativeSend.calls++;
  try {
    nativeSend.datagrams += native.udpSendFlush(slab, meta, count, status);
    nativeSend.dropped += status[0]!;
    nativeSend.syscalls += status[2]!;
    if (status[1] !== 0) nativeSend.lastErrno = status[1]!;
  } catch {
    nativeSend.dropped += count;
  }
};
