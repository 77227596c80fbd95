import { ConclaveError, periodSchema } from '@conclave/protocol';
import type { PeriodId } from '@conclave/protocol';

// Reporting periods (research §8.1): H1 = Jan 1 00:00:00.000 – Jun 30 23:59:59.999 UTC,
// H2 = Jul 1 00:00:00.000 – Dec 31 23:59:59.999 UTC. One fixed cadence, one timezone.

export interface Period {
  id: PeriodId;
  /** Inclusive. */
  start: Date;
  /** Exclusive: the first instant of the next period. */
  end: Date;
}

export function parsePeriod(id: string): Period {
  const ok = periodSchema.safeParse(id);
  if (!ok.success)
    throw new ConclaveError('BAD_REQUEST', 'The period must look like 2026-H1 or 2026-H2.');
  const year = Number(id.slice(0, 4));
  const h2 = id.endsWith('H2');
  return {
    id: ok.data,
    start: new Date(Date.UTC(year, h2 ? 6 : 0, 1)),
    end: h2 ? new Date(Date.UTC(year + 1, 0, 1)) : new Date(Date.UTC(year, 6, 1)),
  };
}

/** The period a UTC instant belongs to. */
export function periodOf(at: Date): PeriodId {
  return `${at.getUTCFullYear()}-H${at.getUTCMonth() < 6 ? 1 : 2}`;
}

/** The last day of the period as a date (CSV `period_end`). */
export function lastDay(p: Period): string {
  return new Date(p.end.getTime() - 86_400_000).toISOString().slice(0, 10);
}

export function firstDay(p: Period): string {
  return p.start.toISOString().slice(0, 10);
}

/** True when `at` is inside [start, end). */
export function inPeriod(p: Period, at: Date): boolean {
  return at >= p.start && at < p.end;
}
