import type { BandWidth, ReportView, SnapshotMeta, TrendPoint } from '@conclave/protocol';
import { call, json } from '../../app/api';

export interface ReportParams {
  version?: number | undefined;
  jurisdiction?: string | undefined;
  type?: string | undefined;
}

/** The query string shared by the page and its downloads, so both show the same rows. */
export function reportQuery(p: ReportParams, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (p.version) q.set('version', String(p.version));
  if (p.jurisdiction) q.set('jurisdiction', p.jurisdiction);
  if (p.type) q.set('type', p.type);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

const report = (period: string) => `/api/transparency/reports/${encodeURIComponent(period)}`;

/** apps/server/src/http/routes/transparency.ts */
export const transparencyApi = {
  trends: () => call<{ trends: TrendPoint[] }>('/api/transparency/reports'),
  report: (period: string, p: ReportParams) =>
    call<ReportView>(`${report(period)}${reportQuery(p)}`),
  csvUrl: (period: string, p: ReportParams, table = 'user_data_requests') =>
    `${report(period)}/csv${reportQuery(p, { table })}`,
  jsonUrl: (period: string, p: ReportParams) => `${report(period)}/json${reportQuery(p)}`,
  methodology: () => call<{ markdown: string }>('/api/transparency/methodology'),
  guide: () => call<{ markdown: string; updatedAt: string | null }>('/api/transparency/guide'),
  saveGuide: (markdown: string) => call<void>('/api/transparency/guide', json('PUT', { markdown })),
  preview: (period: string, bandWidth: BandWidth) =>
    call<ReportView>(
      `/api/legal/transparency/preview/${encodeURIComponent(period)}?bandWidth=${bandWidth}`,
    ),
  publish: (period: string, bandWidth: BandWidth) =>
    call<{ snapshot: SnapshotMeta }>(
      '/api/legal/transparency/reports',
      json('POST', { period, bandWidth }),
    ),
  errata: (period: string, expectedVersion: number, note: string) =>
    call<{ snapshot: SnapshotMeta }>(
      `/api/legal/transparency/reports/${encodeURIComponent(period)}/errata`,
      json('POST', { expectedVersion, note }),
    ),
};
