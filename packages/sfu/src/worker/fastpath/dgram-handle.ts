/**
 * The libuv handle behind a `node:dgram` socket: its fd, and `recvStop` (Node's reading).
 * Re-check on Node upgrades: dgram's state symbol (`Symbol(state symbol)`) and its `handle`.
 */
import type { Socket } from 'node:dgram';

export interface UdpHandle {
  fd?: number;
  recvStop?: () => number;
}

/** The socket's handle, or undefined where Node keeps it elsewhere. */
export const dgramHandle = (socket: Socket): UdpHandle | undefined => {
  const state = Object.getOwnPropertySymbols(socket).find((s) => s.description === 'state symbol');
  if (state === undefined) return undefined;
  return (socket as unknown as Record<symbol, { handle?: UdpHandle } | undefined>)[state]?.handle;
};
