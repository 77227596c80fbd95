// The E2EE policy of a meeting, fixed by the host's device when it creates the MLS group and
// carried in the group context (RFC 9420 §8.1 GroupContext.extensions; §11 group creation), so
// every member, including later joiners (in the Welcome's GroupInfo), reads the same authenticated
// policy and no server can change it: who may turn E2EE off, and what happens to a participant
// whose client cannot do E2EE. Extension type from the private-use range (RFC 9420 §17.3).
import { E2eeError } from '../errors';

export const MEETING_POLICY_EXTENSION = 0xf0c1;

export type UnsupportedClientRule = 'downgrade' | 'hold' | 'refuse';

export interface MeetingPolicy {
  /** MLS signature keys (base64) of the devices allowed to send "E2EE off": the host device's. */
  readonly offKeys: readonly string[];
  /** What an unsupported client's arrival does, as the account said when E2EE was turned on. */
  readonly unsupportedClients: UnsupportedClientRule;
}

const RULES: readonly string[] = ['downgrade', 'hold', 'refuse'];
const KEY = /^[A-Za-z0-9+/]{43}=$/;

export function encodeMeetingPolicy(p: MeetingPolicy): Uint8Array {
  if (p.offKeys.length < 1 || p.offKeys.length > 16 || !p.offKeys.every((k) => KEY.test(k)))
    throw new TypeError('offKeys must be 1 to 16 base64 Ed25519 keys');
  if (!RULES.includes(p.unsupportedClients)) throw new TypeError('unknown unsupported-client rule');
  return new TextEncoder().encode(
    JSON.stringify({ v: 1, offKeys: p.offKeys, unsupportedClients: p.unsupportedClients }),
  );
}

/** Strict: anything but exactly a version-1 policy is refused. */
export function decodeMeetingPolicy(bytes: Uint8Array): MeetingPolicy {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'meeting policy is not JSON', { cause });
  }
  const m = v as Record<string, unknown> | null;
  if (
    typeof m !== 'object' ||
    m === null ||
    Object.keys(m).length !== 3 ||
    m.v !== 1 ||
    !Array.isArray(m.offKeys) ||
    m.offKeys.length < 1 ||
    m.offKeys.length > 16 ||
    !m.offKeys.every((k) => typeof k === 'string' && KEY.test(k)) ||
    typeof m.unsupportedClients !== 'string' ||
    !RULES.includes(m.unsupportedClients)
  )
    throw new E2eeError('E2EE_ERR_MLS_MESSAGE', 'malformed meeting policy');
  return {
    offKeys: m.offKeys as string[],
    unsupportedClients: m.unsupportedClients as UnsupportedClientRule,
  };
}
