import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';

/**
 * A round-robin TCP balancer for the cluster benchmark, standing in for the TLS proxy of README
 * "Running several nodes": each new connection goes to the next backend; a backend that refuses
 * (killed) is skipped, as a proxy's health check would.
 */
export async function startBalancer(
  backends: () => { host: string; port: number }[],
): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.pause();
    const list = backends();
    const tryAt = (i: number) => {
      if (i >= list.length) return client.destroy();
      const target = list[(next + i) % list.length]!;
      const upstream = createConnection(target);
      let connected = false;
      upstream.once('connect', () => {
        connected = true;
        next = (next + i + 1) % list.length;
        open.add(upstream);
        upstream.on('close', () => open.delete(upstream));
        client.pipe(upstream).pipe(client);
        client.resume();
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.on('close', () => upstream.destroy());
      });
      upstream.once('error', () => {
        if (!connected) tryAt(i + 1);
      });
    };
    tryAt(0);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}
