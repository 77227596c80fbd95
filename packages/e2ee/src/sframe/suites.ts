// RFC 9605 §4.5 (Table 4, "SFrame Cipher Suites") and §8.1 (IANA registry).
import { E2eeError } from '../errors';

export type CipherSuiteId = 1 | 2 | 3 | 4 | 5;
export type HashName = 'SHA-256' | 'SHA-512';

export interface CipherSuite {
  readonly id: CipherSuiteId;
  readonly name: string;
  /** 'ctr-hmac' = RFC 9605 §4.5.1 construction; 'gcm' = AES-GCM used directly. */
  readonly aead: 'ctr-hmac' | 'gcm';
  readonly hash: HashName;
  /** Output size of the hash in bytes. */
  readonly nh: number;
  /** AEAD key size in bytes (for CTR suites: encryption key + authentication key). */
  readonly nk: number;
  /** AEAD nonce size in bytes. */
  readonly nn: number;
  /** AEAD tag size in bytes. */
  readonly nt: number;
  /** AES key size in bytes (for CTR suites the first Nka bytes of the key, RFC 9605 §4.5.1). */
  readonly nka: number;
}

// RFC 9605 §4.5: | Value | Name | Nh | Nka | Nk | Nn | Nt |
export const CIPHER_SUITES: Readonly<Record<CipherSuiteId, CipherSuite>> = {
  1: {
    id: 1,
    name: 'AES_128_CTR_HMAC_SHA256_80',
    aead: 'ctr-hmac',
    hash: 'SHA-256',
    nh: 32,
    nka: 16,
    nk: 48,
    nn: 12,
    nt: 10,
  },
  2: {
    id: 2,
    name: 'AES_128_CTR_HMAC_SHA256_64',
    aead: 'ctr-hmac',
    hash: 'SHA-256',
    nh: 32,
    nka: 16,
    nk: 48,
    nn: 12,
    nt: 8,
  },
  3: {
    id: 3,
    name: 'AES_128_CTR_HMAC_SHA256_32',
    aead: 'ctr-hmac',
    hash: 'SHA-256',
    nh: 32,
    nka: 16,
    nk: 48,
    nn: 12,
    nt: 4,
  },
  4: {
    id: 4,
    name: 'AES_128_GCM_SHA256_128',
    aead: 'gcm',
    hash: 'SHA-256',
    nh: 32,
    nka: 16,
    nk: 16,
    nn: 12,
    nt: 16,
  },
  5: {
    id: 5,
    name: 'AES_256_GCM_SHA512_128',
    aead: 'gcm',
    hash: 'SHA-512',
    nh: 64,
    nka: 32,
    nk: 32,
    nn: 12,
    nt: 16,
  },
};

/** The suite Conclave uses for media (DESIGN §4.2). */
export const MEDIA_SUITE: CipherSuite = CIPHER_SUITES[4];

export function cipherSuite(id: number): CipherSuite {
  const suite = CIPHER_SUITES[id as CipherSuiteId] as CipherSuite | undefined;
  if (!suite) throw new E2eeError('E2EE_ERR_UNKNOWN_SUITE', `id ${id}`);
  return suite;
}
