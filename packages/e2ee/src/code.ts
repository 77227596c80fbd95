// Security code shown to every participant while E2EE is on (DESIGN §4.1 rule 7): derived from
// the MLS epoch authenticator (RFC 9420 §8.7), so it is equal for all members of an epoch and
// changes with every epoch. Format: 6 groups of 5 decimal digits ("01234 56789 ...").
import { sha256 } from '@noble/hashes/sha2.js';

const DOMAIN = new TextEncoder().encode('Conclave security code v1');
export const SECURITY_CODE_GROUPS = 6;
export const SECURITY_CODE_GROUP_DIGITS = 5;

/**
 * Each group takes 5 bytes (40 bits) of SHA-256(domain || epoch_authenticator) modulo 10^5;
 * the bias of 2^40 mod 10^5 is below 2^-23 per group. Hashing with a domain label keeps the
 * displayed value from being the raw authenticator.
 */
export function securityCode(epochAuthenticator: Uint8Array): string {
  if (epochAuthenticator.length < 16) throw new TypeError('epoch authenticator is too short');
  const input = new Uint8Array(DOMAIN.length + epochAuthenticator.length);
  input.set(DOMAIN, 0);
  input.set(epochAuthenticator, DOMAIN.length);
  const digest = sha256(input);
  const groups: string[] = [];
  for (let g = 0; g < SECURITY_CODE_GROUPS; g++) {
    let v = 0;
    for (let i = 0; i < 5; i++) v = v * 256 + digest[g * 5 + i]!;
    groups.push(
      (v % 10 ** SECURITY_CODE_GROUP_DIGITS).toString().padStart(SECURITY_CODE_GROUP_DIGITS, '0'),
    );
  }
  return groups.join(' ');
}
