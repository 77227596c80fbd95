/** IPC between bench/sfu-forwarding.bench.ts (the SFU host) and bench/lib/sfu-loadgen.ts. */
export interface LoadCounters {
  /** RTP packets written by the publishers. */
  sent: number;
  /** RTP packets received by the subscribers. */
  received: number;
}

export type LoadRequest =
  | { kind: 'publish'; publishers: number }
  | { kind: 'publishAnswers'; answers: string[] }
  | { kind: 'subscribe'; offers: string[] }
  | { kind: 'waitConnected' }
  | { kind: 'start'; audioPps: number; videoPps: number }
  | { kind: 'stop' }
  | { kind: 'counters' }
  | { kind: 'relayPrepare'; publishers: number; subscribers: number }
  | { kind: 'relayStart'; relayPort: number; audioPps: number; videoPps: number }
  | { kind: 'exit' };

export type LoadResponse =
  { offers: string[] } | { answers: string[] } | { ports: number[] } | LoadCounters | null;

export interface LoadEnvelope {
  id: number;
  request: LoadRequest;
}

export interface LoadReply {
  id: number;
  result?: LoadResponse;
  error?: string;
}
