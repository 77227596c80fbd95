import { describe, expect, it } from 'vitest';
import { screenShareErrorText } from './screen-share-errors';

const rejection = (name: string, message = '') => Object.assign(new Error(message), { name });

describe('screen share errors', () => {
  it('says what went wrong instead of "not available" for every reason the browser gives', () => {
    expect(screenShareErrorText(rejection('NotAllowedError', 'Permission denied'))).toBe(
      'Screen sharing was cancelled.',
    );
    expect(
      screenShareErrorText(
        rejection(
          'NotAllowedError',
          'Access to the feature "display-capture" is disallowed by permissions policy.',
        ),
      ),
    ).toMatch(/not allowed on this page/);
    expect(
      screenShareErrorText(rejection('NotAllowedError', 'Permission denied by system')),
    ).toMatch(/system settings/);
    expect(screenShareErrorText(rejection('NotFoundError'))).toBe(
      'No screen, window or tab was found to share.',
    );
    expect(screenShareErrorText(rejection('NotReadableError'))).toMatch(/could not be captured/);
    expect(screenShareErrorText(rejection('AbortError'))).toMatch(/stopped before it started/);
    expect(screenShareErrorText(rejection('InvalidStateError'))).toMatch(/from a click/);
    expect(screenShareErrorText(rejection('SecurityError'))).toMatch(/secure/);
    for (const name of ['NotFoundError', 'NotReadableError', 'AbortError', 'InvalidStateError'])
      expect(screenShareErrorText(rejection(name))).not.toMatch(/not available in this browser/);
    // Only a browser without getDisplayMedia (TypeError) is "not available".
    expect(screenShareErrorText(new TypeError('getDisplayMedia is not a function'))).toBe(
      'Screen sharing is not available in this browser.',
    );
  });
});
