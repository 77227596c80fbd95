import type { PrecheckView, ResolvedTargetView } from '@conclave/protocol';
import { TARGET_TYPE_LABELS } from '../../app/legal-labels';

const LEVEL_TEXT = { flag: 'Flag', ok: 'OK', info: 'Note' } as const;

/** The automatic pre-checks: what the data can show before a reviewer answers the grounds. */
export function PrecheckList({ prechecks }: { prechecks: PrecheckView[] }) {
  const sorted = [...prechecks].sort(
    (a, b) => (a.level === 'flag' ? 0 : 1) - (b.level === 'flag' ? 0 : 1),
  );
  return (
    <section className="card wide" aria-labelledby="prechecks-title">
      <h2 id="prechecks-title">Pre-checks</h2>
      <ul className="prechecks" aria-label="Pre-checks">
        {sorted.map((c) => (
          <li key={c.code} data-testid="precheck" data-level={c.level} data-code={c.code}>
            <strong className={`badge ${c.level}`}>{LEVEL_TEXT[c.level]}</strong> {c.detail}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Each target, whether it matches an account or meeting, and where that account is. */
export function TargetTable({ targets }: { targets: ResolvedTargetView[] }) {
  return (
    <section className="card wide" aria-labelledby="targets-title">
      <h2 id="targets-title">Targets</h2>
      <table className="data-table" aria-label="Targets">
        <thead>
          <tr>
            <th>Kind</th>
            <th>Value</th>
            <th>Matches</th>
            <th>Account location</th>
          </tr>
        </thead>
        <tbody>
          {targets.map((t) => (
            <tr key={t.id}>
              <td>{TARGET_TYPE_LABELS[t.type]}</td>
              <td>
                <code>{t.value}</code>
              </td>
              <td>{t.matched ? 'Yes' : 'No account or meeting'}</td>
              <td>
                {t.accountCountry ?? '—'}
                {t.accountSubdivision ? `-${t.accountSubdivision}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
