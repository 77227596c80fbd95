import { z } from 'zod';
import { MIN_PASSCODE_LENGTH } from './http';
import { iso2Schema, subdivisionSchema } from './legal';
import { meetingIdSchema } from './signaling/common';
import { unsupportedClientPolicySchema } from './signaling/e2ee';

// Accounts, plans and the admin console: HTTP schemas shared by the server and the web app.

export const ROLES = ['owner', 'admin', 'member', 'legal_reviewer', 'legal_admin'] as const;
export const accountRoleSchema = z.enum(ROLES);
export type AccountRole = z.infer<typeof accountRoleSchema>;

export const PLAN_IDS = ['basic', 'pro', 'business', 'enterprise'] as const;
export const planIdSchema = z.enum(PLAN_IDS);
export type PlanId = z.infer<typeof planIdSchema>;

export interface PlanFeatures {
  id: PlanId;
  name: string;
  /** End-to-end encryption may be allowed by the account admin. */
  e2ee: boolean;
  maxParticipants: number;
  cloudRecording: boolean;
  cloudTranscripts: boolean;
}

/** Plans are data: the admin page shows this matrix and the server decides from it. */
export const PLANS: Record<PlanId, PlanFeatures> = {
  basic: {
    id: 'basic',
    name: 'Basic',
    e2ee: false,
    maxParticipants: 100,
    cloudRecording: false,
    cloudTranscripts: false,
  },
  pro: {
    id: 'pro',
    name: 'Pro',
    e2ee: true,
    maxParticipants: 100,
    cloudRecording: true,
    cloudTranscripts: false,
  },
  business: {
    id: 'business',
    name: 'Business',
    e2ee: true,
    maxParticipants: 300,
    cloudRecording: true,
    cloudTranscripts: true,
  },
  enterprise: {
    id: 'enterprise',
    name: 'Enterprise',
    e2ee: true,
    maxParticipants: 1000,
    cloudRecording: true,
    cloudTranscripts: true,
  },
};

const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'Email addresses are at most 254 characters.')
  .pipe(z.email('Enter a valid email address.'));
/** Length bounds keep argon2 work bounded; 12 is the floor NIST SP 800-63B suggests for us. */
const newPassword = z
  .string()
  .min(12, 'Passwords are at least 12 characters.')
  .max(256, 'Passwords are at most 256 characters.');
const password = z.string().min(1).max(256);
const displayName = z.string().trim().min(1).max(200);
const totpCode = z.string().regex(/^\d{6}$/, 'Codes are 6 digits.');
const recoveryCode = z
  .string()
  .trim()
  .regex(/^[a-z0-9]{5}-?[a-z0-9]{5}$/i, 'Recovery codes look like abcde-12345.');
const oneTimeToken = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'The link is not valid.');

export const loginBodySchema = z
  .object({
    email,
    password,
    totpCode: totpCode.optional(),
    recoveryCode: recoveryCode.optional(),
  })
  .strict();
export type LoginBody = z.infer<typeof loginBodySchema>;

