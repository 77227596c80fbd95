// Issue 18: ratchet look-ahead. After a member's application message, the key and nonce of that
// member's next generation (RFC 9420 §9.1) are derived while the device is idle (the ts-mls
// patch's prepareRatchet), so the next message derives only its sender-data key and nonce
// (§6.3.2) on its way: three HMACs fewer on each side (in a browser, three more WebCrypto-free
// steps). The bytes are the same; what is held is no more than the generation's secret, which
// the ratchet keeps until it is used anyway, and it is wiped like the rest of the tree.
import type { CiphersuiteImpl, ClientState } from 'ts-mls';
import { prepareRatchet } from 'ts-mls/secretTree.js';

/**
 * After a message, before its next generation is derived: a timer task, so it runs once the
 * message's own work is handed back (in a browser, while the page shows it). Session 9 waited
 * 5 ms, which in a browser fell just when a reader who answers at once seals the answer.
 */
export const LOOK_AHEAD_DELAY_MS = 0;

/** RFC 9420 §4.1.2 (Appendix C): a leaf's node index in the tree array. */
const nodeOf = (leaf: number) => leaf * 2;

/**
 * `state` with the next application key, nonce and secret of `leaf` derived ahead (the same
 * object when they already were).
 */
export async function withNextApplicationKey(
  state: ClientState,
  leaf: number,
  cs: CiphersuiteImpl,
): Promise<ClientState> {
  const tree = await prepareRatchet(state.secretTree, nodeOf(leaf), 'application', cs);
  return tree === state.secretTree ? state : { ...state, secretTree: tree };
}

/** Wipes what withNextApplicationKey derived (and `from` did not hold) when it is not used. */
export function dropNextApplicationKey(
  unused: ClientState,
  from: ClientState,
  leaf: number,
  wipe: (secret: Uint8Array) => void,
): void {
  const p = unused.secretTree[nodeOf(leaf)]?.application?.prepared;
  if (!p || p === from.secretTree[nodeOf(leaf)]?.application?.prepared) return;
  for (const secret of [p.key, p.nonce, p.next]) wipe(secret);
}

/**
 * The AES key `withNextApplicationKey` derived for `leaf`'s next generation, if any: imported
 * ahead too (application-message.ts ImportedAeadKeys), which saves a WebCrypto round trip.
 */
export function nextApplicationKey(state: ClientState, leaf: number): Uint8Array | undefined {
  return state.secretTree[nodeOf(leaf)]?.application?.prepared?.key;
}
