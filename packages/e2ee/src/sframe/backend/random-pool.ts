// Small CSPRNG requests served from a pool the platform's CSPRNG refills a few KiB at a time.
// Every MLS application message asks for 4 bytes (the RFC 9420 §6.3.1 reuse_guard), and one
// node:crypto call costs tens of microseconds on a CPU that was idle (measured, issue 18): more
// than the rest of the guard's work. Node's own randomUUID pools the same way. Each byte is
// handed out once and wiped from the pool as it leaves; large requests bypass the pool.

export const RANDOM_POOL_BYTES = 4096;

/** `fill` writes cryptographically secure random bytes into its argument (all of it). */
export function pooledRandom(
  fill: (out: Uint8Array) => void,
  poolBytes = RANDOM_POOL_BYTES,
): (length: number) => Uint8Array {
  const pool = new Uint8Array(poolBytes);
  let used = poolBytes;
  return (length) => {
    if (!Number.isInteger(length) || length < 0) throw new TypeError('random length');
    const out = new Uint8Array(length);
    if (length > poolBytes / 4) {
      fill(out);
      return out;
    }
    if (used + length > poolBytes) {
      fill(pool);
      used = 0;
    }
    const taken = pool.subarray(used, used + length);
    out.set(taken);
    taken.fill(0);
    used += length;
    return out;
  };
}
