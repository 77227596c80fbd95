import type { MemberIdentity, UnsupportedClientRule } from '@conclave/e2ee';
import type { ControlMessage } from '../control-message';
import type { EngineStatus, FrameCounters } from '../engine';
import type { ExpectedDevice } from '../expected-devices';
import type { MediaKind } from '../frame-layout';

// Main thread <-> E2EE worker: a discriminated union on `kind` (CONVENTIONS.md rule 5). Only
// public data crosses: MLS messages, epochs, the security code and roster. Never a key.

export type WorkerRequest =
  | { kind: 'init'; id: number; identity: MemberIdentity; accountUserId: string | null }
  | { kind: 'trustDevice'; id: number; accountUserId: string; deviceKey: string }
  | { kind: 'makeKeyPackage'; id: number }
  | {
      kind: 'createGroup';
      id: number;
      keyPackages: Uint8Array[];
      unsupportedClients: UnsupportedClientRule;
      /** A breakout room's group carries the main group's "E2EE off" keys. */
      offKeys?: string[];
    }
  | { kind: 'commit'; id: number; add: Uint8Array[]; remove: string[]; epoch?: number }
  | {
      kind: 'prepareGroup';
      id: number;
      keyPackages: Uint8Array[];
      unsupportedClients: UnsupportedClientRule;
      offKeys?: string[];
    }
  | { kind: 'joinPrepared'; id: number; welcome: Uint8Array }
  | { kind: 'promotePrepared'; id: number; members: string[]; leave?: boolean }
  | { kind: 'discardPrepared'; id: number }
  | { kind: 'abandonGroup'; id: number }
  | { kind: 'signingKey'; id: number }
  | { kind: 'setExpectedDevices'; id: number; devices: ExpectedDevice[] }
  | { kind: 'processCommit'; id: number; commit: Uint8Array }
  | { kind: 'joinFromWelcome'; id: number; welcome: Uint8Array }
  | { kind: 'sealControl'; id: number; message: ControlMessage }
  | { kind: 'sealChat'; id: number; text: string; to: string | null }
  | { kind: 'openChat'; id: number; data: Uint8Array }
  | { kind: 'sealBoard'; id: number; data: Uint8Array }
  | { kind: 'openBoard'; id: number; data: Uint8Array }
  | { kind: 'openControl'; id: number; data: Uint8Array }
  | { kind: 'turnOff'; id: number }
  | { kind: 'expectEncryption'; id: number; on: boolean }
  | { kind: 'test.corruptReceiveKeys'; id: number }
  | { kind: 'status'; id: number };

/** Legacy encoded-streams API: the main thread transfers each sender/receiver's streams. */
export interface AttachStreams {
  kind: 'attachStreams';
  op: 'encrypt' | 'decrypt';
  mediaKind: MediaKind;
  readable: ReadableStream<unknown>;
  writable: WritableStream<unknown>;
}

export type WorkerInbound = WorkerRequest | AttachStreams;

export type WorkerOutbound =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: string }
  | {
      kind: 'status';
      status: EngineStatus;
      counters: FrameCounters;
      lastDecryptError?: string | undefined;
    }
  | { kind: 'keyFrameNeeded' };

const requestKinds = new Set([
  'init',
  'trustDevice',
  'makeKeyPackage',
  'createGroup',
  'commit',
  'prepareGroup',
  'joinPrepared',
  'promotePrepared',
  'discardPrepared',
  'processCommit',
  'joinFromWelcome',
  'sealControl',
  'openControl',
  'sealChat',
  'openChat',
  'sealBoard',
  'openBoard',
  'turnOff',
  'abandonGroup',
  'signingKey',
  'setExpectedDevices',
  'status',
  'expectEncryption',
  'test.corruptReceiveKeys',
]);

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;
const isBytesArray = (v: unknown): v is Uint8Array[] =>
  Array.isArray(v) && v.length <= 1000 && v.every(isBytes);

