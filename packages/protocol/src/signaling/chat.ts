import { z } from 'zod';
import { participantIdSchema, requestIdSchema } from './common';

// In-meeting text chat (issue 5). Relayed and kept by the server for the meeting's duration, so
// it is disabled while E2EE is on (DESIGN.md §4.1 rule 4) until an MLS-sealed chat exists.

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
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

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
  /** Host: who may chat ('everyone', only with the host, or nobody). */
  z.object({ type: z.literal('chat.setMode'), id: requestIdSchema, mode: chatModeSchema }),
] as const;

export const chatServerEvents = [
  z.object({ type: z.literal('chat.message'), message: chatMessageSchema }),
  z.object({ type: z.literal('chat.mode'), mode: chatModeSchema }),
] as const;
