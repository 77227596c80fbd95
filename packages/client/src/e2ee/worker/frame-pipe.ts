import type { E2eeEngine } from '../engine';
import type { MediaKind } from '../frame-layout';

interface EncodedFrame {
  data: ArrayBuffer;
  type?: 'key' | 'delta' | 'empty';
}

/** Runs every encoded frame of one sender or receiver through the engine; failures drop the frame. */
export function pipeFrames(
  engine: E2eeEngine,
  op: 'encrypt' | 'decrypt',
  kind: MediaKind,
  readable: ReadableStream<unknown>,
  writable: WritableStream<unknown>,
): Promise<void> {
  if (op === 'encrypt') engine.counters.senders++;
  else engine.counters.receivers++;
  const transform = new TransformStream<EncodedFrame, EncodedFrame>({
    async transform(frame, controller) {
      const data = new Uint8Array(frame.data);
      const isKey = kind === 'video' && frame.type === 'key';
      const out =
        op === 'encrypt'
          ? await engine.encryptFrame(data, kind, isKey)
          : await engine.decryptFrame(data, kind, isKey);
      if (!out) return;
      if (out !== data)
        frame.data =
          out.buffer.byteLength === out.byteLength
            ? (out.buffer as ArrayBuffer)
            : out.slice().buffer;
      controller.enqueue(frame);
    },
  });
  // The encoded-transform APIs hand us streams of RTCEncodedVideoFrame / RTCEncodedAudioFrame.
  return (readable as ReadableStream<EncodedFrame>).pipeThrough(transform).pipeTo(writable);
}
