import { ConclaveError, isErrorCode } from '@conclave/protocol';
import type {
  AccountLocation,
  AccountMeetingSettings,
  AccountRole,
  LoginBody,
  MeResult,
  PlanFeatures,
  PlanId,
  UserView,
  CreateMeetingBody,
  CreateMeetingResult,
  GuestPolicy,
  MeetingId,
  MeetingInfo,
  ClusterStatusView,
} from '@conclave/protocol';

function readCookie(name: string): string | undefined {
  const raw = new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(document.cookie)?.[1];
  return raw === undefined ? undefined : decodeURIComponent(raw);
}

/**
 * The signed double-submit CSRF token for a request to `path` (server accounts README, "Sessions
 * and CSRF"): the portal's own token while a requester is signed in, else the one bound to the
 * user session (or to no session), fetched when there is none yet.
 */
export async function ensureCsrf(path: string): Promise<string | undefined> {
  return requesterCsrf(path) ?? readCookie('conclave_csrf') ?? fetchCsrf();
}

function requesterCsrf(path: string): string | undefined {
  return path.startsWith('/api/legal/portal/') ? readCookie('conclave_legal_csrf') : undefined;
}

/**
 * A token valid for the session cookies the browser holds now (the server re-issues a stale one):
 * the portal's from `GET /api/legal/portal/me` while a requester is signed in, else the user's.
 */
async function refreshCsrf(path: string): Promise<string | undefined> {
  if (path.startsWith('/api/legal/portal/')) {
    const me = await fetch('/api/legal/portal/me').catch(() => undefined);
    if (me?.ok) return requesterCsrf(path);
  }
  return fetchCsrf();
}

/** Whether this browser holds a user session (public, never a 401), and a CSRF token for it. */
export async function sessionProbe(): Promise<{ signedIn: boolean }> {
  const res = await fetch('/api/auth/csrf');
  if (!res.ok) throw new ConclaveError('INTERNAL', `The server answered ${res.status}.`);
  const body = (await res.json()) as { signedIn?: boolean };
  return { signedIn: body.signedIn !== false };
}

async function fetchCsrf(): Promise<string | undefined> {
  const res = await fetch('/api/auth/csrf').catch(() => undefined);
  const body = (await res?.json().catch(() => undefined)) as { csrfToken?: string } | undefined;
  return body?.csrfToken;
}

export async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const method = init?.method ?? 'GET';
  const csrf = method === 'GET' ? undefined : await ensureCsrf(path);
  let res = await send(path, init, csrf);
  // A token bound to a session that has since ended in this browser (the session cookie expired,
  // a token from before an upgrade): fetch one for the current session and try once more. The
  // refused request did not run.
  if (res.status === 403 && csrf) {
    const body = (await res
      .clone()
      .json()
      .catch(() => ({}))) as { code?: unknown };
    if (body.code === 'CSRF_TOKEN_INVALID') {
      const fresh = await refreshCsrf(path);
      if (fresh && fresh !== csrf) res = await send(path, init, fresh);
    }
  }
  if (res.status === 204 || res.status === 202) return undefined as T;
  const body = (await res.json().catch(() => ({}))) as { code?: unknown; message?: unknown };
  if (!res.ok) {
    const code = isErrorCode(body.code) ? body.code : 'INTERNAL';
    throw new ConclaveError(code, typeof body.message === 'string' ? body.message : undefined);
  }
  return body as T;
}

