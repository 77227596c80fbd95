import { useEffect } from 'react';
import { Navigate, useParams } from 'react-router';
import { bytes, utc } from '../../app/legal-labels';
import type { PortalRequestDetail } from '@conclave/protocol';
import { MessageThread } from '../../components/MessageThread';
import { RequestSummary } from '../../components/RequestSummary';
import { DocumentsField } from './DocumentsField';
import { Loading, PortalLayout } from './PortalLayout';
import { WithdrawForm } from './WithdrawForm';
import { portalApi } from './portal-api';
import {
  addFiles,
  loadMe,
  openRequest,
  removeFile,
  sendMessage,
  signOut,
  uploadExtra,
  usePortal,
  withdraw,
} from './portal-store';
import type { FileDraft } from './request-draft';

const WITHDRAWABLE = ['received', 'in_review', 'challenged', 'awaiting_approval'];
const FINAL = ['closed', 'withdrawn', 'released'];

/** `/legal/portal/requests/:id`: status, documents, messages, withdrawal, productions. */
export function PortalRequestPage() {
  const { id = '' } = useParams();
  const s = usePortal();
  useEffect(() => {
    if (s.me === undefined) void loadMe();
  }, [s.me]);
  const verified = s.me?.verified === true;
  useEffect(() => {
    if (verified) void openRequest(id);
  }, [verified, id]);
  if (s.me === undefined) return <Loading />;
  if (!s.me) return <Navigate to="/legal/portal" replace />;
  const d = s.detail?.request.id === id ? s.detail : undefined;
  return (
    <PortalLayout
      title="Request"
      me={s.me}
      error={s.error}
      notice={s.notice}
      onSignOut={() => void signOut()}
    >
      {!d ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <RequestBody d={d} busy={s.busy} extraFiles={s.extraFiles} />
      )}
    </PortalLayout>
  );
}

function RequestBody({
  d,
  busy,
  extraFiles,
}: {
  d: PortalRequestDetail;
  busy: boolean;
  extraFiles: FileDraft[];
}) {
  const r = d.request;
  const open = !FINAL.includes(r.status);
  return (
    <div className="stack">
      <section className="card wide">
        <RequestSummary r={r} />
      </section>
      <section className="card wide stack" aria-labelledby="docs-title">
        <h2 id="docs-title">Documents</h2>
        <ul aria-label="Uploaded documents">
          {d.documents.map((doc) => (
            <li key={doc.id} data-testid="document">
              <a href={portalApi.documentUrl(r.id, doc.id)} download>
                {doc.filename}
              </a>{' '}
              · {bytes(doc.sizeBytes)} · SHA-256 <code>{doc.sha256}</code>
            </li>
          ))}
        </ul>
        {open && (
          <>
            <DocumentsField
              legend="Add documents"
              files={extraFiles}
              onAdd={(files) => addFiles(files, 'extra')}
              onRemove={(key) => removeFile(key, 'extra')}
            />
            {extraFiles.length > 0 && (
              <button className="button" disabled={busy} onClick={() => void uploadExtra(r.id)}>
                Upload documents
              </button>
            )}
          </>
        )}
      </section>
      <section className="card wide stack" aria-labelledby="prod-title">
        <h2 id="prod-title">Productions</h2>
        {d.productions.length === 0 ? (
          <p className="muted">Nothing has been released for this request.</p>
        ) : (
          <ul>
            {d.productions.map((p) => (
              <li key={p.id}>
                <a href={portalApi.productionUrl(r.id, p.id)} download>
                  Download production released {utc(p.releasedAt)}
                </a>{' '}
                · SHA-256 <code>{p.packageSha256}</code>
              </li>
            ))}
          </ul>
        )}
      </section>
      <MessageThread
        messages={d.messages}
        self="requester"
        canSend={open}
        busy={busy}
        onSend={(body) => sendMessage(r.id, body)}
      />
      {WITHDRAWABLE.includes(r.status) && (
        <WithdrawForm busy={busy} onWithdraw={(reason) => void withdraw(r.id, reason)} />
      )}
    </div>
  );
}
