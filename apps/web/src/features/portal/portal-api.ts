import type {
  DocumentView,
  MessageView,
  PortalRequestDetail,
  RequesterMe,
  RequesterRegisterBody,
  RequestView,
  SubmitRequestBody,
} from '@conclave/protocol';
import { call, json } from '../../app/api';
import { uploadFile } from '../../app/upload';

const base = '/api/legal/portal';
const req = (id: string) => `${base}/requests/${encodeURIComponent(id)}`;

/** The requester portal's HTTP calls (apps/server/src/http/routes/legal-portal.ts). */
export const portalApi = {
  me: () => call<RequesterMe>(`${base}/me`),
  register: (body: RequesterRegisterBody) =>
    call<{ requesterId: string }>(`${base}/register`, json('POST', body)),
  verifyEmail: (token: string) => call<void>(`${base}/verify-email`, json('POST', { token })),
  login: (email: string, password: string, totpCode?: string) =>
    call<RequesterMe>(
      `${base}/login`,
      json('POST', { email, password, ...(totpCode ? { totpCode } : {}) }),
    ),
  logout: () => call<void>(`${base}/logout`, json('POST')),
  enrollTotp: () =>
    call<{ secret: string; otpauthUrl: string }>(`${base}/2fa/enroll`, json('POST')),
  confirmTotp: (code: string) => call<void>(`${base}/2fa/verify`, json('POST', { code })),
  attestation: () => call<{ version: 1; text: string }>(`${base}/attestation`),
  acceptAttestation: () =>
    call<void>(`${base}/attestation`, json('POST', { version: 1, accept: true })),
  submit: (body: SubmitRequestBody) =>
    call<{ request: RequestView }>(`${base}/requests`, json('POST', body)),
  list: () => call<{ requests: RequestView[] }>(`${base}/requests`),
  view: (id: string) => call<PortalRequestDetail>(req(id)),
  upload: (id: string, file: File, onProgress: (f: number) => void) =>
    uploadFile<{ document: DocumentView }>(`${req(id)}/documents`, file, onProgress),
  message: (id: string, body: string) =>
    call<{ message: MessageView }>(`${req(id)}/messages`, json('POST', { body })),
  withdraw: (id: string, reason: string) =>
    call<{ request: RequestView }>(`${req(id)}/withdraw`, json('POST', { reason })),
  documentUrl: (id: string, docId: string) => `${req(id)}/documents/${docId}`,
  productionUrl: (id: string, prodId: string) => `${req(id)}/productions/${prodId}`,
};
