import { z } from 'zod';
import { participantIdSchema, requestIdSchema } from './common';

// End-to-end encryption on the wire (DESIGN.md §4.2). The server is the MLS Delivery Service:
// everything it relays here is an opaque, public MLS message (base64). It never sees a key.

/** Largest MLS message we relay (a Welcome for a 1,000-member group is a few hundred KB). */
export const MAX_MLS_MESSAGE_B64 = 900 * 1024;
const mlsBlob = z
  .string()
  .min(4)
  .max(MAX_MLS_MESSAGE_B64)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64');

/** What a client can do, found by feature detection (never by user-agent string). */
export const capabilitiesSchema = z.object({
  /**
   * 'script-transform' = RTCRtpScriptTransform; 'encoded-streams' = createEncodedStreams;
   * 'native' = the client seals frames itself (Node bots, desktop app).
   */
  encodedTransform: z.enum(['script-transform', 'encoded-streams', 'native']).nullable(),
  mlsCiphersuites: z.array(z.number().int().min(0).max(0xffff)).max(16),
  /** Human description of the client for notices ("Chromium on Linux"); display only. */
  clientLabel: z.string().trim().max(64).default('Unknown client'),
  /**
   * This device's MLS signature public key (Ed25519, base64) for the whole session: every
   * KeyPackage it sends is signed with it, and other devices refuse any other key for it.
   */
  mlsSignatureKey: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, 'Not a 32-byte base64 key')
    .optional(),
});
export type Capabilities = z.infer<typeof capabilitiesSchema>;

export const unsupportedClientPolicySchema = z.enum(['downgrade', 'hold', 'refuse']);
export type UnsupportedClientPolicy = z.infer<typeof unsupportedClientPolicySchema>;

export const e2eeStateSchema = z.object({
  status: z.enum(['off', 'starting', 'on']),
  /** The MLS epoch the Delivery Service has accepted last. */
  epoch: z.number().int().min(0),
  enabledBy: participantIdSchema.nullable(),
  /** Whether the host may turn it on (plan x admin setting); the reason when not. */
  available: z.boolean(),
  unavailableReason: z.string().nullable(),
  policy: unsupportedClientPolicySchema,
  /** Participants the Delivery Service has put in the MLS group. */
  members: z.array(participantIdSchema),
});
export type E2eeState = z.infer<typeof e2eeStateSchema>;

const keyPackageEntry = z.object({ participantId: participantIdSchema, keyPackage: mlsBlob });
export type KeyPackageEntry = z.infer<typeof keyPackageEntry>;

/** Why a committer's device would not add a KeyPackage (what signaling announced disagrees). */
export const keyPackageRefusalSchema = z.enum([
  'not-a-key-package',
  'unknown-device',
  'not-in-meeting',
  'not-admitted',
  'other-room',
  'identity-mismatch',
  'account-mismatch',
  'bad-device-signature',
  'key-mismatch',
  'duplicate-identity',
]);
export type KeyPackageRefusal = z.infer<typeof keyPackageRefusalSchema>;

// ---- client -> server requests

