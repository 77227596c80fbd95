/**
 * What to tell someone whose screen share did not start, from the DOMException that
 * getDisplayMedia rejected with (Screen Capture spec §5.1; messages as Chromium and Firefox
 * word them).
 */
export function screenShareErrorText(err: unknown): string {
  const name = (err as { name?: unknown } | null)?.name;
  const raw = (err as { message?: unknown } | null)?.message;
  const message = typeof raw === 'string' ? raw : '';
  switch (name) {
    case 'NotAllowedError':
      if (/polic/i.test(message))
        return 'Screen sharing is not allowed on this page (blocked by its permissions policy).';
      if (/system/i.test(message))
        return 'Your computer does not allow this browser to capture the screen. Allow screen recording for the browser in the system settings, then try again.';
      return 'Screen sharing was cancelled.';
    case 'NotFoundError':
      return 'No screen, window or tab was found to share.';
    case 'NotReadableError':
      return 'The screen could not be captured: another program may be using it, or the system blocked it.';
    case 'AbortError':
      return 'Screen sharing stopped before it started. Try again.';
    case 'InvalidStateError':
      return 'Screen sharing must be started from a click in this page.';
    case 'SecurityError':
      return 'Screen sharing is not allowed here: the page needs a secure (https) connection.';
    case 'OverconstrainedError':
      return 'Your screen cannot be shared with the requested settings.';
    default:
      return 'Screen sharing is not available in this browser.';
  }
}
