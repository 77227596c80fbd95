import { z } from 'zod';
import { participantIdSchema, requestIdSchema } from './common';
import { MAX_BREAKOUT_ROOMS } from './breakouts';
import { MAX_MLS_MESSAGE_B64 } from './e2ee';

// Prepared breakout groups (issue 18). Under E2EE each breakout room is its own MLS group; while
// the host plans the rooms (before "Open"), each planned room's first member builds that room's
// group ahead as a *pending* group, so that opening the rooms needs no MLS work. Devices promote
// a pending group only when its roster is exactly the people the opened rooms put with them.

const mlsBlob = z
  .string()
  .min(4)
  .max(MAX_MLS_MESSAGE_B64)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64');
const planIdSchema = z.uuid();
const roomIndexSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_BREAKOUT_ROOMS - 1);

export const breakoutPlanClientMessages = [
  /**
   * Host or co-host: the rooms as planned now (the same fields as `breakout.open`). Under E2EE
   * the server keeps it as the meeting's plan and has each planned room's group prepared; the
   * result names the plan (null: E2EE is off, nothing to prepare). Anyone else gets `NOT_HOST`.
   */
  z.object({
    type: z.literal('breakout.prepare'),
    id: requestIdSchema,
    rooms: z
      .array(z.object({ name: z.string().trim().min(1).max(40) }))
      .min(1)
      .max(MAX_BREAKOUT_ROOMS),
    assignments: z.record(z.string(), roomIndexSchema).default({}),
    manualOnly: z.boolean().default(false),
  }),
  /** A planned room's starter made its pending group: the Welcome for the members it added. */
  z.object({
    type: z.literal('e2ee.prepareWelcome'),
    id: requestIdSchema,
    planId: planIdSchema,
    room: roomIndexSchema,
    welcome: mlsBlob.optional(),
    added: z.array(participantIdSchema).max(1000),
  }),
  /** This device holds the pending group of (`planId`, `room`). */
  z.object({
    type: z.literal('e2ee.prepareReady'),
    id: requestIdSchema,
    planId: planIdSchema,
    room: roomIndexSchema,
  }),
] as const;

export const breakoutPlanServerEvents = [
  /** The meeting's current plan (null: none): pending groups of any other plan are discarded. */
  z.object({ type: z.literal('e2ee.plan'), planId: planIdSchema.nullable() }),
  /** To a planned room's starter: make its pending group with these members' KeyPackages. */
  z.object({
    type: z.literal('e2ee.prepareGroup'),
    planId: planIdSchema,
    room: roomIndexSchema,
    keyPackages: z.array(z.object({ participantId: participantIdSchema, keyPackage: mlsBlob })),
  }),
  /** To a planned room's members: the starter's Welcome into the pending group. */
  z.object({
    type: z.literal('e2ee.preparedWelcome'),
    planId: planIdSchema,
    room: roomIndexSchema,
    welcome: mlsBlob,
  }),
  /**
   * The rooms opened as planned: make the pending group of (`planId`, `room`) this room's group,
   * if its roster is exactly the people now in this device's room (else refuse it).
   */
  z.object({ type: z.literal('e2ee.promote'), planId: planIdSchema, room: roomIndexSchema }),
  /**
   * To the host who planned: how many of the plan's rooms are prepared (every planned member
   * holds the room's pending group; a room nobody is planned for counts as prepared). A hint for
   * the panel only: opening never waits for it, and devices still check each group themselves.
   */
  z.object({
    type: z.literal('e2ee.planProgress'),
    planId: planIdSchema,
    rooms: z.number().int().min(1).max(MAX_BREAKOUT_ROOMS),
    ready: z.number().int().min(0).max(MAX_BREAKOUT_ROOMS),
  }),
] as const;
