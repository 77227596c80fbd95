import type {
  AgencyBody,
  AgencyView,
  AuditEntryView,
  ChecklistAnswerView,
  CheckResult,
  DecisionBody,
  DecisionView,
  MessageView,
  ProductionView,
  QueueItem,
  ReviewGround,
  ReviewRequestDetail,
  SuppressionReason,
} from '@conclave/protocol';
import { call, json } from '../../app/api';

const req = (id: string) => `/api/legal/requests/${encodeURIComponent(id)}`;

/** The legal console's HTTP calls (apps/server/src/http/routes/legal-review.ts). */
export const legalApi = {
  queue: () => call<{ queue: QueueItem[] }>('/api/legal/queue'),
  view: (id: string) => call<ReviewRequestDetail>(req(id)),
  saveChecklist: (
    id: string,
    answers: { ground: ReviewGround; result: CheckResult; notes: string }[],
  ) => call<{ checklist: ChecklistAnswerView[] }>(`${req(id)}/checklist`, json('PUT', { answers })),
  decide: (id: string, body: DecisionBody) =>
    call<{ decision: DecisionView }>(`${req(id)}/decisions`, json('POST', body)),
  approve: (id: string, decisionId: string) =>
    call<{ decision: DecisionView }>(`${req(id)}/decisions/${decisionId}/approve`, json('POST')),
  reviewNdo: (id: string, valid: boolean, notes: string) =>
    call<void>(`${req(id)}/ndo/review`, json('POST', { valid, notes })),
  extendNdo: (id: string, newEndDate: string, citation: string) =>
    call<unknown>(`${req(id)}/ndo/extensions`, json('POST', { newEndDate, citation })),
  emergencyOver: (id: string) => call<void>(`${req(id)}/emergency-over`, json('POST')),
  suppressNotice: (id: string, noticeId: string, reason: SuppressionReason, notes: string) =>
    call<void>(`${req(id)}/notices/${noticeId}/suppress`, json('POST', { reason, notes })),
  sendNotice: (id: string, noticeId: string) =>
    call<void>(`${req(id)}/notices/${noticeId}/send`, json('POST')),
  buildProduction: (id: string) =>
    call<{ production: ProductionView }>(`${req(id)}/productions`, json('POST')),
  releaseProduction: (id: string, prodId: string) =>
    call<void>(`${req(id)}/productions/${prodId}/release`, json('POST')),
  message: (id: string, body: string) =>
    call<{ message: MessageView }>(`${req(id)}/messages`, json('POST', { body })),
  audit: (id: string) => call<{ entries: AuditEntryView[] }>(`${req(id)}/audit`),
  agencies: () => call<{ agencies: AgencyView[] }>('/api/legal/agencies'),
  createAgency: (body: AgencyBody) =>
    call<{ agency: AgencyView }>('/api/legal/agencies', json('POST', body)),
  documentUrl: (id: string, docId: string) => `${req(id)}/documents/${docId}`,
  productionUrl: (id: string, prodId: string) => `${req(id)}/productions/${prodId}`,
};
