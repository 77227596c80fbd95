import { useEffect, useMemo, useState } from 'react';
import { REPORT_OUTCOMES, REPORT_PROCESSES } from '@conclave/protocol';
import type { ReportView, TrendPoint } from '@conclave/protocol';
import { ChartWithTable } from './Chart';
import { Markdown } from './Markdown';
import { OUTCOME_LABELS, PROCESS_LABELS, countryName } from './labels';
import { transparencyApi } from './transparency-api';
import type { ReportParams } from './transparency-api';

const errorText = (e: unknown) => (e instanceof Error ? e.message : 'Something went wrong.');

/** The public transparency report (issue 8): no sign-in. */
export function TransparencyPage() {
  const [trends, setTrends] = useState<TrendPoint[]>();
  const [period, setPeriod] = useState<string>();
  const [params, setParams] = useState<ReportParams>({});
  const [view, setView] = useState<ReportView>();
  const [texts, setTexts] = useState<{ methodology: string; guide: string }>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    transparencyApi
      .trends()
      .then((r) => {
        setTrends(r.trends);
        setPeriod(r.trends[0]?.period);
      })
      .catch((e: unknown) => setError(errorText(e)));
    Promise.all([transparencyApi.methodology(), transparencyApi.guide()])
      .then(([m, g]) => setTexts({ methodology: m.markdown, guide: g.markdown }))
      .catch((e: unknown) => setError(errorText(e)));
  }, []);
  useEffect(() => {
    if (!period) return;
    transparencyApi
      .report(period, params)
      .then((v) => {
        setView(v);
        setError(undefined);
      })
      .catch((e: unknown) => setError(errorText(e)));
  }, [period, params]);

  const t = view?.totals;
  const charts = useMemo(
    () =>
      t && {
        byType: REPORT_PROCESSES.map((p) => ({ label: PROCESS_LABELS[p], value: t.byProcess[p] })),
        byJurisdiction: t.byJurisdiction.map((j) => ({ label: j.country, value: j.received })),
        byOutcome: REPORT_OUTCOMES.map((o) => ({ label: OUTCOME_LABELS[o], value: t.outcomes[o] })),
      },
    [t],
  );
  const trendData = useMemo(
    () => [...(trends ?? [])].reverse().map((p) => ({ label: p.period, value: p.received })),
    [trends],
  );

  return (
    <main className="screen transparency">
      <header className="page-header">
        <h1>Transparency report</h1>
        <p>
          How many government requests for user data we received, from where, of which kind, and how
          we answered them. Published every six months.
        </p>
      </header>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {trends && trends.length === 0 && <p>No report has been published yet.</p>}
      {period && view && t && charts && (
        <>
          <form
            className="card row filters"
            aria-label="Report filters"
            onSubmit={(e) => e.preventDefault()}
          >
            <label>
              Period
              <select
                value={period}
                onChange={(e) => {
                  setPeriod(e.target.value);
                  setParams({});
                }}
              >
                {trends?.map((p) => (
                  <option key={p.period} value={p.period}>
                    {p.period}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Version
              <select
                value={view.snapshot?.version ?? ''}
                onChange={(e) => setParams({ ...params, version: Number(e.target.value) })}
              >
                {view.versions.map((v) => (
                  <option key={v.version} value={v.version}>
                    {v.version}
                    {v.note ? ' (errata)' : ''}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Jurisdiction
              <select
                value={params.jurisdiction ?? ''}
                onChange={(e) =>
                  setParams({ ...params, jurisdiction: e.target.value || undefined })
                }
              >
                <option value="">All</option>
                {view.jurisdictions.map((c) => (
                  <option key={c} value={c}>
                    {countryName(c)} ({c})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Legal process
              <select
                value={params.type ?? ''}
                onChange={(e) => setParams({ ...params, type: e.target.value || undefined })}
              >
                <option value="">All</option>
                {REPORT_PROCESSES.map((p) => (
                  <option key={p} value={p}>
                    {PROCESS_LABELS[p]}
                  </option>
                ))}
              </select>
            </label>
          </form>
          {view.snapshot && (
            <p className="muted">
              {view.data.periodStart} to {view.data.periodEnd} (UTC) · version{' '}
              {view.snapshot.version} published {view.snapshot.publishedAt.slice(0, 10)} · audit-log
              head <code>{view.snapshot.auditHead.slice(0, 16)}…</code> (entry{' '}
              {view.snapshot.auditSeq}){view.snapshot.note && <> · Errata: {view.snapshot.note}</>}
            </p>
          )}
          <section className="card" aria-labelledby="totals-title">
            <h2 id="totals-title">Totals</h2>
            <dl className="totals" data-testid="totals">
              <dt>Requests received</dt>
              <dd data-testid="total-received">{t.received}</dd>
              <dt>Accounts specified</dt>
              <dd data-testid="total-accounts">{t.accountsSpecified}</dd>
              <dt>Requests where some data was produced</dt>
              <dd data-testid="total-produced">
                {t.someDataProduced} ({t.percentSomeDataProduced ?? 0}%)
              </dd>
              <dt>With a delayed-notification order</dt>
              <dd data-testid="total-ndo">
                {t.withDelayedNotice} of {t.received}
              </dd>
              <dt>Preservation requests</dt>
              <dd>
                {t.preservation.received} ({t.preservation.extensions}{' '}
                {t.preservation.extensions === 1 ? 'extension' : 'extensions'}, not counted as
                requests)
              </dd>
              <dt>Emergency requests</dt>
              <dd>
                {t.emergency.received} (data provided in {t.emergency.dataProvided})
              </dd>
              <dt>Withhold-access requests</dt>
              <dd>
                {t.withholdAccess.received} (complied with {t.withholdAccess.complied})
              </dd>
              <dt>National-security requests (band)</dt>
              <dd data-testid="ns-band">
                {view.data.nationalSecurity.requests.low}–{view.data.nationalSecurity.requests.high}{' '}
                requests, {view.data.nationalSecurity.selectors.low}–
                {view.data.nationalSecurity.selectors.high} accounts (bands of{' '}
                {view.data.nationalSecurity.bandWidth})
              </dd>
            </dl>
            <p className="row">
              <a
                className="button secondary small"
                href={transparencyApi.csvUrl(period, params)}
                download
              >
                Download CSV
              </a>
              <a
                className="button secondary small"
                href={transparencyApi.jsonUrl(period, params)}
                download
              >
                Download JSON
              </a>
              <a
                className="button secondary small"
                href={transparencyApi.csvUrl(period, params, 'national_security')}
                download
              >
                National-security CSV
              </a>
            </p>
          </section>
          <div className="chart-grid">
            <ChartWithTable
              title="Requests by legal process"
              kind="bar"
              labelHeader="Legal process"
              data={charts.byType}
              testId="by-type"
            />
            <ChartWithTable
              title="Requests by jurisdiction"
              kind="bar"
              labelHeader="Country"
              data={charts.byJurisdiction}
              testId="by-jurisdiction"
            />
            <ChartWithTable
              title="Requests by outcome"
              kind="bar"
              labelHeader="Outcome"
              data={charts.byOutcome}
              testId="by-outcome"
            />
            <ChartWithTable
              title="Requests received across published periods"
              kind="line"
              labelHeader="Period"
              data={trendData}
              testId="trends"
            />
          </div>
        </>
      )}
      {texts && (
        <>
          <section className="card" id="methodology">
            <Markdown text={texts.methodology} label="Methodology" />
          </section>
          <section className="card" id="guide">
            <Markdown text={texts.guide} label="Government Requests Guide" />
          </section>
        </>
      )}
    </main>
  );
}
