// The error catalogue shared by server, browser and bots: stable codes, HTTP status and the
// message a user may see. Checked against docs/errors.md by errors.test.ts (fastify's pattern).
export const ERRORS = {
  BAD_REQUEST: { status: 400, message: 'The request is not valid.' },
  MESSAGE_MALFORMED: { status: 400, message: 'The message could not be read.' },
  MESSAGE_TOO_LARGE: { status: 413, message: 'The message is too large.' },
  UNKNOWN_MESSAGE_TYPE: { status: 400, message: 'The message type is not known.' },
  PROTOCOL_VERSION_UNSUPPORTED: {
    status: 426,
    message: 'This app is out of date. Reload the page to get the current version.',
  },
  NOT_JOINED: { status: 409, message: 'Join the meeting first.' },
  NOT_LET_IN: { status: 403, message: 'You can do that once the host lets you in.' },
  ALREADY_JOINED: { status: 409, message: 'This connection has already joined a meeting.' },
  MEETING_NOT_FOUND: { status: 404, message: 'There is no meeting with this id.' },
  MEETING_ENDED: { status: 410, message: 'This meeting has ended.' },
  MEETING_FULL: {
    status: 409,
    message: 'This meeting is full: its subscription allows no more participants.',
  },
  PASSCODE_REQUIRED: { status: 401, message: 'This meeting needs a passcode.' },
  PASSCODE_WRONG: { status: 403, message: 'The passcode is wrong.' },
  PASSCODE_ATTEMPTS_EXCEEDED: {
    status: 429,
    message: 'Too many wrong passcodes. Wait a moment, then try again.',
  },
  NOT_HOST: { status: 403, message: 'Only the host can do this.' },
  PARTICIPANT_NOT_FOUND: { status: 404, message: 'That participant is not in the meeting.' },
  BREAKOUT_ROOM_NOT_FOUND: { status: 404, message: 'There is no such breakout room.' },
  REMOVED_FROM_MEETING: { status: 403, message: 'The host removed you from this meeting.' },
  RESUME_EXPIRED: { status: 410, message: 'The connection was lost for too long. Join again.' },
  MEDIA_NEGOTIATION_FAILED: { status: 500, message: 'Audio and video could not be set up.' },
  SUBSCRIBE_OFFER_REPLACED: {
    status: 409,
    message: 'That answer is for a media offer that was replaced; answer the newest one.',
  },
  RATE_LIMITED: { status: 429, message: 'Too many requests. Slow down.' },
  NODE_UNAVAILABLE: {
    status: 503,
    message: 'The server running this meeting is not reachable right now. Retrying.',
  },
  E2EE_FEATURE_UNAVAILABLE: {
    status: 409,
    message: 'Not available with end-to-end encryption.',
  },
  E2EE_NOT_AVAILABLE: {
    status: 403,
    message:
      'End-to-end encryption is not available with your subscription. Check with your account admin.',
  },
  E2EE_UNSUPPORTED_PARTICIPANTS: {
    status: 409,
    message: 'Some participants use a client that cannot do end-to-end encryption.',
  },
  E2EE_CLIENT_UNSUPPORTED: {
    status: 403,
    message:
      'This meeting is end-to-end encrypted and your browser cannot take part. Use a current Chrome or Edge, or the desktop app.',
  },
  E2EE_EPOCH_STALE: { status: 409, message: 'That key change is out of date; a newer one won.' },
  E2EE_NOT_ON: { status: 409, message: 'End-to-end encryption is not on.' },
  E2EE_BAD_STATE: { status: 409, message: 'End-to-end encryption is changing; try again.' },
  WHITEBOARD_FULL: { status: 413, message: 'The whiteboard is full. The host can clear it.' },
  CAPTIONS_UNAVAILABLE: {
    status: 503,
    message:
      'Live captions are not available: no speech recognition engine is installed on this server.',
  },
  CAPTIONS_LANGUAGE_UNSUPPORTED: {
    status: 400,
    message: 'Captions are not available in that language on this server.',
  },
  CAPTIONS_NOT_ALLOWED: {
    status: 403,
    message: 'Only the host or the person who turned captions on can change them.',
  },
  RECORDING_UNAVAILABLE: {
    status: 409,
    message: 'Cloud recording is not available in this meeting.',
  },
  RECORDING_NOT_ALLOWED: {
    status: 403,
    message: 'The host has not allowed participants to record this meeting.',
  },
  RECORDING_NOT_FOUND: { status: 404, message: 'There is no such recording.' },
  RECORDING_NOT_READY: {
    status: 409,
    message: 'This recording is still being prepared. Try again when it is ready.',
  },
  CHAT_DISABLED: { status: 403, message: 'The host has turned chat off.' },
  NOT_SIGNED_IN: { status: 401, message: 'Sign in first.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  CSRF_TOKEN_INVALID: {
    status: 403,
    message: 'The request is missing its CSRF token. Reload the page and try again.',
  },
  PASSWORD_WRONG: { status: 403, message: 'The password is wrong.' },
  LOGIN_FAILED: { status: 401, message: 'The email address or password is wrong.' },
  ACCOUNT_LOCKED: {
    status: 429,
    message: 'Too many failed sign-ins. Try again in a few minutes.',
  },
  TWO_FACTOR_REQUIRED: { status: 401, message: 'Enter the code from your authenticator app.' },
  TWO_FACTOR_CODE_WRONG: { status: 401, message: 'The code is wrong or has expired.' },
  TWO_FACTOR_ENROLLMENT_REQUIRED: {
    status: 403,
    message: 'Your account requires two-factor authentication. Set it up first.',
  },
  TWO_FACTOR_ALREADY_ENABLED: { status: 409, message: 'Two-factor authentication is already on.' },
  TWO_FACTOR_NOT_ENABLED: { status: 409, message: 'Two-factor authentication is not on.' },
  TWO_FACTOR_NOT_STARTED: {
    status: 409,
    message: 'Start setting up two-factor authentication first.',
  },
  TOKEN_INVALID: { status: 400, message: 'This link is not valid or has expired.' },
  EMAIL_TAKEN: { status: 409, message: 'A user with this email address already exists.' },
  USER_NOT_FOUND: { status: 404, message: 'There is no such user in your account.' },
  LAST_OWNER: { status: 409, message: 'An account needs at least one active owner.' },
  OWNER_ONLY: { status: 403, message: 'Only an owner can grant or remove the owner role.' },
  LEGAL_ROLES_RESTRICTED: {
    status: 403,
    message:
      'Only an owner or a legal admin can grant, change or remove the legal roles (legal reviewer, legal admin) or act on legal staff.',
  },
  CANNOT_CHANGE_SELF: {
    status: 409,
    message: 'You cannot change your own role or deactivate yourself.',
  },
  PLAN_EXCLUDES_E2EE: {
    status: 409,
    message: 'End-to-end encryption is not included in this plan.',
  },
  ACCOUNT_REQUIRES_PASSCODE: {
    status: 400,
    message: 'Your account requires a passcode for every meeting.',
  },
  GUEST_MEETINGS_DISABLED: {
    status: 403,
    message: 'This server does not allow meetings without an account. Sign in to create a meeting.',
  },
  NOTICE_NOT_FOUND: { status: 404, message: 'There is no such notice.' },
  NOT_MEETING_OWNER: { status: 403, message: 'Only the meeting owner can do this.' },
  LEGAL_DOMAIN_NOT_ALLOWED: {
    status: 403,
    message:
      'Requests are accepted only from official addresses of agencies on our list. Contact us through your agency.',
  },
  LEGAL_EMAIL_TAKEN: {
    status: 409,
    message: 'A requester with this email address already exists.',
  },
  LEGAL_REQUESTER_NOT_VERIFIED: {
    status: 403,
    message:
      'Verify your email, set up two-factor authentication and accept the attestation first.',
  },
  LEGAL_NOT_A_PDF: { status: 415, message: 'Documents must be PDF files.' },
  LEGAL_DOCUMENT_TOO_LARGE: { status: 413, message: 'The document is larger than the limit.' },
  LEGAL_REQUEST_CLOSED: { status: 409, message: 'This request is closed.' },
  LEGAL_TRANSITION_NOT_ALLOWED: {
    status: 409,
    message: 'That decision is not possible in the request’s current state.',
  },
  LEGAL_TWO_FACTOR_REQUIRED: {
    status: 403,
    message:
      'The legal console needs two-factor sign-in. Turn it on on your account page, then come back.',
  },
  LEGAL_REVIEWERS_LINKED: {
    status: 409,
    message:
      'The two reviewers must be independent: one invited the other (or gave them a legal role) recently. Another reviewer must approve, or the account owner must confirm this reviewer.',
  },
  LEGAL_SECOND_REVIEWER_REQUIRED: {
    status: 409,
    message: 'A disclosure must be approved by a second, different reviewer.',
  },
  LEGAL_NOTICE_PENDING: {
    status: 409,
    message:
      'Affected users must be notified (or the notice validly suppressed) before disclosure.',
  },
  LEGAL_SUPPRESSION_INVALID: {
    status: 409,
    message:
      'A notice may be suppressed only for a valid delayed-notification order with an end date, or an exception.',
  },
  LEGAL_AUDIT_BROKEN: { status: 500, message: 'The audit log failed verification.' },
  TRANSPARENCY_PERIOD_OPEN: {
    status: 409,
    message: 'A period can be published only after it has ended.',
  },
  TRANSPARENCY_ALREADY_PUBLISHED: {
    status: 409,
    message: 'This period is already published. Publish errata as a new version instead.',
  },
  TRANSPARENCY_NOT_PUBLISHED: { status: 404, message: 'No report is published for this period.' },
  TRANSPARENCY_VERSION_STALE: {
    status: 409,
    message: 'A newer version of this report was published meanwhile. Reload and try again.',
  },
  NOT_FOUND: { status: 404, message: 'Not found.' },
  INTERNAL: { status: 500, message: 'Something went wrong on the server.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** The body of every HTTP error and the `error` of every failed signaling response. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Rate limits: when the same request may be tried again (also the HTTP Retry-After). */
  retryAfterSeconds?: number;
}

/** A typed error carrying a catalogue code; the only kind of error the edges turn into replies. */
export class ConclaveError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  constructor(
    code: ErrorCode,
    message: string = ERRORS[code].message,
    extra: { retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'ConclaveError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.retryAfterSeconds = extra.retryAfterSeconds;
  }
  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.retryAfterSeconds !== undefined
        ? { retryAfterSeconds: this.retryAfterSeconds }
        : {}),
    };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}
