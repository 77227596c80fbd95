/** An AES-128-GCM key's OpenSSL contexts (seal and open), freed (and cleansed) by GC. */
declare const contextBrand: unique symbol;
export type NativeGcmContext = { readonly [contextBrand]: true };

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
}

declare const binding: AeadNativeBinding | null;
export = binding;
