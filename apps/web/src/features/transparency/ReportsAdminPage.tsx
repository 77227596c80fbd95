import { useEffect, useState } from 'react';
import type { BandWidth, ReportView } from '@conclave/protocol';
import { BAND_WIDTHS } from '@conclave/protocol';
import { ConsoleLayout } from '../legal/ConsoleLayout';
import { transparencyApi } from './transparency-api';

const errorText = (e: unknown) => (e instanceof Error ? e.message : 'Something went wrong.');

function lastEndedPeriod(now = new Date()): string {
  const y = now.getUTCFullYear();
  return now.getUTCMonth() < 6 ? `${y - 1}-H2` : `${y}-H1`;
}

/** The legal admin's preview / publish / errata screen and the guide editor (issue 8). */
export function ReportsAdminPage() {
  const [period, setPeriod] = useState(lastEndedPeriod());
  const [bandWidth, setBandWidth] = useState<BandWidth>(500);
  const [preview, setPreview] = useState<ReportView>();
  const [note, setNote] = useState('');
  const [guide, setGuide] = useState<string>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    transparencyApi.guide().then(
      (g) => setGuide(g.markdown),
      (e: unknown) => setError(errorText(e)),
    );
  }, []);
  const run = (f: () => Promise<string | undefined>) => {
    setError(undefined);
    setNotice(undefined);
    f().then(setNotice, (e: unknown) => setError(errorText(e)));
  };
  const latest = preview?.versions.at(-1);

  return (
    <ConsoleLayout title="Transparency reports" denied={undefined} error={error} notice={notice}>
      <section className="card wide" aria-labelledby="prepare-title">
        <h2 id="prepare-title">Prepare a period</h2>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            run(async () => {
              setPreview(await transparencyApi.preview(period, bandWidth));
              return undefined;
            });
          }}
        >
          <label>
            Period
            <input
              value={period}
              onChange={(e) => setPeriod(e.target.value.trim())}
              pattern="\d{4}-H[12]"
              required
            />
          </label>
          <label>
            National-security band width
            <select
              value={bandWidth}
              onChange={(e) => setBandWidth(Number(e.target.value) as BandWidth)}
            >
              {BAND_WIDTHS.map((w) => (
                <option key={w} value={w}>
                  {w}
                </option>
              ))}
            </select>
          </label>
          <button className="button" type="submit">
            Preview
          </button>
        </form>
        {preview && (
          <>
            <dl className="totals" aria-label="Preview">
              <dt>Requests received</dt>
              <dd data-testid="preview-received">{preview.totals.received}</dd>
              <dt>Some data produced</dt>
              <dd>{preview.totals.someDataProduced}</dd>
              <dt>Pending</dt>
              <dd>{preview.totals.outcomes.pending}</dd>
              <dt>Published versions</dt>
              <dd>
                {preview.versions.length === 0
                  ? 'none'
                  : preview.versions.map((v) => v.version).join(', ')}
              </dd>
            </dl>
            {!latest ? (
              <button
                className="button"
                type="button"
                onClick={() =>
                  run(async () => {
                    const { snapshot } = await transparencyApi.publish(period, bandWidth);
                    setPreview(await transparencyApi.preview(period, bandWidth));
                    return `Published ${snapshot.period} version ${snapshot.version}.`;
                  })
                }
              >
                Publish version 1
              </button>
            ) : (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  run(async () => {
                    const { snapshot } = await transparencyApi.errata(period, latest.version, note);
                    setPreview(await transparencyApi.preview(period, bandWidth));
                    setNote('');
                    return `Published errata: ${snapshot.period} version ${snapshot.version}.`;
                  });
                }}
              >
                <label>
                  Errata note (what changed and why)
                  <textarea
                    value={note}
                    onChange={(e) => setNote(e.target.value)}
                    minLength={10}
                    maxLength={4000}
                    required
                  />
                </label>
                <button className="button" type="submit">
                  Publish errata as version {latest.version + 1}
                </button>
              </form>
            )}
          </>
        )}
      </section>
      <section className="card wide" aria-labelledby="guide-edit-title">
        <h2 id="guide-edit-title">Government Requests Guide (Markdown)</h2>
        {guide !== undefined && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              run(async () => {
                await transparencyApi.saveGuide(guide);
                return 'Guide saved.';
              });
            }}
          >
            <label>
              Guide text
              <textarea
                rows={24}
                value={guide}
                onChange={(e) => setGuide(e.target.value)}
                maxLength={65_536}
              />
            </label>
            <button className="button" type="submit">
              Save guide
            </button>
          </form>
        )}
      </section>
    </ConsoleLayout>
  );
}
