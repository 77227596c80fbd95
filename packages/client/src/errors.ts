import { ConclaveError, isErrorCode } from '@conclave/protocol';
import type { ErrorBody } from '@conclave/protocol';

export { ConclaveError };

/** Turns a wire error body into a ConclaveError (unknown codes become INTERNAL). */
export function errorFromBody(body: ErrorBody): ConclaveError {
  return new ConclaveError(
    isErrorCode(body.code) ? body.code : 'INTERNAL',
    body.message,
    typeof body.retryAfterSeconds === 'number' ? { retryAfterSeconds: body.retryAfterSeconds } : {},
  );
}

/** The connection closed before the request got its response. */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
}

/** Thrown when the object was used after close(). */
export class InvalidStateError extends Error {
  override name = 'InvalidStateError';
}
