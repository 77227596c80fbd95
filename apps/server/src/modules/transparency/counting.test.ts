import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attributedCountry, band, computeReport, outcomeBucket } from './counting';
import { toCsv } from './csv';
import { FIXTURE } from './fixture';
import { METHODOLOGY } from './methodology';
import { parsePeriod, periodOf } from './period';
import { filterReport, percent, totalsOf } from './views';

const AT = new Date('2026-07-15T00:00:00.000Z');
const h1 = () => computeReport(FIXTURE, parsePeriod('2026-H1'), 500, AT);
const golden = (name: string) => readFileSync(new URL(`./golden/${name}`, import.meta.url), 'utf8');

describe('transparency counting rules', () => {
  it('puts Jun 30 23:59:59.999 UTC in H1 and Jul 1 00:00:00 UTC in H2', () => {
    expect(periodOf(new Date('2026-06-30T23:59:59.999Z'))).toBe('2026-H1');
    expect(periodOf(new Date('2026-07-01T00:00:00.000Z'))).toBe('2026-H2');
    const p = parsePeriod('2026-H2');
    expect(p.start.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(p.end.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('refuses malformed periods', () => {
    for (const bad of ['2026-H3', '2026H1', '26-H1', '2026-h1', ''])
      expect(() => parsePeriod(bad), bad).toThrow(/period/);
  });

  it('counts a request in the period of its receivedAt only', () => {
    const t = totalsOf(h1());
    // 11 ordinary US/DE + 2 emergency = 13 in the fixture, minus the H2 one and the 2025 one.
    expect(t.received).toBe(11);
    expect(totalsOf(computeReport(FIXTURE, parsePeriod('2026-H2'), 500, AT)).received).toBe(1);
  });

  it('counts open requests and pending disclosures as pending, never dropping them', () => {
    expect(totalsOf(h1()).outcomes.pending).toBe(3);
    expect(outcomeBucket({ ...FIXTURE[0]!, status: 'awaiting_approval', outcome: null })).toBe(
      'pending',
    );
  });

  it('keeps content and non-content-only exclusive, and general information out of data produced', () => {
    const t = totalsOf(h1());
    expect(t.outcomes.content).toBe(2);
    expect(t.outcomes.non_content_only).toBe(2);
    expect(t.outcomes.general_information).toBe(1);
    expect(t.someDataProduced).toBe(4);
    const sum = Object.values(t.outcomes).reduce((a, b) => a + b, 0);
    expect(sum).toBe(t.received);
  });

  it('does not count preservation as disclosure nor an extension as a new request', () => {
    const d = h1();
    expect(d.preservation).toEqual([
      { country: 'US', received: 1, accountsSpecified: 2, accountsPreserved: 2, extensions: 1 },
    ]);
    expect(totalsOf(d).received).toBe(11);
  });

  it('computes percentages from counts, never by averaging', () => {
    const d = h1();
    // US: 3 of 9 produced, DE: 1 of 2; the average of percentages would be 41.7, not 36.4.
    expect(totalsOf(d).percentSomeDataProduced).toBe(percent(3 + 1, 9 + 2));
    expect(percent(4, 11)).toBe(36.4);
    expect(percent(4, 10)).toBe(40);
    expect(percent(0, 0)).toBeNull();
  });

  it('keeps national-security requests out of ordinary totals and reports them in bands', () => {
    const d = h1();
    expect(d.nationalSecurity.requests).toEqual({ low: 0, high: 499 });
    expect(d.nationalSecurity.selectors).toEqual({ low: 0, high: 499 });
    expect(band(0, 500)).toEqual({ low: 0, high: 499 });
    expect(band(499, 500)).toEqual({ low: 0, high: 499 });
    expect(band(500, 500)).toEqual({ low: 500, high: 999 });
    expect(band(1234, 250)).toEqual({ low: 1000, high: 1249 });
    expect(band(1234, 1000)).toEqual({ low: 1000, high: 1999 });
    expect(() => band(-1, 500)).toThrow(TypeError);
  });

  it('attributes MLAT requests to the originating country with their process type', () => {
    expect(attributedCountry({ ...FIXTURE[8]! })).toBe('DE');
    const de = h1().userData.filter((r) => r.country === 'DE' && r.received > 0);
    expect(de.map((r) => [r.process, r.received])).toEqual([
      ['court_order', 1],
      ['mlat', 1],
    ]);
  });

  it('counts delayed-notification orders by request ("N of M")', () => {
    const t = totalsOf(h1());
    expect([t.withDelayedNotice, t.received]).toEqual([2, 11]);
  });

  it('reports emergency and withhold-access requests in their own tables', () => {
    const d = h1();
    expect(d.emergency).toEqual([
      { country: 'US', received: 2, rejected: 1, noData: 0, dataProvided: 1 },
    ]);
    expect(d.withholdAccess).toEqual([
      { country: 'FR', received: 1, complied: 1, accountsAffected: 5 },
    ]);
  });

  it('filters by jurisdiction and type, with totals from the filtered rows', () => {
    const d = h1();
    const us = totalsOf(filterReport(d, { jurisdiction: 'US', type: null }));
    expect(us.received).toBe(9);
    const sw = totalsOf(filterReport(d, { jurisdiction: null, type: 'search_warrant' }));
    expect(sw.received).toBe(1);
    expect(sw.outcomes.content).toBe(1);
  });

  it('writes every enumerated type with explicit zeros and matches the golden CSV and JSON', () => {
    const d = h1();
    expect(d.userData).toHaveLength(2 * 7);
    expect(toCsv(d, 'user_data_requests')).toBe(golden('user_data_requests.csv'));
    expect(toCsv(d, 'national_security')).toBe(golden('national_security.csv'));
    expect(JSON.stringify(d, null, 2) + '\n').toBe(golden('report.json'));
  });

  it('names the open-at-snapshot column for what it counts, and the methodology says so', () => {
    const header = toCsv(h1(), 'user_data_requests').split('\n')[0]!.split(',');
    expect(header).toContain('requests_open_at_snapshot');
    expect(header).not.toContain('requests_pending_at_period_end');
    expect(METHODOLOGY).toContain('CSV column `requests_open_at_snapshot`');
    expect(METHODOLOGY).toMatch(/snapshot, which is after the period ended, not the last day/);
  });
});
