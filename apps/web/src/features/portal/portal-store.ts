import { ConclaveError } from '@conclave/protocol';
import type {
  PortalRequestDetail,
  RequesterMe,
  RequesterRegisterBody,
  RequestView,
} from '@conclave/protocol';
import QRCode from 'qrcode';
import { createStore } from '../../state/create-store';
import { portalApi } from './portal-api';
import { checkFile } from './file-checks';
import { emptyDraft, fieldOfServerMessage, newKey, toSubmitBody } from './request-draft';
import type { FieldErrors, FileDraft, RequestDraft, TargetDraft } from './request-draft';

// The requester portal's one state module: who is signed in, their requests, the open request,
// the new-request draft, and the outcome of the last action. Components read it with
// usePortal() and call the named actions below.

export interface PortalState {
  /** undefined while loading; null when signed out. */
  me: RequesterMe | null | undefined;
  requests: RequestView[] | undefined;
  detail: PortalRequestDetail | undefined;
  draft: RequestDraft;
  /** Documents being added to the open request. */
  extraFiles: FileDraft[];
  enrolment: { secret: string; qr: string } | undefined;
  attestation: string | undefined;
  fieldErrors: FieldErrors;
  error: string | undefined;
  notice: string | undefined;
  busy: boolean;
}

const store = createStore<PortalState>({
  me: undefined,
  requests: undefined,
  detail: undefined,
  draft: emptyDraft(),
  extraFiles: [],
  enrolment: undefined,
  attestation: undefined,
  fieldErrors: {},
  error: undefined,
  notice: undefined,
  busy: false,
});
export const usePortal = store.use;

const message = (err: unknown) => (err instanceof Error ? err.message : 'That did not work.');

/** Runs an action with busy state; its error lands in `error` (or beside a field). */
async function run(fn: () => Promise<void>, fieldFor?: (err: unknown) => string | undefined) {
  store.set({ busy: true, error: undefined, notice: undefined, fieldErrors: {} });
  try {
    await fn();
    return true;
  } catch (err) {
    const field = fieldFor?.(err);
    if (field) store.set({ fieldErrors: { [field]: message(err) } });
    else store.set({ error: message(err) });
    return false;
  } finally {
    store.set({ busy: false });
  }
}

export function clearFeedback(): void {
  store.set({ error: undefined, notice: undefined, fieldErrors: {} });
}

// ---- session and onboarding

export async function loadMe(): Promise<void> {
  // Every requester session comes with its CSRF cookie (set beside the session cookie at
  // sign-in): without it nobody is signed in, and asking would only log a 401 in the console.
  if (!/(?:^|;\s*)conclave_legal_csrf=/.test(document.cookie)) {
    store.set({ me: null });
    return;
  }
  try {
    store.set({ me: await portalApi.me() });
  } catch (err) {
    if (err instanceof ConclaveError && err.status === 401) store.set({ me: null });
    else store.set({ me: null, error: message(err) });
  }
}

export function register(body: RequesterRegisterBody): Promise<boolean> {
  return run(
    async () => {
      await portalApi.register(body);
      store.set({ notice: `We sent a link to ${body.email}. Open it to verify your address.` });
    },
    (err) =>
      err instanceof ConclaveError &&
      (err.code === 'LEGAL_DOMAIN_NOT_ALLOWED' || err.code === 'LEGAL_EMAIL_TAKEN')
        ? 'email'
        : err instanceof ConclaveError && err.code === 'BAD_REQUEST'
          ? fieldOfServerMessage(err.message)
          : undefined,
  );
}

export function verifyEmail(token: string): Promise<boolean> {
  return run(async () => {
    await portalApi.verifyEmail(token);
    store.set({ notice: 'Your email address is verified. Sign in to continue.' });
  });
}

/** 'code' when the password was right and a two-factor code is needed next. */
export async function signIn(
  email: string,
  password: string,
  code?: string,
): Promise<'ok' | 'code' | 'failed'> {
  let needsCode = false;
  const ok = await run(async () => {
    try {
      store.set({ me: await portalApi.login(email, password, code) });
    } catch (err) {
      if (err instanceof ConclaveError && err.code === 'TWO_FACTOR_REQUIRED' && !code) {
        needsCode = true;
        return;
      }
      throw err;
    }
  });
  return needsCode ? 'code' : ok ? 'ok' : 'failed';
}

export async function signOut(): Promise<void> {
  await portalApi.logout().catch(() => undefined);
  store.set({ me: null, requests: undefined, detail: undefined, draft: emptyDraft() });
}

export function startTotp(): Promise<boolean> {
  return run(async () => {
    const { secret, otpauthUrl } = await portalApi.enrollTotp();
    store.set({
      enrolment: { secret, qr: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 180 }) },
    });
  });
}

export function confirmTotp(code: string): Promise<boolean> {
  return run(async () => {
    await portalApi.confirmTotp(code);
    store.set({ enrolment: undefined, me: await portalApi.me() });
  });
}

export async function loadAttestation(): Promise<void> {
  if (store.get().attestation) return;
  const { text } = await portalApi.attestation();
  store.set({ attestation: text });
}

export function acceptAttestation(): Promise<boolean> {
  return run(async () => {
    await portalApi.acceptAttestation();
    store.set({ me: await portalApi.me() });
  });
}