async function send(path: string, init: RequestInit | undefined, csrf: string | undefined) {
  try {
    return await fetch(path, {
      ...init,
      headers: {
        ...(init?.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
        ...init?.headers,
      },
    });
  } catch {
    throw new ConclaveError('INTERNAL', 'Cannot reach the server. Check your connection.');
  }
}

export const json = (method: string, body?: unknown): RequestInit => ({
  method,
  ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
});

export const api = {
  createMeeting: (body: CreateMeetingBody) =>
    call<CreateMeetingResult>('/api/meetings', { method: 'POST', body: JSON.stringify(body) }),
  meetingInfo: (id: MeetingId) => call<MeetingInfo>(`/api/meetings/${id}`),
  guestPolicy: () => call<GuestPolicy>('/api/guest-policy'),

  // ---- session
  me: () => call<MeResult>('/api/auth/me'),
  login: (body: LoginBody) => call<MeResult>('/api/auth/login', json('POST', body)),
  logout: () => call<void>('/api/auth/logout', json('POST')),
  logoutAll: () => call<void>('/api/auth/logout-all', json('POST')),
  changePassword: (currentPassword: string, newPassword: string) =>
    call<void>('/api/auth/password', json('POST', { currentPassword, newPassword })),
  enrollTwoFactor: () =>
    call<{ secret: string; otpauthUrl: string }>('/api/auth/2fa/enroll', json('POST')),
  verifyTwoFactor: (code: string) =>
    call<{ recoveryCodes: string[] }>('/api/auth/2fa/verify', json('POST', { code })),
  disableTwoFactor: (password: string, code: string) =>
    call<void>('/api/auth/2fa/disable', json('POST', { password, code })),
  requestPasswordReset: (email: string) =>
    call<void>('/api/auth/password-reset/request', json('POST', { email })),
  completePasswordReset: (token: string, password: string) =>
    call<void>('/api/auth/password-reset/complete', json('POST', { token, password })),
  acceptInvite: (token: string, password: string, name?: string) =>
    call<MeResult>(
      '/api/auth/invite/accept',
      json('POST', { token, password, ...(name ? { name } : {}) }),
    ),

  // ---- my meetings
  myMeetings: (when: 'upcoming' | 'past') =>
    call<{ meetings: MyMeeting[] }>(`/api/my/meetings?when=${when}`),
  colleagues: () =>
    call<{ colleagues: { id: string; name: string; email: string }[] }>('/api/my/colleagues'),
  setCohosts: (meetingId: MeetingId, userIds: string[]) =>
    call<{ cohostUserIds: string[] }>(
      `/api/my/meetings/${meetingId}/cohosts`,
      json('PUT', { userIds }),
    ),
  createMyMeeting: (body: { title?: string; startsAt?: string; passcode?: string }) =>
    call<CreateMeetingResult>('/api/my/meetings', json('POST', body)),

  // ---- in-app notices (e.g. a government request about the user's account, issue 7)
  myNotices: () => call<{ notices: UserNotice[] }>('/api/my/notices'),
  markNoticeRead: (id: string) =>
    call<{ id: string; readAt: string }>(`/api/my/notices/${id}/read`, json('POST')),

  // ---- admin console
  users: (q: string) =>
    call<{ users: UserView[]; total: number }>(
      `/api/admin/users?${new URLSearchParams({ q, limit: '200' }).toString()}`,
    ),
  inviteUser: (email: string, role: AccountRole, name?: string) =>
    call<{ user: UserView }>(
      '/api/admin/users/invite',
      json('POST', { email, role, ...(name ? { name } : {}) }),
    ),
  changeRole: (userId: string, role: AccountRole) =>
    call<{ user: UserView }>(`/api/admin/users/${userId}`, json('PATCH', { role })),
  deactivateUser: (userId: string) =>
    call<{ user: UserView }>(`/api/admin/users/${userId}/deactivate`, json('POST')),
  reactivateUser: (userId: string) =>
    call<{ user: UserView }>(`/api/admin/users/${userId}/reactivate`, json('POST')),
  confirmReviewer: (userId: string) =>
    call<{ user: UserView }>(`/api/admin/users/${userId}/confirm-reviewer`, json('POST')),

  // ---- legal staff, managed by legal admins from the legal console
  legalStaff: () => call<{ users: UserView[] }>('/api/legal/staff'),
  inviteLegalStaff: (email: string, role: 'legal_reviewer' | 'legal_admin') =>
    call<{ user: UserView }>('/api/legal/staff/invite', json('POST', { email, role })),
  setLegalStaffRole: (userId: string, role: 'legal_reviewer' | 'legal_admin' | 'member') =>
    call<{ user: UserView }>(`/api/legal/staff/${userId}`, json('PATCH', { role })),
  plan: () => call<PlanResult>('/api/admin/plan'),
  setPlan: (plan: PlanId) => call<PlanResult>('/api/admin/plan', json('PUT', { plan })),
  meetingSettings: () => call<MeetingSettingsResult>('/api/admin/meeting-settings'),
  setMeetingSettings: (patch: Partial<AccountMeetingSettings>) =>
    call<MeetingSettingsResult>('/api/admin/meeting-settings', json('PUT', patch)),
  security: () => call<{ requireTwoFactor: boolean }>('/api/admin/security'),
  setSecurity: (requireTwoFactor: boolean) =>
    call<{ requireTwoFactor: boolean }>('/api/admin/security', json('PUT', { requireTwoFactor })),
  location: () => call<AccountLocation>('/api/admin/location'),
  setLocation: (country: string, subdivision: string | null) =>
    call<AccountLocation>('/api/admin/location', json('PUT', { country, subdivision })),
  audit: () => call<{ entries: AuditEntry[] }>('/api/admin/audit?limit=200'),
  outbox: () => call<{ messages: OutboxMessage[] }>('/api/admin/outbox'),
  clusterNodes: () => call<ClusterStatusView>('/api/admin/cluster/nodes'),
};

export interface MyMeeting {
  meetingId: MeetingId;
  title: string | null;
  startsAt: string | null;
  createdAt: string;
  endedAt: string | null;
  requiresPasscode: boolean;
  isOwner: boolean;
  cohostUserIds: string[];
  joinUrl: string;
}
export interface UserNotice {
  id: string;
  kind: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}
export interface PlanResult {
  plan: PlanId;
  plans: PlanFeatures[];
}
export type MeetingSettingsResult = AccountMeetingSettings & { planIncludesE2ee: boolean };
export interface AuditEntry {
  seq: number;
  at: string;
  actorUserId: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown>;
}
export interface OutboxMessage {
  id: string;
  to: string;
  subject: string;
  /** Only for mail to the caller: links in the others are credentials. */
  body: string | null;
  createdAt: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
}

export function signalingUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}
