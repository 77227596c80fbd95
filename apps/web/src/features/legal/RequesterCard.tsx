import { bytes, utc } from '../../app/legal-labels';
import type { ReviewRequestDetail } from '@conclave/protocol';

/** Who sent the request, for which agency, and the documents they filed (with hashes). */
export function RequesterCard(p: {
  d: ReviewRequestDetail;
  documentUrl: (docId: string) => string;
}) {
  const { requester: who, agency, documents } = p.d;
  return (
    <section className="card wide stack" aria-labelledby="requester-title">
      <h2 id="requester-title">Requester and documents</h2>
      {who && (
        <p>
          {who.fullName} ({who.email}), badge {who.badgeNumber}, {who.phone}
          {agency
            ? ` · ${agency.name} (${agency.country}${agency.subdivision ? `-${agency.subdivision}` : ''}, ${agency.level})`
            : ''}
        </p>
      )}
      {documents.length === 0 ? (
        <p className="warning">No documents were uploaded.</p>
      ) : (
        <ul aria-label="Documents">
          {documents.map((doc) => (
            <li key={doc.id} data-testid="document">
              <a href={p.documentUrl(doc.id)} download>
                {doc.filename}
              </a>{' '}
              · {bytes(doc.sizeBytes)} · {utc(doc.uploadedAt)} · SHA-256 <code>{doc.sha256}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