export const e2eeClientMessages = [
  /**
   * A fresh KeyPackage for being added to the group (uploaded at join and after each use).
   * `spare`: one held for this device's next room change (breakout rooms, issue 18), so that
   * moving needs no round trip for a new one; it is used once, like any KeyPackage.
   */
  z.object({
    type: z.literal('e2ee.keyPackage'),
    id: requestIdSchema,
    keyPackage: mlsBlob,
    spare: z.boolean().optional(),
  }),
  /** Host: turn E2EE on. The result lists the KeyPackages the host's device must add. */
  z.object({ type: z.literal('e2ee.enable'), id: requestIdSchema }),
  /** A Commit made in `epoch`; the first valid one per epoch wins (RFC 9420 §14 ordering by DS). */
  z.object({
    type: z.literal('e2ee.commit'),
    id: requestIdSchema,
    epoch: z.number().int().min(0),
    commit: mlsBlob,
    welcome: mlsBlob.optional(),
    added: z.array(participantIdSchema).max(1000),
    removed: z.array(participantIdSchema).max(1000),
  }),
  /**
   * The committer's device would not add these KeyPackages of the `e2ee.pending` for `epoch`
   * (sent before its Commit, or instead of one when it refused them all: `commitFollows` false).
   * The Delivery Service drops them at once and asks those devices for a fresh one, rather than
   * waiting for a Commit that is not coming.
   */
  z.object({
    type: z.literal('e2ee.refused'),
    id: requestIdSchema,
    epoch: z.number().int().min(0),
    refused: z
      .array(z.object({ participantId: participantIdSchema, reason: keyPackageRefusalSchema }))
      .min(1)
      .max(1000),
    commitFollows: z.boolean(),
  }),
  /**
   * Host: turn E2EE off. `message` is an MLS application message from the host's device saying so;
   * clients act only on that authenticated message, never on the server's word (DESIGN.md §4.3).
   */
  z.object({ type: z.literal('e2ee.disable'), id: requestIdSchema, message: mlsBlob }),
  /**
   * This device could not join from its Welcome. With `keyPackage` (a fresh one): please remove
   * the leaf the Welcome gave us and add this KeyPackage instead. Without: we gave up; the host
   * is told who could not join and why.
   */
  z.object({
    type: z.literal('e2ee.joinFailed'),
    id: requestIdSchema,
    reason: z.string().trim().min(1).max(200),
    keyPackage: mlsBlob.optional(),
  }),
  /** Host: let a participant held by the `hold` policy in (requires turning E2EE off first). */
  z.object({
    type: z.literal('e2ee.admitHeld'),
    id: requestIdSchema,
    participantId: participantIdSchema,
  }),
] as const;

// ---- server -> client events

export const e2eeServerEvents = [
  z.object({ type: z.literal('e2ee.state'), state: e2eeStateSchema }),
  /** To the committer: make one Commit that adds and removes these (batched). */
  z.object({
    type: z.literal('e2ee.pending'),
    epoch: z.number().int(),
    add: z.array(keyPackageEntry),
    remove: z.array(participantIdSchema),
  }),
  /** To existing members: a Commit accepted for `epoch` (process it to reach epoch + 1). */
  z.object({
    type: z.literal('e2ee.commit'),
    epoch: z.number().int(),
    commit: mlsBlob,
    from: participantIdSchema,
  }),
  /** To new members: the Welcome that brings them into the group at `epoch`. */
  z.object({ type: z.literal('e2ee.welcome'), epoch: z.number().int(), welcome: mlsBlob }),
  /** A relayed MLS application message ("e2ee-off" from the host's device). */
  z.object({ type: z.literal('e2ee.app'), from: participantIdSchema, message: mlsBlob }),
  /**
   * To the first device in a breakout room (or back in an emptied main room) under E2EE: start
   * this room's own MLS group with these KeyPackages and send its first Commit (epoch 0).
   */
  z.object({
    type: z.literal('e2ee.startGroup'),
    keyPackages: z.array(keyPackageEntry),
    /**
     * The key announced by the host device that turned E2EE on: the only one allowed to turn it
     * off, for a device that has not been in a group yet. Devices that were check it against
     * the policy they carry, and show any difference (the server's word is not trusted).
     */
    offKeys: z.array(z.string()).max(16).optional(),
  }),
  /** Please upload a fresh KeyPackage (the last one was used or the group restarts). */
  z.object({ type: z.literal('e2ee.keyPackageNeeded') }),
  /**
   * To the host's device: an unsupported client joined under policy `downgrade`; send the
   * authenticated "e2ee-off" message (e2ee.disable) so they can be let in.
   */
  z.object({
    type: z.literal('e2ee.downgradeRequired'),
    participantId: participantIdSchema,
    displayName: z.string(),
    clientLabel: z.string(),
  }),
  /** To the host's and co-hosts' devices: a participant could not join the encrypted group. */
  z.object({
    type: z.literal('e2ee.memberJoinFailed'),
    participantId: participantIdSchema,
    displayName: z.string(),
    reason: z.string(),
  }),
  /** To the host: the unsupported participant left; E2EE can be turned back on. */
  z.object({ type: z.literal('e2ee.reenableOffered'), displayName: z.string() }),
] as const;
