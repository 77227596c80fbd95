import { REPORT_OUTCOMES, REPORT_PROCESSES } from '@conclave/protocol';
import type {
  Band,
  BandWidth,
  EmergencyRow,
  PreservationRow,
  ReportData,
  ReportOutcome,
  ReportProcess,
  UserDataRow,
  WithholdRow,
} from '@conclave/protocol';
import type { LegalRequestRecord } from '../legal/legal-store';
import { firstDay, inPeriod, lastDay } from './period';
import type { Period } from './period';

// The counting rules of research §8 and issue 8, as pure functions over stored requests. Every
// rule here is also stated in methodology.ts; a change to one needs a change to the other.

/** The fields of a stored request that reports read (nothing identifying). */
export type ReportInput = Pick<
  LegalRequestRecord,
  | 'receivedAt'
  | 'type'
  | 'country'
  | 'originCountry'
  | 'isEmergency'
  | 'isNationalSecurity'
  | 'accountsSpecified'
  | 'hasNdo'
  | 'status'
  | 'outcome'
>;

/**
 * Requests with identical counted fields, grouped: `count` requests whose `accountsSpecified`
 * add up to the given value. Lets storage aggregate in SQL; every rule below is additive.
 */
export type ReportGroup = ReportInput & { count?: number };

const FOREIGN_ASSISTANCE = new Set(['mlat', 'cloud_act', 'letters_rogatory']);

/** Research §8.7: the requesting authority's country; MLAT/CLOUD Act/letters rogatory go to the originator. */
export function attributedCountry(r: ReportInput): string {
  return FOREIGN_ASSISTANCE.has(r.type) && r.originCountry ? r.originCountry : r.country;
}

/** The outcome bucket of a request as of the snapshot; open requests are pending, never dropped. */
export function outcomeBucket(r: ReportInput): ReportOutcome {
  // A disclosure waiting for its second reviewer has not happened (outcome is still null).
  if (r.status === 'awaiting_approval' || r.outcome === null) return 'pending';
  switch (r.outcome) {
    // Zoom: "content" means content and non-content; the two buckets are exclusive.
    case 'content_disclosed':
      return 'content';
    case 'non_content_disclosed':
      return 'non_content_only';
    case 'rejected':
      return 'rejected';
    case 'no_data':
      return 'no_responsive_data';
    // Process information only is not data produced (research §8.5).
    case 'general_information':
      return 'general_information';
    case 'withdrawn':
      return 'withdrawn';
    // A challenge keeps the request open (decision-machine.ts): the requester may narrow or withdraw.
    case 'challenged':
      return r.status === 'withdrawn' ? 'withdrawn' : 'pending';
    // Preservation is not disclosure (research §8.5); neither is withholding access.
    case 'preserved':
    case 'access_withheld':
      return 'other';
  }
}

export const producedData = (b: ReportOutcome) => b === 'content' || b === 'non_content_only';

/** Research §8.8: floor(n / w) * w … +w-1; "0–499" when there were none. */
export function band(n: number, w: BandWidth): Band {
  if (!Number.isInteger(n) || n < 0) throw new TypeError('band: n must be a non-negative integer');
  const low = Math.floor(n / w) * w;
  return { low, high: low + w - 1 };
}

const isNationalSecurity = (r: ReportInput) =>
  r.isNationalSecurity || r.type === 'national_security';

export function emptyOutcomes(): Record<ReportOutcome, number> {
  return Object.fromEntries(REPORT_OUTCOMES.map((o) => [o, 0])) as Record<ReportOutcome, number>;
}

function userDataRow(country: string, process: ReportProcess): UserDataRow {
  return {
    country,
    process,
    received: 0,
    accountsSpecified: 0,
    accountsDataProduced: 0,
    someDataProduced: 0,
    outcomes: emptyOutcomes(),
    withDelayedNotice: 0,
  };
}

function row<T extends { country: string }>(map: Map<string, T>, country: string, make: () => T) {
  let r = map.get(country);
  if (!r) map.set(country, (r = make()));
  return r;
}