export const userViewSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  email: z.string(),
  name: z.string(),
  role: accountRoleSchema,
  status: z.enum(['invited', 'active', 'deactivated']),
  twoFactorEnabled: z.boolean(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof userViewSchema>;

export const meResultSchema = z.object({
  user: userViewSchema,
  account: z.object({ id: z.string(), name: z.string(), plan: planIdSchema }),
  /** The account requires 2FA and this user has none yet: only enrolment is open to them. */
  mustEnrollTwoFactor: z.boolean(),
  csrfToken: z.string(),
});
export type MeResult = z.infer<typeof meResultSchema>;

export const csrfResultSchema = z.object({ csrfToken: z.string() });

export const totpEnrollResultSchema = z.object({ secret: z.string(), otpauthUrl: z.string() });
export const totpVerifyBodySchema = z.object({ code: totpCode }).strict();
export const recoveryCodesResultSchema = z.object({ recoveryCodes: z.array(z.string()) });
export const totpDisableBodySchema = z.object({ password, code: totpCode }).strict();
export const passwordConfirmBodySchema = z.object({ password }).strict();

export const resetRequestBodySchema = z.object({ email }).strict();
export const resetCompleteBodySchema = z
  .object({ token: oneTimeToken, password: newPassword })
  .strict();
export const inviteAcceptBodySchema = z
  .object({ token: oneTimeToken, password: newPassword, name: displayName.optional() })
  .strict();
export const changePasswordBodySchema = z
  .object({ currentPassword: password, newPassword })
  .strict();

// ---- admin console

export const userListQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export const userListResultSchema = z.object({
  users: z.array(userViewSchema),
  total: z.number(),
});
export const inviteBodySchema = z
  .object({ email, role: accountRoleSchema, name: displayName.optional() })
  .strict();
export const userIdParamsSchema = z.object({ userId: z.uuid() }).strict();
export const changeRoleBodySchema = z.object({ role: accountRoleSchema }).strict();
/** Legal admins manage legal staff from the legal console: legal roles, or back to member. */
export const legalStaffInviteBodySchema = z
  .object({ email, role: z.enum(['legal_reviewer', 'legal_admin']), name: displayName.optional() })
  .strict();
export const legalStaffRoleBodySchema = z
  .object({ role: z.enum(['legal_reviewer', 'legal_admin', 'member']) })
  .strict();

export const planResultSchema = z.object({
  plan: planIdSchema,
  plans: z.array(
    z.object({
      id: planIdSchema,
      name: z.string(),
      e2ee: z.boolean(),
      maxParticipants: z.number(),
      cloudRecording: z.boolean(),
      cloudTranscripts: z.boolean(),
    }),
  ),
});
export const setPlanBodySchema = z.object({ plan: planIdSchema }).strict();

export const accountMeetingSettingsSchema = z
  .object({
    allowE2ee: z.boolean(),
    unsupportedClientPolicy: unsupportedClientPolicySchema,
    waitingRoomByDefault: z.boolean(),
    passcodeRequired: z.boolean(),
  })
  .strict();
export type AccountMeetingSettings = z.infer<typeof accountMeetingSettingsSchema>;
export const meetingSettingsResultSchema = accountMeetingSettingsSchema.extend({
  /** The plan includes E2EE; when false the web app hides or disables the allow switch. */
  planIncludesE2ee: z.boolean(),
});
export const setMeetingSettingsBodySchema = accountMeetingSettingsSchema.partial().strict();

export const securitySettingsSchema = z.object({ requireTwoFactor: z.boolean() }).strict();

/**
 * Where the account is (billing address): the trust center's jurisdiction pre-check compares it
 * with a request's. `PUT /api/admin/location`; subdivision without the country part (`CA` for
 * US-CA), null or absent for none.
 */
export const setAccountLocationBodySchema = z
  .object({ country: iso2Schema, subdivision: subdivisionSchema.nullable().optional() })
  .strict();
export type SetAccountLocationBody = z.infer<typeof setAccountLocationBodySchema>;
export interface AccountLocation {
  /** ISO 3166-1 alpha-2; null until someone sets it. */
  country: string | null;
  subdivision: string | null;
}

export const auditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    beforeSeq: z.coerce.number().int().min(1).optional(),
  })
  .strict();
export const auditEntrySchema = z.object({
  seq: z.number(),
  at: z.string(),
  actorUserId: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export const auditResultSchema = z.object({ entries: z.array(auditEntrySchema) });

export const outboxResultSchema = z.object({
  messages: z.array(
    z.object({
      id: z.string(),
      to: z.string(),
      subject: z.string(),
      body: z.string(),
      createdAt: z.string(),
    }),
  ),
});

// ---- my meetings

export const myMeetingsQuerySchema = z
  .object({ when: z.enum(['upcoming', 'past']).default('upcoming') })
  .strict();
export const myMeetingSchema = z.object({
  meetingId: meetingIdSchema,
  title: z.string().nullable(),
  startsAt: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  requiresPasscode: z.boolean(),
  isOwner: z.boolean(),
  cohostUserIds: z.array(z.string()),
  joinUrl: z.string(),
});
export type MyMeeting = z.infer<typeof myMeetingSchema>;
export const myMeetingsResultSchema = z.object({ meetings: z.array(myMeetingSchema) });
export const createOwnedMeetingBodySchema = z
  .object({
    title: z.string().trim().max(200).optional(),
    startsAt: z.iso.datetime().optional(),
    passcode: z
      .string()
      .trim()
      .max(32, 'Passcodes are at most 32 characters.')
      .regex(/^[A-Za-z0-9]*$/, 'Passcodes use letters and digits only.')
      .refine((p) => p.length === 0 || p.length >= MIN_PASSCODE_LENGTH, {
        message: `Passcodes are at least ${MIN_PASSCODE_LENGTH} characters.`,
      })
      .optional(),
  })
  .strict();
export type CreateOwnedMeetingBody = z.infer<typeof createOwnedMeetingBodySchema>;
export const meetingIdParamsSchema = z.object({ id: z.string().max(32) }).strict();
export const setCohostsBodySchema = z.object({ userIds: z.array(z.uuid()).max(50) }).strict();

/** One node of a cluster as the operator sees it (`GET /api/admin/cluster/nodes`, issue 19). */
export interface ClusterNodeView {
  nodeId: string;
  url: string;
  mediaAddress: string;
  /** Heartbeat within the lease time: the node takes meetings. */
  live: boolean;
  participants: number;
  /** Meetings whose lease it holds now. */
  meetings: number;
  /** 1-minute load average per core, from its last heartbeat. */
  cpu: number;
  workers: number;
  startedAt: string;
  lastHeartbeatAt: string;
}

export interface ClusterStatusView {
  /** False for a single node (no REDIS_URL): `nodes` is then empty. */
  clustered: boolean;
  nodes: ClusterNodeView[];
}
