import { ConclaveError, encodeMessage } from '@conclave/protocol';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import type { Logger } from '../logger';

export interface ProxyTarget {
  /** The owner's base URL (http(s)://host:port). */
  url: string;
  /** Headers for the upstream upgrade: the client's cookie and the signed via header. */
  headers: Record<string, string>;
}

/**
 * Joins a client's `/ws` to the owning node's `/ws` (issue 19: the node that receives a client
 * forwards its signaling; media goes straight to the owner, whose ICE candidates the client gets
 * in the SDP). `first` is the client's join frame, sent upstream as soon as it opens. Frames pass
 * through unchanged in both directions.
 */
export function proxySignaling(
  client: WebSocket,
  first: Uint8Array,
  joinRequestId: string,
  target: ProxyTarget,
  logger: Logger,
): void {
  const wsUrl = `${target.url.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`;
  const upstream = new WebSocket(wsUrl, { headers: target.headers, handshakeTimeout: 5000 });
  const queued: RawData[] = [];
  let opened = false;
  client.on('message', (data: RawData) => {
    if (opened) upstream.send(data, { binary: false });
    else queued.push(data);
  });
  upstream.on('open', () => {
    opened = true;
    upstream.send(first, { binary: false });
    for (const d of queued.splice(0)) upstream.send(d, { binary: false });
  });
  upstream.on('message', (data: RawData, isBinary: boolean) => {
    if (client.readyState === client.OPEN) client.send(data, { binary: isBinary });
  });
  upstream.on('error', (err) => {
    logger.warn({ err: err.message, owner: target.url }, 'proxied signaling failed');
    if (!opened && client.readyState === client.OPEN) {
      // The owner died a moment ago: a typed, retryable answer to the join, then close.
      const error = new ConclaveError('NODE_UNAVAILABLE', undefined, { retryAfterSeconds: 1 });
      client.send(
        encodeMessage({
          type: 'response',
          requestId: joinRequestId,
          ok: false,
          error: error.toBody(),
        }),
      );
      client.close(1013, 'owner unavailable');
    }
  });
  upstream.on('close', (code: number, reason: Buffer) => {
    if (client.readyState !== client.OPEN) return;
    // 1005/1006 cannot be sent: the owner vanished, which the client treats as a drop (1012).
    const sendable =
      code === 1000 || code === 1001 || (code >= 1007 && code <= 1014) || code >= 3000;
    client.close(sendable ? code : 1012, sendable ? reason.toString() : 'owner unreachable');
  });
  client.on('close', (code: number) => {
    const sendable = code === 1000 || code === 1001 || (code >= 3000 && code < 5000);
    if (upstream.readyState === upstream.OPEN) upstream.close(sendable ? code : 1000);
    else upstream.terminate();
  });
}