/**
 * One period's report from the stored requests. `requests` may hold requests of other periods:
 * only those whose `receivedAt` is inside the period count (research §8.2).
 */
export function computeReport(
  requests: Iterable<ReportGroup>,
  period: Period,
  bandWidth: BandWidth,
  computedAt: Date,
): ReportData {
  const userData = new Map<string, UserDataRow>();
  const preservation = new Map<string, PreservationRow>();
  const emergency = new Map<string, EmergencyRow>();
  const withhold = new Map<string, WithholdRow>();
  let nsRequests = 0;
  let nsSelectors = 0;
  const countries = new Set<string>();

  for (const r of requests) {
    if (!inPeriod(period, r.receivedAt)) continue;
    const n = r.count ?? 1;
    // National-security requests never reach ordinary totals (research §8.8).
    if (isNationalSecurity(r)) {
      nsRequests += n;
      nsSelectors += r.accountsSpecified;
      continue;
    }
    const country = attributedCountry(r);
    const bucket = outcomeBucket(r);
    switch (r.type) {
      case 'preservation': {
        const p = row(preservation, country, () => preservationRow(country));
        p.received += n;
        p.accountsSpecified += r.accountsSpecified;
        if (r.outcome === 'preserved') p.accountsPreserved += r.accountsSpecified;
        continue;
      }
      case 'preservation_extension':
        // An extension is not a new request (research §8.3): counted in `extensions` only.
        row(preservation, country, () => preservationRow(country)).extensions += n;
        continue;
      case 'withhold_access': {
        const w = row(withhold, country, () => ({
          country,
          received: 0,
          complied: 0,
          accountsAffected: 0,
        }));
        w.received += n;
        if (r.outcome === 'access_withheld') {
          w.complied += n;
          w.accountsAffected += r.accountsSpecified;
        }
        continue;
      }
      case 'national_security':
        continue; // handled above; kept for exhaustiveness
      default: {
        countries.add(country);
        const u = row(userData, `${country}|${r.type}`, () =>
          userDataRow(country, r.type as ReportProcess),
        );
        u.received += n;
        u.accountsSpecified += r.accountsSpecified;
        u.outcomes[bucket] += n;
        if (producedData(bucket)) {
          u.someDataProduced += n;
          u.accountsDataProduced += r.accountsSpecified;
        }
        // Counted by request, including orders later lifted (research §8.9).
        if (r.hasNdo) u.withDelayedNotice += n;
        if (r.type === 'emergency' || r.isEmergency) {
          const e = row(emergency, country, () => ({
            country,
            received: 0,
            rejected: 0,
            noData: 0,
            dataProvided: 0,
          }));
          e.received += n;
          if (bucket === 'rejected') e.rejected += n;
          else if (producedData(bucket)) e.dataProvided += n;
          else if (bucket !== 'pending') e.noData += n;
        }
      }
    }
  }
  // Explicit zeros: every reported process type for every country that appears (research §8.11).
  for (const c of countries)
    for (const p of REPORT_PROCESSES) row(userData, `${c}|${p}`, () => userDataRow(c, p));

  const byCountry = <T extends { country: string }>(m: Map<string, T>) =>
    [...m.values()].sort((a, b) => (a.country < b.country ? -1 : a.country > b.country ? 1 : 0));
  return {
    period: period.id,
    periodStart: firstDay(period),
    periodEnd: lastDay(period),
    computedAt: computedAt.toISOString(),
    userData: byCountry(userData).sort(
      (a, b) =>
        a.country.localeCompare(b.country) ||
        REPORT_PROCESSES.indexOf(a.process) - REPORT_PROCESSES.indexOf(b.process),
    ),
    preservation: byCountry(preservation),
    emergency: byCountry(emergency),
    withholdAccess: byCountry(withhold),
    nationalSecurity: {
      type: 'combined',
      requests: band(nsRequests, bandWidth),
      selectors: band(nsSelectors, bandWidth),
      bandWidth,
    },
  };
}

function preservationRow(country: string): PreservationRow {
  return { country, received: 0, accountsSpecified: 0, accountsPreserved: 0, extensions: 0 };
}
