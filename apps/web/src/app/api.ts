import { ConclaveError, isErrorCode } from '@conclave/protocol';
import type {
  CreateMeetingBody,
  CreateMeetingResult,
  MeetingId,
  MeetingInfo,
} from '@conclave/protocol';

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: { 'content-type': 'application/json', ...init?.headers },
    });
  } catch {
    throw new ConclaveError('INTERNAL', 'Cannot reach the server. Check your connection.');
  }
  const body = (await res.json().catch(() => ({}))) as { code?: unknown; message?: unknown };
  if (!res.ok) {
    const code = isErrorCode(body.code) ? body.code : 'INTERNAL';
    throw new ConclaveError(code, typeof body.message === 'string' ? body.message : undefined);
  }
  return body as T;
}

export const api = {
  createMeeting: (body: CreateMeetingBody) =>
    call<CreateMeetingResult>('/api/meetings', { method: 'POST', body: JSON.stringify(body) }),
  meetingInfo: (id: MeetingId) => call<MeetingInfo>(`/api/meetings/${id}`),
};

export function signalingUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}
