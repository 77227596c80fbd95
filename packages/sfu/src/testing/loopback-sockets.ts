// Real UDP sockets on loopback for the native send/receive tests, and the process's open fds.
import { createSocket, type Socket } from 'node:dgram';
import { readdirSync } from 'node:fs';

/** How many file descriptors this process holds now. */
export const openFds = (): number => readdirSync('/proc/self/fd').length;

/** A UDP socket bound to an ephemeral port on `address`. */
export const bound = (type: 'udp4' | 'udp6', address: string): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = createSocket(type);
    socket.once('error', reject);
    socket.bind(0, address, () => resolve(socket));
  });

/** Resolves once `socket` is closed. */
export const closed = (socket: Socket): Promise<void> =>
  new Promise((resolve) => socket.close(() => resolve()));

/** Resolves once `check()` holds, polling every 5 ms; throws after `ms`. */
export const until = async (check: () => boolean, ms = 2000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** Closes every socket in `sockets` and empties it (for an afterEach). */
export const closeAll = async (sockets: Socket[]): Promise<void> => {
  for (const socket of sockets.splice(0)) await closed(socket).catch(() => undefined);
};
