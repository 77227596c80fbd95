import type { Capabilities } from '@conclave/protocol';
import type { MeetingSettings } from '../../modules/meetings/meeting-store';

/** The MLS ciphersuite of the first release (RFC 9420 §17.1, 0x0001). */
export const REQUIRED_MLS_CIPHERSUITE = 1;

export const E2EE_UNAVAILABLE_REASON =
  'End-to-end encryption is not available with your subscription. Check with your account admin.';
export const E2EE_DISABLED_BY_ADMIN_REASON =
  'Your account admin has turned end-to-end encryption off. Check with your account admin.';
export const GUEST_E2EE_DISABLED_BY_OPERATOR_REASON =
  'End-to-end encryption is not available for meetings without an account on this server.';
export const GUEST_E2EE_OFF_BY_CREATOR_REASON =
  'End-to-end encryption was switched off for this meeting when it was created.';

/**
 * The one place that decides whether E2EE can be turned on: plan x admin setting x the host's
 * client. Account meetings carry `planIncludesE2ee` and the admin's switch as `e2eeAllowed`,
 * both read live from the account (MeetingPolicySource); guest meetings have no plan or admin,
 * so the operator's `meetings.guestE2ee` stands in for both (`operatorAllowsGuestE2ee`, read
 * live too), then the switch their creator set.
 */
export function e2eeAvailability(settings: MeetingSettings): {
  available: boolean;
  reason: string | null;
} {
  if (settings.planIncludesE2ee === false)
    return { available: false, reason: E2EE_UNAVAILABLE_REASON };
  if (settings.operatorAllowsGuestE2ee === false)
    return { available: false, reason: GUEST_E2EE_DISABLED_BY_OPERATOR_REASON };
  if (!settings.e2eeAllowed)
    return {
      available: false,
      reason:
        settings.planIncludesE2ee === undefined
          ? GUEST_E2EE_OFF_BY_CREATOR_REASON
          : E2EE_DISABLED_BY_ADMIN_REASON,
    };
  return { available: true, reason: null };
}

/** By capability, never by user-agent: an encoded-transform API and our MLS ciphersuite. */
export function clientSupportsE2ee(caps: Capabilities | undefined): boolean {
  return Boolean(
    caps &&
    caps.encodedTransform !== null &&
    caps.mlsCiphersuites.includes(REQUIRED_MLS_CIPHERSUITE),
  );
}
