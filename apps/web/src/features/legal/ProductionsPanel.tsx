import type { ProductionView, RequestStatus } from '@conclave/protocol';
import { utc } from '../../app/legal-labels';

interface ManifestFile {
  name: string;
  sha256: string;
}

const filesOf = (manifest: unknown): ManifestFile[] => {
  const files = (manifest as { files?: unknown } | null)?.files;
  return Array.isArray(files) ? (files as ManifestFile[]) : [];
};

/** Packages built from what the system holds, and their release to the requester's portal. */
export function ProductionsPanel(p: {
  productions: ProductionView[];
  status: RequestStatus;
  busy: boolean;
  urlOf: (prodId: string) => string;
  onBuild: () => void;
  onRelease: (prodId: string) => void;
}) {
  if (p.productions.length === 0 && p.status !== 'decided') return null;
  return (
    <section className="card wide stack" aria-labelledby="productions-title">
      <h2 id="productions-title">Productions</h2>
      <p className="muted">
        Built from what the system holds for the targets and range: account profile, meeting
        metadata and participant logs. End-to-end encrypted content is not held; the package says
        so.
      </p>
      <ul aria-label="Productions">
        {p.productions.map((prod) => (
          <li key={prod.id} data-testid="production" className="stack">
            <span>
              Built {utc(prod.createdAt)} · SHA-256 <code>{prod.packageSha256}</code> ·{' '}
              {prod.releasedAt ? `released ${utc(prod.releasedAt)}` : 'not released'}
              {prod.firstDownloadedAt ? ` · downloaded ${utc(prod.firstDownloadedAt)}` : ''}
            </span>
            <ul>
              {filesOf(prod.manifest).map((f) => (
                <li key={f.name}>
                  {f.name} <code>{f.sha256.slice(0, 16)}…</code>
                </li>
              ))}
            </ul>
            <div className="row">
              <a className="button small secondary" href={p.urlOf(prod.id)} download>
                Download package
              </a>
              {!prod.releasedAt && p.status === 'decided' && (
                <button
                  className="button small"
                  disabled={p.busy}
                  onClick={() => p.onRelease(prod.id)}
                >
                  Release to the requester
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
      {p.status === 'decided' && (
        <button className="button" disabled={p.busy} onClick={p.onBuild}>
          Build production
        </button>
      )}
    </section>
  );
}
