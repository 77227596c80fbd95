// RFC 9605 Appendix C vectors on both backends (the WebCrypto one also runs in headless
// Chromium: test/browser/sframe-webcrypto.test.ts).
import { describe, expect, it } from 'vitest';
import { readVectorJson } from '../../test/support/paths';
import {
  checkCtrHmacCase,
  checkHeaderCase,
  checkSFrameCase,
  type SFrameVectors,
} from '../../test/support/sframe-vectors';
import { createNodeBackend } from './backend/node';
import { createWebCryptoBackend } from './backend/webcrypto';

const vectors = readVectorJson<SFrameVectors>('sframe/test-vectors.hexints.json');

describe('RFC 9605 vector file', () => {
  it('holds 289 header cases, 3 AES-CTR-HMAC cases and 5 SFrame cases', () => {
    expect(vectors.header).toHaveLength(289);
    expect(vectors.aes_ctr_hmac).toHaveLength(3);
    expect(vectors.sframe).toHaveLength(5);
  });
});

describe('RFC 9605 §4.3 header vectors', () => {
  it.each(vectors.header.map((c) => [c.kid, c.ctr, c] as const))(
    'encodes and decodes kid %s ctr %s',
    (_kid, _ctr, c) => {
      checkHeaderCase(c);
    },
  );
});

for (const backend of [createNodeBackend(), createWebCryptoBackend()]) {
  describe(`${backend.name} backend`, () => {
    it.each(vectors.aes_ctr_hmac.map((c) => [c.cipher_suite, c] as const))(
      'passes the RFC 9605 §4.5.1 AES-CTR-HMAC vector for suite %s',
      async (_suite, c) => {
        await checkCtrHmacCase(backend, c);
      },
    );
    it.each(vectors.sframe.map((c) => [c.cipher_suite, c] as const))(
      'passes the full SFrame vector for suite %s (labels, secret, key, salt, nonce, aad, encrypt, decrypt)',
      async (_suite, c) => {
        await checkSFrameCase(backend, c);
      },
    );
  });
}
