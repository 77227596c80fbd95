import { REPORT_OUTCOMES, REPORT_PROCESSES } from '@conclave/protocol';
import type { ReportData, ReportProcess, ReportTotals, UserDataRow } from '@conclave/protocol';
import { emptyOutcomes } from './counting';

// Filtering and totals. Both the page and the downloads go through `filterReport`, so the CSV and
// JSON hold exactly what the page shows.

export interface ReportFilter {
  jurisdiction: string | null;
  type: ReportProcess | null;
}

/** Percent from counts, one decimal, never an average of percentages (research §8.6). */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/**
 * Keeps the rows matching the filter. The jurisdiction filter applies to every table; the type
 * filter to the user-data table (the companion tables are types of their own). National-security
 * bands are national and never filtered.
 */
export function filterReport(data: ReportData, f: ReportFilter): ReportData {
  const c = <T extends { country: string }>(rows: T[]) =>
    f.jurisdiction ? rows.filter((r) => r.country === f.jurisdiction) : rows;
  const t = (rows: UserDataRow[]) => (f.type ? rows.filter((r) => r.process === f.type) : rows);
  const otherTables = f.type === null || f.type === 'emergency';
  return {
    ...data,
    userData: t(c(data.userData)),
    preservation: f.type ? [] : c(data.preservation),
    emergency: otherTables ? c(data.emergency) : [],
    withholdAccess: f.type ? [] : c(data.withholdAccess),
  };
}

export function totalsOf(data: ReportData): ReportTotals {
  const outcomes = emptyOutcomes();
  const byProcess = Object.fromEntries(REPORT_PROCESSES.map((p) => [p, 0])) as Record<
    ReportProcess,
    number
  >;
  const byCountry = new Map<string, number>();
  let received = 0;
  let accountsSpecified = 0;
  let accountsDataProduced = 0;
  let someDataProduced = 0;
  let withDelayedNotice = 0;
  for (const r of data.userData) {
    received += r.received;
    accountsSpecified += r.accountsSpecified;
    accountsDataProduced += r.accountsDataProduced;
    someDataProduced += r.someDataProduced;
    withDelayedNotice += r.withDelayedNotice;
    byProcess[r.process] += r.received;
    byCountry.set(r.country, (byCountry.get(r.country) ?? 0) + r.received);
    for (const o of REPORT_OUTCOMES) outcomes[o] += r.outcomes[o];
  }
  const sum = <T>(rows: T[], f: (r: T) => number) => rows.reduce((n, r) => n + f(r), 0);
  return {
    received,
    accountsSpecified,
    accountsDataProduced,
    someDataProduced,
    percentSomeDataProduced: percent(someDataProduced, received),
    withDelayedNotice,
    outcomes,
    byProcess,
    byJurisdiction: [...byCountry].map(([country, n]) => ({ country, received: n })),
    preservation: {
      received: sum(data.preservation, (r) => r.received),
      extensions: sum(data.preservation, (r) => r.extensions),
    },
    emergency: {
      received: sum(data.emergency, (r) => r.received),
      dataProvided: sum(data.emergency, (r) => r.dataProvided),
    },
    withholdAccess: {
      received: sum(data.withholdAccess, (r) => r.received),
      complied: sum(data.withholdAccess, (r) => r.complied),
    },
  };
}

/** Every country of every table, for the filter's options. */
export function jurisdictionsOf(data: ReportData): string[] {
  const all = [
    ...data.userData,
    ...data.preservation,
    ...data.emergency,
    ...data.withholdAccess,
  ].map((r) => r.country);
  return [...new Set(all)].sort();
}
