import { stringify } from 'csv-stringify/sync';
import type { ReportData, ReportTable } from '@conclave/protocol';
import { percent } from './views';

// The published CSV files of research §7 ("Published dataset"), column for column. Counts are
// always written (explicit zeros, research §8.11); a percentage with no requests is empty.

const pct = (part: number, whole: number) => {
  const p = percent(part, whole);
  return p === null ? '' : p.toFixed(1);
};

export const CSV_COLUMNS: Record<ReportTable, string[]> = {
  user_data_requests: [
    'period',
    'period_start',
    'period_end',
    'country_name',
    'country_code',
    'legal_process',
    'requests_received',
    'accounts_specified',
    'accounts_for_which_data_produced',
    'requests_some_data_produced',
    'percentage_requests_some_data_produced',
    'requests_content_disclosed',
    'requests_non_content_only_disclosed',
    'requests_general_information',
    'requests_rejected',
    'requests_no_responsive_data',
    'requests_withdrawn',
    // Requests with no effective decision when the version was published (its snapshot), not at
    // the end of the period. Named requests_pending_at_period_end until 2026-12 (methodology).
    'requests_open_at_snapshot',
    'requests_with_delayed_notice_order',
    // Not in the research list: decisions that are neither disclosure nor refusal (e.g. preserve).
    'requests_other',
  ],
  preservation_requests: [
    'period',
    'country_code',
    'requests_received',
    'accounts_specified',
    'accounts_preserved',
    'extensions_received',
  ],
  emergency_requests: [
    'period',
    'country_code',
    'requests_received',
    'requests_rejected_challenged',
    'requests_no_data',
    'requests_data_provided',
    'percentage_data_provided',
  ],
  withhold_access_requests: [
    'period',
    'country_code',
    'requests_received',
    'requests_complied',
    'meetings_or_accounts_affected',
  ],
  national_security: [
    'period',
    'ns_request_type',
    'requests_band_low',
    'requests_band_high',
    'selectors_band_low',
    'selectors_band_high',
    'band_width',
    'statutory_option',
  ],
};

const countryName = (code: string) => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
};

const STATUTE: Record<number, string> = {
  1000: '50 U.S.C. 1874(a)(1)',
  500: '50 U.S.C. 1874(a)(2)',
  250: '50 U.S.C. 1874(a) combined',
};

export function tableRows(data: ReportData, table: ReportTable): (string | number)[][] {
  const p = data.period;
  switch (table) {
    case 'user_data_requests':
      return data.userData.map((r) => [
        p,
        data.periodStart,
        data.periodEnd,
        countryName(r.country),
        r.country,
        r.process,
        r.received,
        r.accountsSpecified,
        r.accountsDataProduced,
        r.someDataProduced,
        pct(r.someDataProduced, r.received),
        r.outcomes.content,
        r.outcomes.non_content_only,
        r.outcomes.general_information,
        r.outcomes.rejected,
        r.outcomes.no_responsive_data,
        r.outcomes.withdrawn,
        r.outcomes.pending,
        r.withDelayedNotice,
        r.outcomes.other,
      ]);
    case 'preservation_requests':
      return data.preservation.map((r) => [
        p,
        r.country,
        r.received,
        r.accountsSpecified,
        r.accountsPreserved,
        r.extensions,
      ]);
    case 'emergency_requests':
      return data.emergency.map((r) => [
        p,
        r.country,
        r.received,
        r.rejected,
        r.noData,
        r.dataProvided,
        pct(r.dataProvided, r.received),
      ]);
    case 'withhold_access_requests':
      return data.withholdAccess.map((r) => [
        p,
        r.country,
        r.received,
        r.complied,
        r.accountsAffected,
      ]);
    case 'national_security': {
      const ns = data.nationalSecurity;
      return [
        [
          p,
          ns.type,
          ns.requests.low,
          ns.requests.high,
          ns.selectors.low,
          ns.selectors.high,
          ns.bandWidth,
          STATUTE[ns.bandWidth] ?? '',
        ],
      ];
    }
  }
}

export function toCsv(data: ReportData, table: ReportTable): string {
  return stringify(tableRows(data, table), { header: true, columns: CSV_COLUMNS[table] });
}
