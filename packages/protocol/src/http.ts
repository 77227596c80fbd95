import { z } from 'zod';
import { meetingIdSchema } from './signaling/common';
import { unsupportedClientPolicySchema } from './signaling/e2ee';

// HTTP schemas shared by the server routes and the web app.

/**
 * Shortest passcode a host may choose: with the attempt limits (README "Configuration"), a
 * 6-character passcode takes years to guess; 4 digits fell in minutes without them.
 */
export const MIN_PASSCODE_LENGTH = 6;

/**
 * A passcode the app suggests: 8 random digits (easy to read out and type on a phone keypad;
 * 10^8 guesses against the attempt limits). Uniform: bytes of 250 or more are drawn again.
 */
export function generatePasscode(): string {
  let out = '';
  const byte = new Uint8Array(1);
  while (out.length < 8) {
    globalThis.crypto.getRandomValues(byte);
    if (byte[0]! < 250) out += String(byte[0]! % 10);
  }
  return out;
}

export const createMeetingBodySchema = z
  .object({
    passcode: z
      .string()
      .trim()
      .max(32, 'Passcodes are at most 32 characters.')
      .regex(/^[A-Za-z0-9]*$/, 'Passcodes use letters and digits only.')
      .refine((p) => p.length === 0 || p.length >= MIN_PASSCODE_LENGTH, {
        message: `Passcodes are at least ${MIN_PASSCODE_LENGTH} characters.`,
      })
      .optional(),
    /**
     * Meeting settings. Until accounts exist the creator sets them; the accounts issue replaces
     * this with the account's plan and admin settings.
     */
    settings: z
      .object({
        e2eeAllowed: z.boolean().optional(),
        unsupportedClientPolicy: unsupportedClientPolicySchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type CreateMeetingBody = z.infer<typeof createMeetingBodySchema>;

export const createMeetingResultSchema = z.object({
  meetingId: meetingIdSchema,
  /** Secret that makes its holder the host; kept by the creator's browser only. */
  hostKey: z.string(),
  joinUrl: z.string(),
  requiresPasscode: z.boolean(),
});
export type CreateMeetingResult = z.infer<typeof createMeetingResultSchema>;

export const meetingInfoSchema = z.object({
  meetingId: meetingIdSchema,
  requiresPasscode: z.boolean(),
  status: z.enum(['open', 'ended']),
});
export type MeetingInfo = z.infer<typeof meetingInfoSchema>;

/** `GET /api/guest-policy`: what the operator allows meetings created without an account. */
export const guestPolicySchema = z.object({
  /** Anyone may create a meeting without signing in (else: sign in first). */
  guestCreation: z.boolean(),
  /** Hosts of such meetings may turn on end-to-end encryption. */
  guestE2ee: z.boolean(),
});
export type GuestPolicy = z.infer<typeof guestPolicySchema>;
