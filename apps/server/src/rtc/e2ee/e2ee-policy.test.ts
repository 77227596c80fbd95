import { describe, expect, it } from 'vitest';
import {
  E2EE_DISABLED_BY_ADMIN_REASON,
  E2EE_UNAVAILABLE_REASON,
  GUEST_E2EE_DISABLED_BY_OPERATOR_REASON,
  GUEST_E2EE_OFF_BY_CREATOR_REASON,
  e2eeAvailability,
} from './e2ee-policy';

const base = { unsupportedClientPolicy: 'downgrade' as const };

describe('e2eeAvailability: plan x admin setting', () => {
  it('a plan without E2EE makes it unavailable whatever the admin setting says', () => {
    for (const e2eeAllowed of [true, false])
      expect(e2eeAvailability({ ...base, e2eeAllowed, planIncludesE2ee: false })).toEqual({
        available: false,
        reason: E2EE_UNAVAILABLE_REASON,
      });
  });

  it('a plan with E2EE needs the admin to allow it', () => {
    expect(e2eeAvailability({ ...base, e2eeAllowed: true, planIncludesE2ee: true })).toEqual({
      available: true,
      reason: null,
    });
    expect(e2eeAvailability({ ...base, e2eeAllowed: false, planIncludesE2ee: true })).toEqual({
      available: false,
      reason: E2EE_DISABLED_BY_ADMIN_REASON,
    });
  });

  it('guest meetings (no plan) follow the switch their creator set, as before accounts', () => {
    expect(e2eeAvailability({ ...base, e2eeAllowed: true }).available).toBe(true);
    expect(
      e2eeAvailability({ ...base, e2eeAllowed: true, operatorAllowsGuestE2ee: true }).available,
    ).toBe(true);
    expect(e2eeAvailability({ ...base, e2eeAllowed: false })).toEqual({
      available: false,
      reason: GUEST_E2EE_OFF_BY_CREATOR_REASON,
    });
  });

  it('the operator stands in for plan and admin in guest meetings: off means unavailable, and says why', () => {
    for (const e2eeAllowed of [true, false])
      expect(e2eeAvailability({ ...base, e2eeAllowed, operatorAllowsGuestE2ee: false })).toEqual({
        available: false,
        reason: GUEST_E2EE_DISABLED_BY_OPERATOR_REASON,
      });
    expect(GUEST_E2EE_DISABLED_BY_OPERATOR_REASON).not.toMatch(/subscription|account admin/);
  });
});
