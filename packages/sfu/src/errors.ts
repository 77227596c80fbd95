/**
 * Error catalogue of @conclave/sfu. Every error that crosses the worker boundary carries one of
 * these stable codes; README.md lists them (errors.test.ts checks that the two agree).
 */
export const SFU_ERRORS = {
  SFU_ERR_INVALID_MESSAGE: { status: 400, message: 'Malformed worker message' },
  SFU_ERR_INVALID_ARGUMENT: { status: 400, message: 'Invalid argument' },
  SFU_ERR_INVALID_SDP: { status: 400, message: 'The session description was rejected' },
  SFU_ERR_UNSUPPORTED_CODEC: {
    status: 400,
    message: 'Only Opus audio and VP8 video are supported',
  },
  SFU_ERR_WRONG_DIRECTION: {
    status: 409,
    message: 'Operation not allowed on this transport direction',
  },
  SFU_ERR_ROUTER_NOT_FOUND: { status: 404, message: 'Router not found' },
  SFU_ERR_TRANSPORT_NOT_FOUND: { status: 404, message: 'Transport not found' },
  SFU_ERR_PRODUCER_NOT_FOUND: { status: 404, message: 'Producer not found' },
  SFU_ERR_CONSUMER_NOT_FOUND: { status: 404, message: 'Consumer not found' },
  SFU_ERR_DUPLICATE_ID: { status: 409, message: 'An object with this id already exists' },
  SFU_ERR_CLOSED: { status: 409, message: 'The object is closed' },
  SFU_ERR_INSPECTION_DISABLED: {
    status: 403,
    message: 'Payload inspection is not enabled on this media worker',
  },
  SFU_ERR_WORKER_DIED: { status: 503, message: 'The media worker died' },
  SFU_ERR_TIMEOUT: { status: 504, message: 'The media worker did not answer in time' },
  SFU_ERR_INTERNAL: { status: 500, message: 'Internal media worker error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type SfuErrorCode = keyof typeof SFU_ERRORS;

export const isSfuErrorCode = (value: unknown): value is SfuErrorCode =>
  typeof value === 'string' && Object.hasOwn(SFU_ERRORS, value);

/** An error with a catalogued code. `detail` is for server logs only, never for clients. */
export class SfuError extends Error {
  override readonly name = 'SfuError';
  readonly code: SfuErrorCode;
  readonly status: number;
  readonly detail: string | undefined;

  constructor(code: SfuErrorCode, detail?: string) {
    super(SFU_ERRORS[code].message);
    this.code = code;
    this.status = SFU_ERRORS[code].status;
    this.detail = detail;
  }
}

/** Thrown synchronously when a method is called on a closed object (DOM naming, as mediasoup). */
export class InvalidStateError extends Error {
  override readonly name = 'InvalidStateError';
}

/** The serialisable form of an error, as it travels from the worker to the main thread. */
export interface WireError {
  code: SfuErrorCode;
  detail?: string;
}

export const toWireError = (err: unknown): WireError => {
  if (err instanceof SfuError) {
    return err.detail === undefined ? { code: err.code } : { code: err.code, detail: err.detail };
  }
  const detail = err instanceof Error ? err.message : String(err);
  return { code: 'SFU_ERR_INTERNAL', detail };
};

export const fromWireError = (wire: WireError): SfuError => new SfuError(wire.code, wire.detail);
