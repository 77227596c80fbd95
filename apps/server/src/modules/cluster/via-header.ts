import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The header a node adds when it forwards a client's `/ws` to the meeting's owner: the client's
 * address (for per-address limits on the owner) and when it was signed, under a key derived
 * from the server secret key every node of a cluster shares. A client cannot forge it, so it
 * cannot pick the address its guesses are counted under, nor skip routing checks.
 */
export const VIA_HEADER = 'x-conclave-via';
const MAX_AGE_MS = 30_000;

export class ViaSigner {
  readonly #key: Buffer;
  readonly #now: () => number;
  constructor(secretKey: Buffer, now: () => number = Date.now) {
    // RFC 5869 HKDF: a key of its own, so this MAC never doubles as another derived key.
    this.#key = Buffer.from(hkdfSync('sha256', secretKey, '', 'conclave cluster via v1', 32));
    this.#now = now;
  }

  sign(address: string, fromNode: string): string {
    const payload = `${Buffer.from(address).toString('base64url')}.${Buffer.from(fromNode).toString('base64url')}.${this.#now()}`;
    return `${payload}.${this.#mac(payload)}`;
  }

  /** The forwarded client address, or undefined when the header is forged, altered or stale. */
  verify(header: string): { address: string; fromNode: string } | undefined {
    const parts = header.split('.');
    if (parts.length !== 4) return undefined;
    const payload = parts.slice(0, 3).join('.');
    const mac = Buffer.from(parts[3]!);
    const expected = Buffer.from(this.#mac(payload));
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined;
    const at = Number(parts[2]);
    if (!Number.isFinite(at) || Math.abs(this.#now() - at) > MAX_AGE_MS) return undefined;
    return {
      address: Buffer.from(parts[0]!, 'base64url').toString(),
      fromNode: Buffer.from(parts[1]!, 'base64url').toString(),
    };
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.#key).update(payload).digest('base64url');
  }
}
