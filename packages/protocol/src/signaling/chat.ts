import { z } from 'zod';
import { participantIdSchema, requestIdSchema } from './common';

// In-meeting text chat (issue 5). Relayed and kept by the server for the meeting's duration.
// While E2EE is on, messages are MLS application messages the server relays but cannot read
// (`chat.sendSealed` / `chat.sealed`, issue 18); it keeps none of them and still enforces the
// host's chat mode, who may write to whom, sizes and rates on what it can see.

export const MAX_CHAT_TEXT = 2000;

export const chatModeSchema = z.enum(['everyone', 'host-only', 'off']);
export type ChatMode = z.infer<typeof chatModeSchema>;

export const chatMessageSchema = z.object({
  id: z.string(),
  from: participantIdSchema,
  fromName: z.string(),
  /** null: to everyone; otherwise a private message to this participant. */
  to: participantIdSchema.nullable(),
  text: z.string(),
  sentAt: z.number(),
  /** Sealed end to end (opened on this device; the sender is the MLS leaf, not the server). */
  e2ee: z.boolean().optional(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/**
 * Largest sealed chat message (base64): MAX_CHAT_TEXT characters of UTF-8, escaped as JSON,
 * sealed to the recipient (HPKE) and then as an MLS PrivateMessage with its signature.
 */
export const MAX_SEALED_CHAT_B64 = 24 * 1024;
const sealedChat = z
  .string()
  .min(4)
  .max(MAX_SEALED_CHAT_B64, 'That message is too long.')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64');

export const sealedChatMessageSchema = z.object({
  id: z.string(),
  from: participantIdSchema,
  to: participantIdSchema.nullable(),
  /** An MLS application message of the meeting's group (base64). */
  sealed: z.string(),
  sentAt: z.number(),
});
export type SealedChatMessage = z.infer<typeof sealedChatMessageSchema>;

export const chatClientMessages = [
  z.object({
    type: z.literal('chat.send'),
    id: requestIdSchema,
    text: z
      .string()
      .trim()
      .min(1, 'Type a message first.')
      .max(MAX_CHAT_TEXT, `Messages are at most ${MAX_CHAT_TEXT} characters.`),
    to: participantIdSchema.nullable().default(null),
  }),
  /** E2EE on: a chat message sealed on the sender's device; `to` is visible for the mode rules. */
  z.object({
    type: z.literal('chat.sendSealed'),
    id: requestIdSchema,
    sealed: sealedChat,
    to: participantIdSchema.nullable().default(null),
  }),
  /** Host: who may chat ('everyone', only with the host, or nobody). */
  z.object({ type: z.literal('chat.setMode'), id: requestIdSchema, mode: chatModeSchema }),
] as const;

export const chatServerEvents = [
  z.object({ type: z.literal('chat.message'), message: chatMessageSchema }),
  z.object({ type: z.literal('chat.mode'), mode: chatModeSchema }),
  z.object({ type: z.literal('chat.sealed'), message: sealedChatMessageSchema }),
] as const;
