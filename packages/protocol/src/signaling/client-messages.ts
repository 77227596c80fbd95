import { z } from 'zod';
import {
  displayNameSchema,
  meetingIdSchema,
  mediaSourceSchema,
  offerIdSchema,
  participantIdSchema,
  requestIdSchema,
  sdpSchema,
} from './common';
import { breakoutClientMessages } from './breakouts';
import { breakoutPlanClientMessages } from './breakout-plans';
import { captionsClientMessages } from './captions';
import { recordingClientMessages } from './recording';
import { chatClientMessages } from './chat';
import { whiteboardClientMessages } from './whiteboard';
import { stageClientMessages } from './stage';
import { capabilitiesSchema, e2eeClientMessages } from './e2ee';

// Messages a client sends. Every one is a request: it carries an `id` and gets exactly one
// `response` with the same id (a typed result or a typed error).

const join = z.object({
  type: z.literal('join'),
  id: requestIdSchema,
  protocolVersion: z.number().int(),
  meetingId: meetingIdSchema,
  displayName: displayNameSchema,
  passcode: z.string().max(64).optional(),
  /** Proves the sender created the meeting; makes them its host. */
  hostKey: z.string().max(128).optional(),
  /** Reconnect: the token from the previous join result keeps the same participant id. */
  resumeToken: z.string().max(128).optional(),
  capabilities: capabilitiesSchema.optional(),
});

const leave = z.object({ type: z.literal('leave'), id: requestIdSchema });
const heartbeat = z.object({ type: z.literal('heartbeat'), id: requestIdSchema });

const setMediaState = z.object({
  type: z.literal('media.state'),
  id: requestIdSchema,
  audioMuted: z.boolean(),
  videoMuted: z.boolean(),
  /** The screen source is sending (its transceiver stays once added; off = no track). */
  screenSharing: z.boolean().default(false),
});

const publishTrack = z.object({
  mid: z.string().min(1).max(16),
  kind: z.enum(['audio', 'video']),
  source: mediaSourceSchema,
});

/** The client offers its publish PeerConnection (it is always the offerer there). */
const publishOffer = z.object({
  type: z.literal('publish.offer'),
  id: requestIdSchema,
  sdp: sdpSchema,
  tracks: z.array(publishTrack).max(4),
});

/** The client answers the server's offer (named by `offerId`) for its subscribe PeerConnection. */
const subscribeAnswer = z.object({
  type: z.literal('subscribe.answer'),
  id: requestIdSchema,
  offerId: offerIdSchema,
  sdp: sdpSchema,
});

/**
 * The client is ready for subscribe offers (it made its subscribe PeerConnection); sent again to
 * get a fresh offer after a failed negotiation.
 */
const subscribeRestart = z.object({ type: z.literal('subscribe.restart'), id: requestIdSchema });

/**
 * The client's subscribe PeerConnection failed or never connected: the server makes a new
 * subscribe transport and offers afresh (ICE failure recovery; DESIGN.md §3 "Reconnect").
 */
const subscribeReset = z.object({ type: z.literal('subscribe.reset'), id: requestIdSchema });

/**
 * Asks the SFU for keyframes after a key change, so decoders restart at once (DESIGN.md §4.2).
 * Rate-limited per publisher by the SFU.
 */
const keyFrameRequest = z.object({
  type: z.literal('media.keyFrameRequest'),
  id: requestIdSchema,
  /** 'received': from the publishers this client receives; 'own': from this client itself. */
  scope: z.enum(['received', 'own', 'all']).default('received'),
});

/**
 * How big each remote video is drawn, by subscribe mid, in device pixels; 0x0 = not visible.
 * The SFU forwards the smallest simulcast layer that covers the tile (nothing for a hidden one).
 * Send when sizes change (debounced); mids not listed keep their last size.
 */
const tileSizes = z.object({
  type: z.literal('media.tileSizes'),
  id: requestIdSchema,
  tiles: z
    .array(
      z.object({
        mid: z.string().min(1).max(16),
        width: z.number().int().min(0).max(16384),
        height: z.number().int().min(0).max(16384),
      }),
    )
    .max(64),
});

const hostMute = z.object({
  type: z.literal('host.mute'),
  id: requestIdSchema,
  participantId: participantIdSchema,
});
const hostRemove = z.object({
  type: z.literal('host.remove'),
  id: requestIdSchema,
  participantId: participantIdSchema,
});
const hostEnd = z.object({ type: z.literal('host.end'), id: requestIdSchema });
/** Host: let someone in from the waiting room. */
const hostAdmit = z.object({
  type: z.literal('host.admit'),
  id: requestIdSchema,
  participantId: participantIdSchema,
});
/** Host: stop someone's screen share. */
const hostStopShare = z.object({
  type: z.literal('host.stopShare'),
  id: requestIdSchema,
  participantId: participantIdSchema,
});

export const clientMessageSchema = z.discriminatedUnion('type', [
  join,
  leave,
  heartbeat,
  setMediaState,
  publishOffer,
  subscribeAnswer,
  subscribeRestart,
  subscribeReset,
  keyFrameRequest,
  tileSizes,
  hostMute,
  hostRemove,
  hostEnd,
  hostStopShare,
  hostAdmit,
  ...e2eeClientMessages,
  ...chatClientMessages,
  ...captionsClientMessages,
  ...recordingClientMessages,
  ...whiteboardClientMessages,
  ...breakoutClientMessages,
  ...breakoutPlanClientMessages,
  ...stageClientMessages,
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];
export type ClientMessageOf<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;
export type PublishTrack = z.infer<typeof publishTrack>;
export type TileSize = ClientMessageOf<'media.tileSizes'>['tiles'][number];
export const CLIENT_MESSAGE_TYPES = clientMessageSchema.options.map((o) => o.shape.type.value);
