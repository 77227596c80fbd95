import { ConclaveError, isErrorCode } from '@conclave/protocol';
import { ensureCsrf } from './api';

/**
 * Sends one file as multipart/form-data with the CSRF header. XMLHttpRequest, not fetch: only
 * it reports upload progress. Resolves with the JSON body; rejects with a catalogue error.
 */
export async function uploadFile<T>(
  url: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<T> {
  const csrf = await ensureCsrf(url);
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () =>
      reject(new ConclaveError('INTERNAL', 'Cannot reach the server. Check your connection.'));
    xhr.onload = () => {
      let body: { code?: unknown; message?: unknown } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // an empty or non-JSON body: judged by status alone
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(body as T);
        return;
      }
      const code = isErrorCode(body.code)
        ? body.code
        : xhr.status === 413
          ? 'LEGAL_DOCUMENT_TOO_LARGE'
          : 'INTERNAL';
      reject(new ConclaveError(code, typeof body.message === 'string' ? body.message : undefined));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
