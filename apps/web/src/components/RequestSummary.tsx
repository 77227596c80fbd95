import {
  DATA_CATEGORY_LABELS,
  OUTCOME_LABELS,
  REQUEST_TYPE_LABELS,
  STATUS_LABELS,
  TARGET_TYPE_LABELS,
  utc,
} from '../app/legal-labels';
import type { RequestView } from '@conclave/protocol';

/** What a government request asks for, as the requester filed it. */
export function RequestSummary({ r }: { r: RequestView }) {
  const categories = [
    r.wantsSubscriberInfo && DATA_CATEGORY_LABELS.basic_subscriber_info,
    r.wantsNonContent && DATA_CATEGORY_LABELS.non_content_records,
    r.wantsContent && DATA_CATEGORY_LABELS.content,
  ].filter(Boolean);
  return (
    <dl className="facts" aria-label="Request details">
      <dt>Status</dt>
      <dd data-testid="status">
        {STATUS_LABELS[r.status]}
        {r.outcome && r.status !== 'withdrawn' ? ` · ${OUTCOME_LABELS[r.outcome]}` : ''}
      </dd>
      <dt>Type</dt>
      <dd>
        {REQUEST_TYPE_LABELS[r.type]}
        {r.isEmergency && <strong className="badge danger"> Emergency</strong>}
      </dd>
      <dt>Jurisdiction</dt>
      <dd>
        {r.country}
        {r.subdivision ? `-${r.subdivision}` : ''}
        {r.originCountry ? ` (on behalf of ${r.originCountry})` : ''}
      </dd>
      <dt>Legal basis</dt>
      <dd>{r.legalBasis}</dd>
      <dt>Issuing authority</dt>
      <dd>{r.issuingAuthority}</dd>
      {r.externalRef && (
        <>
          <dt>Requester reference</dt>
          <dd>{r.externalRef}</dd>
        </>
      )}
      {r.description && (
        <>
          <dt>Description</dt>
          <dd className="prewrap">{r.description}</dd>
        </>
      )}
      <dt>Targets</dt>
      <dd>
        <ul>
          {r.targets.map((t) => (
            <li key={t.id}>
              {TARGET_TYPE_LABELS[t.type]}: <code>{t.value}</code>
            </li>
          ))}
        </ul>
      </dd>
      <dt>Data requested</dt>
      <dd>{categories.join(', ')}</dd>
      <dt>Date range</dt>
      <dd>
        {utc(r.rangeFrom)} to {utc(r.rangeTo)}
      </dd>
      <dt>Deadline</dt>
      <dd>{utc(r.deadlineAt)}</dd>
      <dt>Nondisclosure order</dt>
      <dd>
        {!r.hasNdo
          ? 'None'
          : `${r.ndoCitation ?? ''} · ${r.ndoEndAt ? `ends ${utc(r.ndoEndAt)}` : 'no end date'}`}
      </dd>
      <dt>Received</dt>
      <dd>{utc(r.receivedAt)}</dd>
    </dl>
  );
}
