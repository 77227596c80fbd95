import type { MemberIdentity, UnsupportedClientRule } from '@conclave/e2ee';
import { TypedEmitter } from '../typed-emitter';
import type { ControlMessage } from './control-message';
import type { CommitOut, EngineStatus, FrameCounters, OpenedChat } from './engine';
import type { ExpectedDevice } from './expected-devices';
import type { MediaKind } from './frame-layout';
import type { WorkerOutbound, WorkerRequest } from './worker/messages';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type E2eeWorkerEvents = { status: [EngineStatus, FrameCounters]; keyFrameNeeded: [] };

/** The main thread's handle on the E2EE worker: typed requests, status events. */
export class E2eeWorkerClient extends TypedEmitter<E2eeWorkerEvents> {
  readonly worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  #next = 1;
  /** Why the last frame was dropped (diagnostics). */
  lastDecryptError: string | undefined;

  constructor(worker: Worker) {
    super();
    this.worker = worker;
    worker.addEventListener('message', (ev: MessageEvent<WorkerOutbound>) => {
      const msg = ev.data;
      if (msg.kind === 'keyFrameNeeded') {
        this.emit('keyFrameNeeded');
        return;
      }
      if (msg.kind === 'status') {
        this.lastDecryptError = msg.lastDecryptError;
        this.emit('status', msg.status, msg.counters);
        return;
      }
      const p = this.#pending.get(msg.id);
      if (!p) return;
      this.#pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new Error(msg.error));
    });
  }

  #call<T>(req: DistributiveOmit<WorkerRequest, 'id'>, transfer: Transferable[] = []): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, id }, transfer);
    });
  }

  init(identity: MemberIdentity, accountUserId: string | null) {
    return this.#call<null>({ kind: 'init', identity, accountUserId });
  }
  /** Accept a known person's new device key (trust on first use: only a person decides). */
  trustDevice(accountUserId: string, deviceKey: string) {
    return this.#call<null>({ kind: 'trustDevice', accountUserId, deviceKey });
  }
  makeKeyPackage() {
    return this.#call<Uint8Array>({ kind: 'makeKeyPackage' });
  }
  createGroup(
    keyPackages: Uint8Array[],
    unsupportedClients: UnsupportedClientRule,
    offKeys?: string[],
  ) {
    return this.#call<CommitOut>({
      kind: 'createGroup',
      keyPackages,
      unsupportedClients,
      ...(offKeys ? { offKeys } : {}),
    });
  }
  /** null: the group is no longer at `epoch` (the request is stale; nothing was changed). */
  commit(add: Uint8Array[], remove: string[], epoch?: number) {
    return this.#call<CommitOut | null>({
      kind: 'commit',
      add,
      remove,
      ...(epoch !== undefined ? { epoch } : {}),
    });
  }
  /** A planned breakout room's pending group (issue 18); the active group is untouched. */
  prepareGroup(
    keyPackages: Uint8Array[],
    unsupportedClients: UnsupportedClientRule,
    offKeys?: string[],
  ) {
    return this.#call<CommitOut>({
      kind: 'prepareGroup',
      keyPackages,
      unsupportedClients,
      ...(offKeys ? { offKeys } : {}),
    });
  }
  joinPrepared(welcome: Uint8Array) {
    return this.#call<null>({ kind: 'joinPrepared', welcome });
  }
  /**
   * The pending group becomes this device's group if its leaves are exactly `members`; `leave`:
   * the group this device holds is left first, whatever the verdict (as `abandonGroup`).
   */
  promotePrepared(members: string[], leave = false) {
    return this.#call<{ ok: true } | { ok: false; reason: string }>({
      kind: 'promotePrepared',
      members,
      ...(leave ? { leave } : {}),
    });
  }
  discardPrepared() {
    return this.#call<null>({ kind: 'discardPrepared' });
  }
  abandonGroup() {
    return this.#call<null>({ kind: 'abandonGroup' });
  }
  signingKey() {
    return this.#call<Uint8Array>({ kind: 'signingKey' });
  }
  setExpectedDevices(devices: ExpectedDevice[]) {
    return this.#call<null>({ kind: 'setExpectedDevices', devices });
  }
  processCommit(commit: Uint8Array) {
    return this.#call<'epoch' | 'removed'>({ kind: 'processCommit', commit });
  }
  joinFromWelcome(welcome: Uint8Array) {
    return this.#call<null>({ kind: 'joinFromWelcome', welcome });
  }
  sealControl(message: ControlMessage) {
    return this.#call<Uint8Array>({ kind: 'sealControl', message });
  }
  openControl(data: Uint8Array) {
    return this.#call<
      { sender: MemberIdentity; senderKey: string; message: ControlMessage } | undefined
    >({
      kind: 'openControl',
      data,
    });
  }
  sealChat(text: string, to: string | null) {
    return this.#call<Uint8Array>({ kind: 'sealChat', text, to });
  }
  openChat(data: Uint8Array) {
    return this.#call<OpenedChat | undefined>({ kind: 'openChat', data });
  }
  sealBoard(data: Uint8Array) {
    return this.#call<Uint8Array>({ kind: 'sealBoard', data });
  }
  openBoard(data: Uint8Array) {
    return this.#call<Uint8Array | undefined>({ kind: 'openBoard', data });
  }
  expectEncryption(on: boolean) {
    return this.#call<null>({ kind: 'expectEncryption', on });
  }
  /** TEST ONLY: see E2eeEngine.corruptReceiveKeys. */
  corruptReceiveKeys() {
    return this.#call<null>({ kind: 'test.corruptReceiveKeys' });
  }
  turnOff() {
    return this.#call<null>({ kind: 'turnOff' });
  }

  /** Legacy API: hands a sender's or receiver's encoded streams to the worker. */
  attachStreams(
    op: 'encrypt' | 'decrypt',
    mediaKind: MediaKind,
    streams: { readable: ReadableStream; writable: WritableStream },
  ): void {
    this.worker.postMessage(
      {
        kind: 'attachStreams',
        op,
        mediaKind,
        readable: streams.readable,
        writable: streams.writable,
      },
      [streams.readable, streams.writable] as unknown as Transferable[],
    );
  }

  terminate(): void {
    this.worker.terminate();
    for (const p of this.#pending.values()) p.reject(new Error('E2EE worker stopped'));
    this.#pending.clear();
  }
}
