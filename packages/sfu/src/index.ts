export { MediaWorker, type MediaWorkerEvents, type MediaWorkerOptions } from './media-worker';
export { WorkerPool } from './worker-pool';
export { Router, type CreateTransportOptions, type RouterEvents } from './router';
export { Transport, type ConsumeOptions, type TransportEvents } from './transport';
export { Producer, type ProducerEvents } from './producer';
export { Consumer, type ConsumerEvents } from './consumer';
export { RtpTap, type RtpTapEvents } from './rtp-tap';
export { TypedEmitter, type EventMap } from './typed-emitter';
export {
  SFU_ERRORS,
  SfuError,
  InvalidStateError,
  isSfuErrorCode,
  type SfuErrorCode,
} from './errors';
export type {
  ConnectionState,
  ConsumerStats,
  IceServer,
  LayerStats,
  TransportStats,
  AudioPayloadSample,
  MediaKind,
  PayloadSample,
  ProducerStats,
  SrtpDrops,
  TapPacket,
  TransportDirection,
  VideoPayloadSample,
  WorkerDump,
} from './channel/messages';
export type { AppData } from './types';
