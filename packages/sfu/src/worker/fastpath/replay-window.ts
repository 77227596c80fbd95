/**
 * RFC 3711 §3.3.2 replay list: a sliding window of packet indices already received and
 * authenticated, per SSRC. An index is new if it is above the highest seen, or inside the window
 * and not marked; one below the window is too old to tell and is dropped too. The window is
 * 1024 indices (RFC 3711 asks for at least 64; a publisher's NACK answers without RTX come back
 * with their original index long after the packets around them, libwebrtc's receivers use 1024).
 *
 * `check` before decryption (cheap reject), `accept` only after the packet authenticated (§3.3:
 * the replay list is updated with authenticated packets only).
 */
export const REPLAY_WINDOW = 1024;
const WORDS = REPLAY_WINDOW / 32;

export type ReplayVerdict = 'fresh' | 'replayed' | 'too-old';

export class ReplayWindow {
  /** Bit (index mod 1024) is set when that index, within the window, has been accepted. */
  readonly #bits = new Uint32Array(WORDS);
  #highest = -1;

  check(index: number): ReplayVerdict {
    if (index > this.#highest) return 'fresh';
    if (this.#highest - index >= REPLAY_WINDOW) return 'too-old';
    const bit = index % REPLAY_WINDOW;
    return (this.#bits[bit >>> 5]! & (1 << (bit & 31))) !== 0 ? 'replayed' : 'fresh';
  }

  accept(index: number): void {
    if (index > this.#highest) {
      const advance = this.#highest < 0 ? REPLAY_WINDOW : index - this.#highest;
      if (advance >= REPLAY_WINDOW) {
        this.#bits.fill(0);
      } else {
        // indices skipped over by the jump (highest+1 .. index-1) are not received yet
        for (let i = this.#highest + 1; i < index; i++) {
          const b = i % REPLAY_WINDOW;
          this.#bits[b >>> 5] = this.#bits[b >>> 5]! & ~(1 << (b & 31));
        }
      }
      this.#highest = index;
    }
    const bit = index % REPLAY_WINDOW;
    this.#bits[bit >>> 5] = this.#bits[bit >>> 5]! | (1 << (bit & 31));
  }
}
