// Bundled by bench/e2ee.bench.ts for headless Chromium: the WebCrypto SFrame comparison in a page.
import { createWebCryptoBackend } from '../../packages/e2ee/src/sframe/backend/webcrypto';
import { sframeVsRaw } from './e2ee-sframe-bench';

(globalThis as { runSFrameBench?: (quick: boolean) => unknown }).runSFrameBench = (
  quick: boolean,
) => sframeVsRaw(createWebCryptoBackend(), quick);
