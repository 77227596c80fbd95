// Signatures this device made itself, so that verifying one of them again costs no Ed25519
// operation (issue 18). A joiner's own leaf is in every Welcome's ratchet tree (RFC 9420
// §12.4.3.1, §7.9.2: each leaf's signature is verified): it is the LeafNode of the joiner's own
// KeyPackage, signed on this device moments before. Ed25519 is deterministic and a signature
// made with sk over M verifies under pk(sk) for M (RFC 8032 §5.1.7), so an exact match of public
// key, message and signature bytes is answered from here; any other input is verified as usual.

/** The public half of each signature key made by a suite's keygen, held per private key array. */
const publicKeys = new WeakMap<Uint8Array, Uint8Array>();

/** `publicKey` is pk(`signKey`): they came out of one keygen. */
export function rememberKeyPair(signKey: Uint8Array, publicKey: Uint8Array): void {
  publicKeys.set(signKey, publicKey.slice());
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

/** A device signs a handful of messages per group change: the last few are enough. */
const KEPT = 16;

export class OwnSignatures {
  /** By signature bytes (one char per byte): the key and message it was made for. */
  readonly #made = new Map<string, { publicKey: Uint8Array; message: Uint8Array }>();

  /** `signature` was just made with `signKey` over `message` (unknown keys are not kept). */
  made(signKey: Uint8Array, message: Uint8Array, signature: Uint8Array): void {
    const publicKey = publicKeys.get(signKey);
    if (!publicKey) return;
    const id = String.fromCharCode(...signature);
    this.#made.delete(id);
    this.#made.set(id, { publicKey, message: message.slice() });
    if (this.#made.size > KEPT) this.#made.delete(this.#made.keys().next().value!);
  }

  /** True only for the exact bytes of a signature this device made (then it verifies). */
  madeHere(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    const entry = this.#made.get(String.fromCharCode(...signature));
    return (
      entry !== undefined &&
      sameBytes(entry.publicKey, publicKey) &&
      sameBytes(entry.message, message)
    );
  }
}
