/** An AES-128-GCM key's OpenSSL contexts (seal and open), freed (and cleansed) by GC. */
declare const contextBrand: unique symbol;
export type NativeGcmContext = { readonly [contextBrand]: true };
declare const receiverBrand: unique symbol;
/** A native receive of one UDP socket. */
export type NativeUdpReceiver = { readonly [receiverBrand]: true };

export interface AeadNativeBinding {
  /** One context per 16-octet key. */
  create(key: Uint8Array): NativeGcmContext;
  /** ciphertext || 16-octet tag written to out at outOffset; returns the octets written. */
  seal(
    ctx: NativeGcmContext,
    iv: Uint8Array,
    aad: Uint8Array,
    plaintext: Uint8Array,
    out: Uint8Array,
    outOffset: number,
  ): number;
  /** Plaintext written to out at outOffset; returns its length, or -1 if the tag is wrong. */
  open(
    ctx: NativeGcmContext,
    iv: Uint8Array,
    aad: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
    out: Uint8Array,
    outOffset: number,
  ): number;
  /**
   * `packet` = AAD (its first aadLength octets) || ciphertext || 16-octet tag: the plaintext
   * replaces the ciphertext in place; returns its length, or -1 if the tag is wrong.
   */
  openInPlace(ctx: NativeGcmContext, iv: Uint8Array, packet: Uint8Array, aadLength: number): number;
  /**
   * Native receive of a UDP socket (Linux; ./udp-receive.cc): watches a dup of `fd` on this
   * thread's event loop and, per wake-up, takes every waiting datagram with recvmmsg into the
   * slots of `slab` (`slotSize` octets each, at most 64 slots), then calls `onBatch(count)` once:
   * slot i holds datagram i, `meta[2i]` its length (-1: longer than a slot, dropped) and
   * `meta[2i+1]` its source port. A negative count is an error (-errno); receiving goes on.
   * The caller stops its own reading of `fd` (sending on it is unaffected). Absent elsewhere.
   */
  udpReceiveStart?: (
    fd: number,
    slab: Uint8Array,
    slotSize: number,
    meta: Int32Array,
    onBatch: (count: number) => void,
  ) => NativeUdpReceiver;
  /** Stops watching and closes the dup (idempotent; also done when the thread's env ends). */
  udpReceiveStop?: (receiver: NativeUdpReceiver) => void;
  /** The source address of datagram `slot` of the current batch, without an IPv6 zone. */
  udpReceiveAddress?: (receiver: NativeUdpReceiver, slot: number) => string;
  /**
   * Native send on a UDP socket (Linux; ./udp-send.cc): takes a dup of `fd` (closed by
   * `udpSendClose`, or when the thread's env ends) and returns its sender id.
   */
  udpSendOpen?: (fd: number) => number;
  /** Closes a sender's dup (idempotent). */
  udpSendClose?: (id: number) => void;
  /**
   * Parses a numeric IPv4/IPv6 `host` (no zone) and `port` into `out`: out[0] the sockaddr's
   * length, out[1..7] the sockaddr. False (out[0] = 0) if `host` is not such an address.
   */
  udpSendAddress?: (host: string, port: number, out: Int32Array) => boolean;
  /**
   * Sends `count` queued datagrams in order. Per datagram, 12 int32 of `meta`: sender id, offset
   * and length in `slab`, then the 8 int32 `udpSendAddress` wrote. Returns the datagrams sent;
   * `status` = [dropped (sender closed or refused by the kernel), last errno, sendmmsg calls].
   */
  udpSendFlush?: (slab: Uint8Array, meta: Int32Array, count: number, status: Int32Array) => number;
}

declare const binding: AeadNativeBinding | null;
export = binding;
