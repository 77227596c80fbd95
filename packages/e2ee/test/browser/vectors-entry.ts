// Bundled by sframe-webcrypto.test.ts for the page and for a dedicated Worker: runs the RFC 9605
// vectors on the WebCrypto backend and reports counts. Only browser-safe modules are imported.
import { createWebCryptoBackend } from '../../src/index';
import {
  runAllSFrameVectors,
  type SFrameVectors,
  type VectorCounts,
} from '../support/sframe-vectors';

export async function runVectors(
  url: string,
): Promise<VectorCounts & { isSecureContext: boolean }> {
  const res = await fetch(url);
  const vectors = (await res.json()) as SFrameVectors;
  const counts = await runAllSFrameVectors(createWebCryptoBackend(), vectors);
  return { ...counts, isSecureContext: globalThis.isSecureContext };
}

interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
}

// In a dedicated Worker there is no `document`; answer one request per message.
if (typeof (globalThis as { document?: unknown }).document === 'undefined') {
  const scope = globalThis as unknown as WorkerScope;
  scope.addEventListener('message', (e) => {
    runVectors(String(e.data)).then(
      (r) => scope.postMessage({ ok: true, result: r }),
      (err: unknown) => scope.postMessage({ ok: false, error: String(err) }),
    );
  });
} else {
  (globalThis as { runVectors?: typeof runVectors }).runVectors = runVectors;
}
