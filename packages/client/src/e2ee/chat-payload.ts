import { fromBase64, toBase64 } from './base64';

// Chat under E2EE (issue 18), inside MLS application messages of the meeting's group (RFC 9420
// §6.3.1: only members read them, the sender's leaf is authenticated). A message to everyone
// carries its text. A private message carries the text sealed again with RFC 9420 §5.1.3
// EncryptWithLabel to the recipient leaf's HPKE key, so the other members, who share the
// epoch's secrets and can open the outer message, cannot read it (docs/threat-model.md).

export const PRIVATE_CHAT_LABEL = 'Conclave private chat';

/** One strict decoder for every message (making one costs more than decoding a message). */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type ChatPayload =
  | { kind: 'chat'; text: string }
  | { kind: 'chat-private'; to: string; kemOutput: Uint8Array; ciphertext: Uint8Array };

export function encodeChatPayload(p: ChatPayload): Uint8Array {
  const json =
    p.kind === 'chat'
      ? { v: 1, kind: p.kind, text: p.text }
      : {
          v: 1,
          kind: p.kind,
          to: p.to,
          kemOutput: toBase64(p.kemOutput),
          ciphertext: toBase64(p.ciphertext),
        };
  return new TextEncoder().encode(JSON.stringify(json));
}

/** Strict: anything that is not exactly a version-1 chat payload is undefined. */
export function decodeChatPayload(bytes: Uint8Array): ChatPayload | undefined {
  let v: unknown;
  try {
    v = JSON.parse(utf8.decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const m = v as Record<string, unknown>;
  if (m.v !== 1) return undefined;
  if (m.kind === 'chat' && typeof m.text === 'string' && Object.keys(m).length === 3)
    return { kind: 'chat', text: m.text };
  if (
    m.kind === 'chat-private' &&
    typeof m.to === 'string' &&
    typeof m.kemOutput === 'string' &&
    typeof m.ciphertext === 'string' &&
    Object.keys(m).length === 5
  ) {
    try {
      return {
        kind: 'chat-private',
        to: m.to,
        kemOutput: fromBase64(m.kemOutput),
        ciphertext: fromBase64(m.ciphertext),
      };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The EncryptWithLabel context: group id, epoch, sender leaf and recipient leaf, so a private
 * message cannot be re-sent by another member as their own, to someone else, or in another group.
 */
export function privateChatContext(
  groupId: Uint8Array,
  epoch: bigint,
  senderLeaf: number,
  recipientLeaf: number,
): Uint8Array {
  const out = new Uint8Array(2 + groupId.length + 16);
  const view = new DataView(out.buffer);
  view.setUint16(0, groupId.length);
  out.set(groupId, 2);
  view.setBigUint64(2 + groupId.length, epoch);
  view.setUint32(10 + groupId.length, senderLeaf);
  view.setUint32(14 + groupId.length, recipientLeaf);
  return out;
}
