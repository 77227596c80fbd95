import { z } from 'zod';
import { participantIdSchema, requestIdSchema } from './common';

// The meeting stage (issue 17): the host's spotlight shows one person large for everyone; anyone
// raises a hand or sends a reaction. Only names and flags cross the server, no media, so all three
// work with end-to-end encryption on.

/** Reactions are named, not emoji: the app draws them (an emoji font is not always installed). */
export const REACTIONS = ['thumbs-up', 'clap', 'heart', 'laugh', 'surprised'] as const;
export const reactionSchema = z.enum(REACTIONS);
export type Reaction = z.infer<typeof reactionSchema>;

export const stageClientMessages = [
  /** Host: spotlight someone for everyone, or end the spotlight (null). */
  z.object({
    type: z.literal('host.spotlight'),
    id: requestIdSchema,
    participantId: participantIdSchema.nullable(),
  }),
  z.object({ type: z.literal('hand.raise'), id: requestIdSchema, raised: z.boolean() }),
  z.object({ type: z.literal('reaction.send'), id: requestIdSchema, reaction: reactionSchema }),
] as const;

export const stageServerEvents = [
  z.object({
    type: z.literal('reaction'),
    participantId: participantIdSchema,
    reaction: reactionSchema,
  }),
] as const;
