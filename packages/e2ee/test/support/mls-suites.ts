// The ciphersuite-1 implementations the RFC 9420 vectors run against: ts-mls's own, and ours on
// each backend (src/mls/mls-suite.ts), which GroupSession uses.
import { getCiphersuiteImpl, type CiphersuiteImpl } from 'ts-mls';
import { getCiphersuiteFromId } from 'ts-mls/crypto/ciphersuite.js';
import { mlsSuite } from '../../src/mls/mls-suite';
import { createNodeBackend } from '../../src/sframe/backend/node';
import { createWebCryptoBackend } from '../../src/sframe/backend/webcrypto';

export const MLS_SUITES: [string, () => Promise<CiphersuiteImpl>][] = [
  ['ts-mls default', () => getCiphersuiteImpl(getCiphersuiteFromId(1))],
  ['ours on node:crypto', () => mlsSuite(createNodeBackend())],
  ['ours on WebCrypto', () => mlsSuite(createWebCryptoBackend())],
];
