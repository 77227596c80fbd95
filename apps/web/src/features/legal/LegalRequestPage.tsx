import { useEffect } from 'react';
import { useParams } from 'react-router';
import { utc } from '../../app/legal-labels';
import type { ReviewRequestDetail } from '@conclave/protocol';
import { MessageThread } from '../../components/MessageThread';
import { RequestSummary } from '../../components/RequestSummary';
import { useSession } from '../../state/session';
import { AuditTrail } from './AuditTrail';
import { ChecklistForm } from './ChecklistForm';
import { ConsoleLayout } from './ConsoleLayout';
import { DecisionPanel } from './DecisionPanel';
import { NdoPanel } from './NdoPanel';
import { NoticesPanel } from './NoticesPanel';
import { PrecheckList, TargetTable } from './PrecheckList';
import { ProductionsPanel } from './ProductionsPanel';
import { RequesterCard } from './RequesterCard';
import * as actions from './console-store';
import { legalApi } from './legal-api';

const FINAL = ['closed', 'withdrawn', 'released'];

/** `/legal/requests/:id`: everything a reviewer needs to decide one request. */
export function LegalRequestPage() {
  const { id = '' } = useParams();
  const s = actions.useConsole();
  const session = useSession();
  const selfId = session.status === 'signed-in' ? session.me.user.id : '';
  useEffect(() => {
    if (selfId) void actions.openRequest(id);
  }, [id, selfId]);
  const d = s.detail?.request.id === id ? s.detail : undefined;
  return (
    <ConsoleLayout title="Government request" denied={s.denied} error={s.error} notice={s.notice}>
      {!d || !s.trail ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <ReviewBody d={d} selfId={selfId} busy={s.busy} trail={s.trail} />
      )}
    </ConsoleLayout>
  );
}

function ReviewBody(p: {
  d: ReviewRequestDetail;
  selfId: string;
  busy: boolean;
  trail: NonNullable<ReturnType<typeof actions.useConsole>['trail']>;
}) {
  const { d, busy } = p;
  const r = d.request;
  const id = r.id;
  return (
    <div className="stack">
      <section className="card wide">
        <p>
          Due (SLA) <strong data-testid="sla-due">{utc(d.slaDueAt)}</strong>
        </p>
        <RequestSummary r={r} />
      </section>
      <PrecheckList prechecks={d.prechecks} />
      <TargetTable targets={d.targets} />
      <RequesterCard d={d} documentUrl={(docId) => legalApi.documentUrl(id, docId)} />
      <ChecklistForm
        key={id}
        saved={d.checklist}
        disabled={FINAL.includes(r.status)}
        busy={busy}
        onSave={(answers) => void actions.saveChecklist(id, answers)}
      />
      <DecisionPanel
        decisions={d.decisions}
        status={r.status}
        outcome={r.outcome}
        selfId={p.selfId}
        busy={busy}
        onDecide={(body) => actions.decide(id, body)}
        onApprove={(decisionId) => void actions.approveDecision(id, decisionId)}
      />
      <NdoPanel
        r={r}
        extensions={d.ndoExtensions}
        busy={busy}
        onReview={(valid, notes) => void actions.reviewNdo(id, valid, notes)}
        onExtend={(end, citation) => void actions.extendNdo(id, end, citation)}
        onEmergencyOver={() => void actions.markEmergencyOver(id)}
      />
      <NoticesPanel
        notices={d.notices}
        busy={busy}
        onSuppress={(noticeId, reason, notes) =>
          void actions.suppressNotice(id, noticeId, reason, notes)
        }
        onSend={(noticeId) => void actions.sendNotice(id, noticeId)}
      />
      <ProductionsPanel
        productions={d.productions}
        status={r.status}
        busy={busy}
        urlOf={(prodId) => legalApi.productionUrl(id, prodId)}
        onBuild={() => void actions.buildProduction(id)}
        onRelease={(prodId) => void actions.releaseProduction(id, prodId)}
      />
      <MessageThread
        messages={d.messages}
        self="reviewer"
        canSend={r.status !== 'withdrawn'}
        busy={busy}
        onSend={(body) => actions.sendReviewerMessage(id, body)}
      />
      <AuditTrail entries={p.trail} selfId={p.selfId} />
    </div>
  );
}
