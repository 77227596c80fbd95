import { z } from 'zod';
import { iso2Schema } from './legal';
import type { RequestType } from './legal';

// Transparency reports (issue 8). Vocabulary and CSV columns follow
// research/legal-requests-and-transparency.md §7 ("Published dataset") and §8 (counting rules).

/** "2026-H1": H1 = Jan 1–Jun 30, H2 = Jul 1–Dec 31, UTC (research §8.1). */
export const periodSchema = z
  .string()
  .regex(/^(19|20|21)\d{2}-H[12]$/, 'a period like 2026-H1 (H1 = Jan–Jun, H2 = Jul–Dec)');
export type PeriodId = z.infer<typeof periodSchema>;

/**
 * User-data legal-process types reported in the main table (all others have their own table); a
 * subset of the request types of legal.ts.
 */
export const REPORT_PROCESSES = [
  'subpoena',
  'court_order',
  'search_warrant',
  'emergency',
  'mlat',
  'cloud_act',
  'letters_rogatory',
] as const satisfies readonly RequestType[];
export type ReportProcess = (typeof REPORT_PROCESSES)[number];

/** Mutually exclusive outcome buckets of one request as of the snapshot (research §8.5). */
export const REPORT_OUTCOMES = [
  'content',
  'non_content_only',
  'general_information',
  'rejected',
  'no_responsive_data',
  'withdrawn',
  'other',
  'pending',
] as const;
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];

/**
 * National-security band widths of 50 U.S.C. §1874(a): 1000 (a)(1), 500 (a)(2), 250 (combined
 * option, research §8.8). The annual 100-band option does not fit a semi-annual report.
 */
export const BAND_WIDTHS = [250, 500, 1000] as const;
export const bandWidthSchema = z.union([z.literal(250), z.literal(500), z.literal(1000)]);
export type BandWidth = z.infer<typeof bandWidthSchema>;

export const publishBodySchema = z.object({
  period: periodSchema,
  bandWidth: bandWidthSchema.default(500),
});
export const errataBodySchema = z.object({
  /** The version the admin looked at; a stale one is refused so errata never cross. */
  expectedVersion: z.number().int().min(1).max(10_000),
  note: z.string().trim().min(10, 'an errata note of at least 10 characters').max(4000),
  bandWidth: bandWidthSchema.optional(),
});
export const periodParamSchema = z.object({ period: periodSchema });
export const previewQuerySchema = z.object({
  bandWidth: z.coerce.number().pipe(bandWidthSchema).default(500),
});

export const reportQuerySchema = z.object({
  version: z.coerce.number().int().min(1).max(10_000).optional(),
  jurisdiction: iso2Schema.optional(),
  type: z.enum(REPORT_PROCESSES).optional(),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;
export const TABLES = [
  'user_data_requests',
  'preservation_requests',
  'emergency_requests',
  'withhold_access_requests',
  'national_security',
] as const;
export type ReportTable = (typeof TABLES)[number];
export const csvQuerySchema = reportQuerySchema.extend({
  table: z.enum(TABLES).default('user_data_requests'),
});

/** 64 KiB of Markdown is a long guide; anything bigger is a mistake or abuse. */
export const MAX_GUIDE_CHARS = 65_536;
export const guideBodySchema = z.object({
  markdown: z.string().trim().min(1).max(MAX_GUIDE_CHARS, `at most ${MAX_GUIDE_CHARS} characters`),
});

// ---- report shapes (stored frozen in snapshots, served as JSON)

export interface UserDataRow {
  country: string;
  process: ReportProcess;
  received: number;
  accountsSpecified: number;
  accountsDataProduced: number;
  someDataProduced: number;
  outcomes: Record<ReportOutcome, number>;
  withDelayedNotice: number;
}
export interface PreservationRow {
  country: string;
  received: number;
  accountsSpecified: number;
  accountsPreserved: number;
  extensions: number;
}
export interface EmergencyRow {
  country: string;
  received: number;
  rejected: number;
  noData: number;
  dataProvided: number;
}
export interface WithholdRow {
  country: string;
  received: number;
  complied: number;
  accountsAffected: number;
}
export interface Band {
  low: number;
  high: number;
}
export interface NationalSecurity {
  type: 'combined';
  requests: Band;
  selectors: Band;
  bandWidth: BandWidth;
}

/** One period's numbers: additive rows, so any filter's totals are sums of counts. */
export interface ReportData {
  period: PeriodId;
  periodStart: string;
  periodEnd: string;
  computedAt: string;
  userData: UserDataRow[];
  preservation: PreservationRow[];
  emergency: EmergencyRow[];
  withholdAccess: WithholdRow[];
  nationalSecurity: NationalSecurity;
}

export interface ReportTotals {
  received: number;
  accountsSpecified: number;
  accountsDataProduced: number;
  someDataProduced: number;
  /** someDataProduced / received × 100, one decimal; null when nothing was received. */
  percentSomeDataProduced: number | null;
  withDelayedNotice: number;
  outcomes: Record<ReportOutcome, number>;
  byProcess: Record<ReportProcess, number>;
  byJurisdiction: { country: string; received: number }[];
  preservation: { received: number; extensions: number };
  emergency: { received: number; dataProvided: number };
  withholdAccess: { received: number; complied: number };
}

export interface SnapshotMeta {
  period: PeriodId;
  version: number;
  publishedAt: string;
  publishedBy: string;
  note: string | null;
  auditSeq: number;
  auditHead: string;
}

/** What the public page shows and the JSON download holds: one version, one filter. */
export interface ReportView {
  snapshot: SnapshotMeta | null;
  filter: { jurisdiction: string | null; type: ReportProcess | null };
  jurisdictions: string[];
  data: ReportData;
  totals: ReportTotals;
  versions: { version: number; publishedAt: string; note: string | null }[];
}

export interface TrendPoint {
  period: PeriodId;
  version: number;
  received: number;
  someDataProduced: number;
  percentSomeDataProduced: number | null;
}
