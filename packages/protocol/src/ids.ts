// Branded ids: a ParticipantId cannot be passed where a MeetingId is expected.
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type MeetingId = Brand<string, 'MeetingId'>;
export type ParticipantId = Brand<string, 'ParticipantId'>;
export type RequestId = Brand<string, 'RequestId'>;

/** Meeting ids are 10 or 11 digits (DESIGN.md §3). */
export const MEETING_ID_PATTERN = /^\d{10,11}$/;

export function isMeetingId(value: string): value is MeetingId {
  return MEETING_ID_PATTERN.test(value);
}

/** Strips spaces and dashes a user may have typed or pasted ("123 4567 8901"). */
export function parseMeetingId(input: string): MeetingId | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return isMeetingId(digits) ? digits : undefined;
}

/** Groups digits the way people read them aloud: 3-3-4 for 10 digits, 3-4-4 for 11. */
export function formatMeetingId(id: string): string {
  if (id.length === 10) return `${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`;
  if (id.length === 11) return `${id.slice(0, 3)} ${id.slice(3, 7)} ${id.slice(7)}`;
  return id;
}
