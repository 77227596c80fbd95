// Browser-safe entry: no node:* imports here or in anything it imports.
export { E2EE_ERRORS, E2eeError, isE2eeError, type E2eeErrorCode } from './errors';
export {
  CIPHER_SUITES,
  MEDIA_SUITE,
  cipherSuite,
  type CipherSuite,
  type CipherSuiteId,
} from './sframe/suites';
export {
  decodeHeader,
  encodeHeader,
  headerLength,
  MAX_U64,
  type SFrameHeader,
  type DecodedHeader,
} from './sframe/header';
export {
  deriveKeySalt,
  derivationLabel,
  sframeSecret,
  type SFrameKeyMaterial,
} from './sframe/keys';
export {
  aeadDecrypt,
  aeadEncrypt,
  formNonce,
  importAeadKey,
  importSFrameKey,
  sframeDecrypt,
  sframeEncrypt,
  type AeadKey,
  type SFrameKey,
} from './sframe/cipher';
export { SFrameContext, type SFrameContextOptions, type DecryptedFrame } from './sframe/context';
export type { CryptoBackend, AesKey, HmacKey } from './sframe/backend/types';
export { createWebCryptoBackend } from './sframe/backend/webcrypto';
export {
  authenticationService,
  decodeIdentity,
  encodeIdentity,
  identityCredential,
  identityFromCredential,
  type CredentialValidator,
  type MemberIdentity,
} from './mls/credential';
export {
  DEVICE_KEY_BYTES,
  DEVICE_SIGNATURE_BYTES,
  deviceBindingContent,
  exportDeviceKey,
  generateDeviceKey,
  signDeviceBinding,
  verifyDeviceBinding,
  type DeviceBinding,
} from './mls/device-binding';
export {
  GroupSession,
  MLS_CIPHERSUITE,
  PendingJoin,
  SigningKey,
  toLeafIndex,
  type AddOutput,
  type ChangesOutput,
  type OpenedApplication,
  type CommitOutput,
  type CommitResult,
  type GroupSessionOptions,
  type LeafIndex,
  type Member,
} from './mls/group-session';
export {
  DEFAULT_GRACE_MS,
  KID_CONTEXT_BITS,
  KID_EPOCH_BITS,
  KID_SENDER_BITS,
  MlsFrameKeyring,
  SFRAME_EXPORTER_LABEL,
  exportBaseKey,
  packKid,
  unpackKid,
  type EpochKeys,
  type EpochSource,
  type FrameKeyringOptions,
  type KidParts,
} from './keys/sframe-mls-keys';
export {
  decodeMeetingPolicy,
  encodeMeetingPolicy,
  MEETING_POLICY_EXTENSION,
  type MeetingPolicy,
  type UnsupportedClientRule,
} from './mls/meeting-policy';
export { SECURITY_CODE_GROUPS, SECURITY_CODE_GROUP_DIGITS, securityCode } from './code';