// ---- requests

export function loadRequests(): Promise<boolean> {
  return run(async () => {
    store.set({ requests: (await portalApi.list()).requests });
  });
}

export function openRequest(id: string): Promise<boolean> {
  if (store.get().detail?.request.id !== id) store.set({ detail: undefined, extraFiles: [] });
  return run(async () => {
    store.set({ detail: await portalApi.view(id) });
  });
}

export function sendMessage(id: string, body: string): Promise<boolean> {
  return run(async () => {
    await portalApi.message(id, body);
    store.set({ detail: await portalApi.view(id), notice: 'Message sent to the legal team.' });
  });
}

export function withdraw(id: string, reason: string): Promise<boolean> {
  return run(async () => {
    await portalApi.withdraw(id, reason);
    store.set({ detail: await portalApi.view(id), notice: 'The request is withdrawn.' });
  });
}

// ---- the new-request draft

export function editDraft(patch: Partial<RequestDraft>): void {
  store.set((s) => ({ draft: { ...s.draft, ...patch } }));
}

export function editTarget(key: string, patch: Partial<TargetDraft>): void {
  const targets = store.get().draft.targets.map((t) => (t.key === key ? { ...t, ...patch } : t));
  editDraft({ targets });
}

export function addTarget(): void {
  editDraft({
    targets: [...store.get().draft.targets, { key: newKey(), type: 'email', value: '' }],
  });
}

export function removeTarget(key: string): void {
  editDraft({ targets: store.get().draft.targets.filter((t) => t.key !== key) });
}

function maxBytes(): number {
  return store.get().me?.maxDocumentBytes ?? 10 * 1024 * 1024;
}

/** Where a file list lives: the new-request draft, or the open request's "add documents". */
type FileList = 'draft' | 'extra';
const filesOf = (where: FileList) =>
  where === 'draft' ? store.get().draft.files : store.get().extraFiles;
function setFiles(where: FileList, files: FileDraft[]): void {
  if (where === 'draft') editDraft({ files });
  else store.set({ extraFiles: files });
}
function setFile(where: FileList, key: string, patch: Partial<FileDraft>): void {
  setFiles(
    where,
    filesOf(where).map((f) => (f.key === key ? { ...f, ...patch } : f)),
  );
}

/** Files are checked when chosen: a non-PDF or oversized file is marked at once. */
export function addFiles(files: File[], where: FileList = 'draft'): void {
  const added: FileDraft[] = files.map((file) => {
    const problem = checkFile(file, maxBytes());
    return {
      key: newKey(),
      file,
      progress: 0,
      state: problem ? 'invalid' : 'ready',
      error: problem,
    };
  });
  setFiles(where, [...filesOf(where), ...added]);
}

export function removeFile(key: string, where: FileList = 'draft'): void {
  setFiles(
    where,
    filesOf(where).filter((f) => f.key !== key),
  );
}

/**
 * Validates, submits (once: the idempotency key makes a retry return the same request), then
 * uploads each file not yet uploaded. Resolves with the request id when everything is stored.
 */
export async function submitDraft(): Promise<string | undefined> {
  const { draft } = store.get();
  const checked = toSubmitBody(draft);
  if (!checked.ok) {
    store.set({ fieldErrors: checked.errors, error: 'Some fields need attention.' });
    return undefined;
  }
  if (draft.files.some((f) => f.state === 'invalid')) {
    store.set({ error: 'Remove the files that cannot be sent, then submit again.' });
    return undefined;
  }
  let id: string | undefined;
  const ok = await run(
    async () => {
      id = draft.requestId ?? (await portalApi.submit(checked.body)).request.id;
      editDraft({ requestId: id });
      await uploadPending(id, 'draft');
    },
    (err) =>
      err instanceof ConclaveError && err.code === 'BAD_REQUEST'
        ? fieldOfServerMessage(err.message)
        : undefined,
  );
  if (!ok || !id) return undefined;
  store.set({ draft: emptyDraft(), notice: 'Your request was received.' });
  return id;
}

async function uploadPending(id: string, where: FileList): Promise<void> {
  let failed = 0;
  for (const f of filesOf(where)) {
    if (f.state === 'done') continue;
    setFile(where, f.key, { state: 'uploading', progress: 0, error: undefined });
    try {
      await portalApi.upload(id, f.file, (progress) => setFile(where, f.key, { progress }));
      setFile(where, f.key, { state: 'done', progress: 1 });
    } catch (err) {
      failed++;
      setFile(where, f.key, { state: 'failed', error: message(err) });
    }
  }
  if (failed)
    throw new Error(
      where === 'draft'
        ? `Your request was received, but ${failed} document(s) could not be uploaded. Remove or replace them and submit again: only the missing documents are sent.`
        : `${failed} document(s) could not be uploaded.`,
    );
}

/** Adds documents to a stored request (from its page), with the same checks and progress. */
export function uploadExtra(id: string): Promise<boolean> {
  if (store.get().extraFiles.some((f) => f.state === 'invalid')) {
    store.set({ error: 'Remove the files that cannot be sent, then upload again.' });
    return Promise.resolve(false);
  }
  return run(async () => {
    await uploadPending(id, 'extra');
    store.set({ detail: await portalApi.view(id), notice: 'Documents uploaded.', extraFiles: [] });
  });
}
