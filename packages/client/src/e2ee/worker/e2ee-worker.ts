// The E2EE worker (DESIGN.md §4.2): MLS state and frame keys live here and nowhere else. The main
// thread sends public MLS messages in and gets public results out.
import { createWebCryptoBackend } from '@conclave/e2ee';
import { IndexedDbDeviceKeyStore } from '../device-keys';
import { E2eeEngine } from '../engine';
import type { MediaKind } from '../frame-layout';
import { pipeFrames } from './frame-pipe';
import { changesKeys, handleRequest } from './dispatch';
import { parseWorkerInbound } from './messages';
import type { WorkerOutbound } from './messages';

interface ScriptTransformer {
  readable: ReadableStream<unknown>;
  writable: WritableStream<unknown>;
  options: { op?: unknown; kind?: unknown };
  sendKeyFrameRequest?: () => Promise<void>;
}

const scope = self as unknown as {
  postMessage(message: unknown): void;
  onmessage: ((ev: MessageEvent) => void) | null;
  onrtctransform: ((ev: { transformer: ScriptTransformer }) => void) | null;
};
const engine = new E2eeEngine({
  backend: createWebCryptoBackend(),
  deviceKeys: new IndexedDbDeviceKeyStore(),
});
const receivers = new Set<ScriptTransformer>();
engine.onKeyFrameNeeded = () => post({ kind: 'keyFrameNeeded' });

function post(message: WorkerOutbound): void {
  scope.postMessage(message);
}

function postStatus(): void {
  post({
    kind: 'status',
    status: engine.status(),
    counters: { ...engine.counters },
    lastDecryptError: engine.lastDecryptError,
  });
}

/** After every key change, ask senders for a keyframe so receivers can decode at once. */
function requestKeyFrames(): void {
  for (const r of receivers) r.sendKeyFrameRequest?.().catch(() => undefined);
}

scope.onmessage = (ev: MessageEvent) => {
  const msg = parseWorkerInbound(ev.data);
  if (!msg) return; // malformed: ignored, the worker keeps running
  if (msg.kind === 'attachStreams') {
    pipeFrames(engine, msg.op, msg.mediaKind, msg.readable, msg.writable).catch(() => undefined);
    return;
  }
  handleRequest(engine, msg).then(
    (value) => {
      post({ kind: 'result', id: msg.id, ok: true, value });
      if (changesKeys(msg)) {
        postStatus();
        requestKeyFrames();
      }
    },
    (err: unknown) =>
      post({
        kind: 'result',
        id: msg.id,
        ok: false,
        error: err instanceof Error ? `${err.name}: ${err.message}` : 'failed',
      }),
  );
};

// Standard encoded transform (RTCRtpScriptTransform): one event per sender or receiver.
scope.onrtctransform = (ev) => {
  const t = ev.transformer;
  const options = t.options;
  const op = options.op === 'encrypt' ? 'encrypt' : 'decrypt';
  const kind: MediaKind = options.kind === 'audio' ? 'audio' : 'video';
  if (op === 'decrypt' && kind === 'video') receivers.add(t);
  pipeFrames(engine, op, kind, t.readable, t.writable)
    .catch(() => undefined)
    .finally(() => receivers.delete(t));
};

// Counters for the security panel and tests, twice a second.
setInterval(postStatus, 500);
