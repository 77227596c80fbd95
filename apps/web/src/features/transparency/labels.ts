import type { ReportOutcome, ReportProcess } from '@conclave/protocol';

export const PROCESS_LABELS: Record<ReportProcess, string> = {
  subpoena: 'Subpoena',
  court_order: 'Court order',
  search_warrant: 'Search warrant',
  emergency: 'Emergency',
  mlat: 'MLAT',
  cloud_act: 'CLOUD Act',
  letters_rogatory: 'Letters rogatory',
};

export const OUTCOME_LABELS: Record<ReportOutcome, string> = {
  content: 'Content',
  non_content_only: 'Non-content only',
  general_information: 'General information only',
  rejected: 'Rejected',
  no_responsive_data: 'No responsive data',
  withdrawn: 'Withdrawn',
  other: 'Other',
  pending: 'Pending',
};

export const countryName = (code: string) => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
};
