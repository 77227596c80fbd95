import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import type { ErrorCode } from '../errors';
import {
  meetingIdSchema,
  mediaSourceSchema,
  offerIdSchema,
  participantIdSchema,
  participantSchema,
  requestIdSchema,
  roleSchema,
  sdpSchema,
} from './common';
import { breakoutServerEvents, breakoutStateSchema } from './breakouts';
import { breakoutPlanServerEvents } from './breakout-plans';
import { captionsServerEvents, captionsStateSchema } from './captions';
import { recordingServerEvents, recordingStateSchema } from './recording';
import { chatMessageSchema, chatModeSchema, chatServerEvents } from './chat';
import { e2eeServerEvents, e2eeStateSchema } from './e2ee';
import { whiteboardServerEvents } from './whiteboard';
import { stageServerEvents } from './stage';

// Messages the server sends: one `response` per request, and events.

const errorBody = z.object({
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
});

export const joinResultSchema = z.object({
  participantId: participantIdSchema,
  resumeToken: z.string(),
  role: roleSchema,
  meetingId: meetingIdSchema,
  participants: z.array(participantSchema),
  /** Seconds a dropped connection may take to come back as the same participant. */
  reconnectGraceSeconds: z.number(),
  resumed: z.boolean(),
  e2ee: e2eeStateSchema,
  /** true when this participant is held out of an E2EE meeting (policy `hold`). */
  held: z.boolean(),
  /** Chat so far that this participant may read, and who may chat. */
  chat: z.object({ mode: chatModeSchema, history: z.array(chatMessageSchema) }),
  breakouts: breakoutStateSchema,
  captions: captionsStateSchema,
  recording: recordingStateSchema,
});
export type JoinResult = z.infer<typeof joinResultSchema>;

export const publishAnswerResultSchema = z.object({ sdp: sdpSchema });

const responseOk = z.object({
  type: z.literal('response'),
  requestId: requestIdSchema,
  ok: z.literal(true),
  result: z.unknown(),
});
const responseErr = z.object({
  type: z.literal('response'),
  /** Absent when the request itself was unreadable. */
  requestId: requestIdSchema.optional(),
  ok: z.literal(false),
  error: errorBody,
});

const participantJoined = z.object({
  type: z.literal('participant.joined'),
  participant: participantSchema,
});
const participantUpdated = z.object({
  type: z.literal('participant.updated'),
  participant: participantSchema,
});
const participantLeft = z.object({
  type: z.literal('participant.left'),
  participantId: participantIdSchema,
  reason: z.enum(['left', 'removed', 'timeout']),
});

const subscribeTrack = z.object({
  mid: z.string(),
  participantId: participantIdSchema,
  kind: z.enum(['audio', 'video']),
  source: mediaSourceSchema,
});
export type SubscribeTrack = z.infer<typeof subscribeTrack>;

/**
 * The server (re)offers the client's subscribe PeerConnection; `tracks` maps mids to people.
 * `offerId` names this offer: the answer echoes it, so an answer made for an offer that was
 * replaced meanwhile (a rebuilt transport, a re-offer) is never applied to another one.
 */
const subscribeOffer = z.object({
  type: z.literal('subscribe.offer'),
  offerId: offerIdSchema,
  sdp: sdpSchema,
  tracks: z.array(subscribeTrack),
});

const mutedByHost = z.object({ type: z.literal('muted.by.host') });
const removed = z.object({ type: z.literal('removed') });
const meetingEnded = z.object({ type: z.literal('meeting.ended') });
/** The host stopped this participant's screen share. */
const shareStopped = z.object({ type: z.literal('share.stopped') });

/**
 * Dynacast: of this participant's simulcast camera, only the lowest `layers` encodings are
 * needed now (nobody's tile needs more); the client turns the others off until asked again.
 */
const publishLayers = z.object({
  type: z.literal('media.publishLayers'),
  source: z.literal('camera'),
  layers: z.number().int().min(1).max(3),
});

export const serverMessageSchema = z.union([
  responseOk,
  responseErr,
  z.discriminatedUnion('type', [
    participantJoined,
    participantUpdated,
    participantLeft,
    subscribeOffer,
    mutedByHost,
    removed,
    meetingEnded,
    shareStopped,
    publishLayers,
    ...e2eeServerEvents,
    ...chatServerEvents,
    ...captionsServerEvents,
    ...recordingServerEvents,
    ...whiteboardServerEvents,
    ...breakoutServerEvents,
    ...breakoutPlanServerEvents,
    ...stageServerEvents,
  ]),
]);

export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ServerResponse = Extract<ServerMessage, { type: 'response' }>;
export type ServerEvent = Exclude<ServerMessage, ServerResponse>;
export type ServerEventOf<T extends ServerEvent['type']> = Extract<ServerEvent, { type: T }>;