function isExpectedDevice(v: unknown): v is ExpectedDevice {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Record<string, unknown>;
  return (
    typeof d.deviceId === 'string' &&
    typeof d.userId === 'string' &&
    typeof d.displayName === 'string' &&
    (d.accountUserId === null || typeof d.accountUserId === 'string') &&
    typeof d.signatureKey === 'string' &&
    typeof d.present === 'boolean' &&
    typeof d.admitted === 'boolean' &&
    (d.inMyRoom === undefined || typeof d.inMyRoom === 'boolean')
  );
}

/** Validates a message arriving at the worker; undefined for anything malformed. */
export function parseWorkerInbound(data: unknown): WorkerInbound | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const m = data as Record<string, unknown>;
  if (m.kind === 'attachStreams') {
    const ok =
      (m.op === 'encrypt' || m.op === 'decrypt') &&
      (m.mediaKind === 'audio' || m.mediaKind === 'video') &&
      m.readable instanceof ReadableStream &&
      m.writable instanceof WritableStream;
    return ok ? (m as unknown as AttachStreams) : undefined;
  }
  if (typeof m.kind !== 'string' || !requestKinds.has(m.kind) || typeof m.id !== 'number')
    return undefined;
  switch (m.kind) {
    case 'init': {
      const i = m.identity as Record<string, unknown> | undefined;
      return i &&
        typeof i.userId === 'string' &&
        typeof i.displayName === 'string' &&
        typeof i.deviceId === 'string' &&
        i.device === undefined &&
        (m.accountUserId === null || typeof m.accountUserId === 'string')
        ? (m as unknown as WorkerRequest)
        : undefined;
    }
    case 'trustDevice':
      return typeof m.accountUserId === 'string' && typeof m.deviceKey === 'string'
        ? (m as unknown as WorkerRequest)
        : undefined;
    case 'createGroup':
    case 'prepareGroup':
      return isBytesArray(m.keyPackages) &&
        ['downgrade', 'hold', 'refuse'].includes(m.unsupportedClients as string) &&
        (m.offKeys === undefined ||
          (Array.isArray(m.offKeys) &&
            m.offKeys.length <= 16 &&
            m.offKeys.every((k) => typeof k === 'string')))
        ? (m as unknown as WorkerRequest)
        : undefined;
    case 'commit':
      return isBytesArray(m.add) &&
        Array.isArray(m.remove) &&
        m.remove.every((r) => typeof r === 'string') &&
        (m.epoch === undefined || (typeof m.epoch === 'number' && Number.isInteger(m.epoch)))
        ? (m as unknown as WorkerRequest)
        : undefined;
    case 'processCommit':
      return isBytes(m.commit) ? (m as unknown as WorkerRequest) : undefined;
    case 'setExpectedDevices':
      return Array.isArray(m.devices) &&
        m.devices.length <= 5000 &&
        m.devices.every(isExpectedDevice)
        ? (m as unknown as WorkerRequest)
        : undefined;
    case 'promotePrepared':
      return Array.isArray(m.members) &&
        m.members.length <= 1000 &&
        m.members.every((x) => typeof x === 'string') &&
        (m.leave === undefined || typeof m.leave === 'boolean')
        ? (m as unknown as WorkerRequest)
        : undefined;
    case 'joinFromWelcome':
    case 'joinPrepared':
      return isBytes(m.welcome) ? (m as unknown as WorkerRequest) : undefined;
    case 'openControl':
    case 'openChat':
    case 'sealBoard':
    case 'openBoard':
      return isBytes(m.data) ? (m as unknown as WorkerRequest) : undefined;
    case 'sealChat':
      return typeof m.text === 'string' &&
        m.text.length <= 4000 &&
        (m.to === null || typeof m.to === 'string')
        ? (m as unknown as WorkerRequest)
        : undefined;
    case 'expectEncryption':
      return typeof m.on === 'boolean' ? (m as unknown as WorkerRequest) : undefined;
    case 'sealControl':
      return typeof m.message === 'object' && m.message !== null
        ? (m as unknown as WorkerRequest)
        : undefined;
    default:
      return m as unknown as WorkerRequest;
  }
}
