import type { RecordingSettings, RecordingView } from '@conclave/protocol';
import { call } from '../../app/api';

export interface RecordingSettingsResult extends RecordingSettings {
  planIncludesCloudRecording: boolean;
  planIncludesCloudTranscripts: boolean;
}

const put = (body: unknown): RequestInit => ({
  method: 'PUT',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const recordingsApi = {
  mine: () => call<{ recordings: RecordingView[] }>('/api/my/recordings'),
  account: () => call<{ recordings: RecordingView[] }>('/api/admin/recordings'),
  remove: (id: string) => call<void>(`/api/recordings/${id}`, { method: 'DELETE' }),
  fileUrl: (id: string, kind: 'video' | 'audio' | 'transcript', download = false) =>
    `/api/recordings/${id}/files/${kind}${download ? '?download=1' : ''}`,
  settings: () => call<RecordingSettingsResult>('/api/admin/recording-settings'),
  saveSettings: (patch: Partial<RecordingSettings>) =>
    call<RecordingSettingsResult>('/api/admin/recording-settings', put(patch)),
};
