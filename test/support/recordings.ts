import { writeFileSync } from 'node:fs';
import type { RecordingView } from '@conclave/protocol';
import { ApiClient } from './api-client';

// Recording tests: an account whose plan includes cloud recording and whose admin allows it,
// a meeting it owns, and the owner's view of the recordings over HTTP.

/** The owner the crash test's child server creates. */
export const CRASH_OWNER = {
  email: 'olga@clinic.example',
  password: 'correct horse battery staple',
};

export interface RecordingAccount {
  api: ApiClient;
  accountId: string;
  meeting: { meetingId: string; hostKey: string; joinUrl: string };
}

export async function downloadTo(
  api: ApiClient,
  baseUrl: string,
  path: string,
  file: string,
): Promise<{ status: number; bytes: number; sha256: string | null }> {
  const cookie = [...api.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.ok) writeFileSync(file, body);
  return { status: res.status, bytes: body.length, sha256: res.headers.get('x-content-sha256') };
}

export async function waitForRecording(
  api: ApiClient,
  check: (r: RecordingView) => boolean,
  timeoutMs = 120_000,
): Promise<RecordingView> {
  const deadline = Date.now() + timeoutMs;
  let last: RecordingView[] = [];
  while (Date.now() < deadline) {
    const res = await api.get('/api/my/recordings');
    last = (res.body as { recordings?: RecordingView[] }).recordings ?? [];
    const hit = last.find(check);
    if (hit) return hit;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no recording matched; have ${JSON.stringify(last)}`);
}
