import type { Capabilities } from '@conclave/protocol';
import type { MediaKind } from './frame-layout';
import type { E2eeWorkerClient } from './worker-client';

/**
 * Puts the E2EE worker's frame transform on a sender or receiver: the standard
 * RTCRtpScriptTransform when the browser has it, else the legacy encoded streams.
 */
export function attachTransform(
  worker: E2eeWorkerClient,
  capabilities: Capabilities,
  target: RTCRtpSender | RTCRtpReceiver,
  op: 'encrypt' | 'decrypt',
  kind: MediaKind,
): void {
  const g = globalThis as unknown as {
    RTCRtpScriptTransform?: new (w: Worker, o: unknown) => unknown;
  };
  if (capabilities.encodedTransform === 'script-transform' && g.RTCRtpScriptTransform) {
    (target as unknown as { transform: unknown }).transform = new g.RTCRtpScriptTransform(
      worker.worker,
      { op, kind },
    );
    return;
  }
  const withStreams = target as unknown as {
    createEncodedStreams?: () => { readable: ReadableStream; writable: WritableStream };
  };
  if (withStreams.createEncodedStreams)
    worker.attachStreams(op, kind, withStreams.createEncodedStreams());
}
