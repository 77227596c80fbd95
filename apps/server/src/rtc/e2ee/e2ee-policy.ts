import type { Capabilities } from '@conclave/protocol';
import type { MeetingSettings } from '../../modules/meetings/meeting-store';

/** The MLS ciphersuite of the first release (RFC 9420 §17.1, 0x0001). */
export const REQUIRED_MLS_CIPHERSUITE = 1;

export const E2EE_UNAVAILABLE_REASON =
  'End-to-end encryption is not available with your subscription. Check with your account admin.';

/**
 * The one place that decides whether E2EE can be turned on: plan x admin setting (folded into
 * `settings.e2eeAllowed` until the accounts issue wires plans in) x the host's client.
 */
export function e2eeAvailability(settings: MeetingSettings): {
  available: boolean;
  reason: string | null;
} {
  return settings.e2eeAllowed
    ? { available: true, reason: null }
    : { available: false, reason: E2EE_UNAVAILABLE_REASON };
}

/** By capability, never by user-agent: an encoded-transform API and our MLS ciphersuite. */
export function clientSupportsE2ee(caps: Capabilities | undefined): boolean {
  return Boolean(
    caps &&
    caps.encodedTransform !== null &&
    caps.mlsCiphersuites.includes(REQUIRED_MLS_CIPHERSUITE),
  );
}
