// Messages between the feature bench and a device running in its own worker_thread
// (e2ee-device-thread.ts): a `kind` union each way, like the E2EE worker's (CONVENTIONS rule 5).
import type { JoinSpec, MoveDone } from './e2ee-bench-device';

export type DeviceRequest =
  | { kind: 'join'; id: number; spec: JoinSpec }
  | { kind: 'enable'; id: number }
  | { kind: 'waitRoster'; id: number; size: number }
  | { kind: 'spareUploaded'; id: number }
  /** Replies to `id` once armed, then to `doneId` with the time `text` is shown. */
  | { kind: 'armChat'; id: number; doneId: number; text: string }
  | { kind: 'sendChat'; id: number; text: string }
  /** Replies to `id` once armed, then to `doneId` with a MoveDone. */
  | { kind: 'armMove'; id: number; doneId: number; e2ee: boolean }
  | { kind: 'openBreakouts'; id: number }
  | { kind: 'prepareBreakouts'; id: number }
  | { kind: 'waitPrepared'; id: number; planId: string }
  | { kind: 'leave'; id: number };

export type DeviceReply =
  | { kind: 'result'; id: number; ok: true; value: string | number | MoveDone | null }
  | { kind: 'result'; id: number; ok: false; error: string };
