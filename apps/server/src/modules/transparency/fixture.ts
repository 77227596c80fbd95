import type { ReportInput } from './counting';

// A hand-built dataset covering every counting rule of issue 8; the unit tests and golden files
// use it. Dates sit on the H1/H2 boundary on purpose.

const base: ReportInput = {
  receivedAt: new Date('2026-03-01T00:00:00.000Z'),
  type: 'subpoena',
  country: 'US',
  originCountry: null,
  isEmergency: false,
  isNationalSecurity: false,
  accountsSpecified: 1,
  hasNdo: false,
  status: 'closed',
  outcome: 'rejected',
};
const r = (over: Partial<ReportInput>): ReportInput => ({ ...base, ...over });

export const FIXTURE: ReportInput[] = [
  // Last instant of H1 and first of H2.
  r({
    receivedAt: new Date('2026-06-30T23:59:59.999Z'),
    outcome: 'content_disclosed',
    status: 'released',
    type: 'search_warrant',
    accountsSpecified: 2,
    hasNdo: true,
  }),
  r({ receivedAt: new Date('2026-07-01T00:00:00.000Z'), outcome: 'content_disclosed' }),
  r({ outcome: 'non_content_disclosed', status: 'decided', accountsSpecified: 3, hasNdo: true }),
  r({ outcome: 'no_data' }),
  r({ outcome: 'withdrawn', status: 'withdrawn' }),
  // Open at the snapshot: pending, never dropped.
  r({ outcome: null, status: 'in_review' }),
  r({ outcome: 'challenged', status: 'challenged' }),
  // A disclosure waiting for its second reviewer has not happened.
  r({ outcome: null, status: 'awaiting_approval', type: 'court_order' }),
  // MLAT: attributed to the originating country, keeps its process type.
  r({
    type: 'mlat',
    country: 'US',
    originCountry: 'DE',
    outcome: 'non_content_disclosed',
    status: 'decided',
    accountsSpecified: 4,
  }),
  r({ type: 'emergency', isEmergency: true, outcome: 'content_disclosed', status: 'released' }),
  r({ type: 'emergency', isEmergency: true, outcome: 'rejected' }),
  r({ type: 'preservation', outcome: 'preserved', status: 'decided', accountsSpecified: 2 }),
  r({
    type: 'preservation_extension',
    outcome: 'preserved',
    status: 'decided',
    accountsSpecified: 2,
  }),
  r({
    type: 'withhold_access',
    country: 'FR',
    outcome: 'access_withheld',
    status: 'decided',
    accountsSpecified: 5,
  }),
  r({
    type: 'national_security',
    isNationalSecurity: true,
    outcome: 'content_disclosed',
    accountsSpecified: 7,
  }),
  r({
    type: 'national_security',
    isNationalSecurity: true,
    outcome: 'rejected',
    accountsSpecified: 1,
  }),
  // Another year: never counted in 2026-H1.
  r({ receivedAt: new Date('2025-03-01T00:00:00.000Z') }),
  // Process information only: closed, not data produced.
  r({ outcome: 'general_information', type: 'court_order', country: 'DE' }),
];
