import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { TurnBatching } from './turn-batching';

// Issue 18: frames a session sends in one turn of the event loop leave the server in one write,
// unchanged and in order.
describe('TurnBatching', () => {
  let server: WebSocketServer | undefined;
  afterEach(() => server?.close());

  /** A server-side socket and the frames its client receives. */
  async function pair(): Promise<{ socket: WebSocket; received: string[]; client: WebSocket }> {
    server = new WebSocketServer({ port: 0 });
    const accepted = new Promise<WebSocket>((resolve) => server!.once('connection', resolve));
    const { port } = server.address() as AddressInfo;
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    const received: string[] = [];
    client.on('message', (data: Buffer) => received.push(data.toString('utf8')));
    await new Promise((resolve) => client.once('open', resolve));
    return { socket: await accepted, received, client };
  }

  /** How many writes reach the server's TCP socket while `burst` sends in one turn. */
  async function writesFor(batched: boolean): Promise<{ writes: number; received: string[] }> {
    const { socket, received, client } = await pair();
    const raw = (socket as unknown as { _socket: Record<string, (...a: unknown[]) => unknown> })
      ._socket;
    let writes = 0;
    for (const name of ['_write', '_writev']) {
      const original = raw[name]!.bind(raw);
      raw[name] = (...args: unknown[]) => {
        writes++;
        return original(...args);
      };
    }
    const batching = new TurnBatching(socket);
    const frames = ['breakout.moved', 'e2ee.promote', 'breakout.state', 'e2ee.state'];
    for (const f of frames) {
      if (batched) batching.beforeSend();
      socket.send(f);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.close();
    server?.close();
    expect(received).toEqual(frames);
    return { writes, received };
  }

  it('sends one turn’s frames in one write, in order', async () => {
    expect((await writesFor(true)).writes).toBe(1);
  });

  it('without it the same frames take several writes (the check above can fail)', async () => {
    expect((await writesFor(false)).writes).toBeGreaterThan(1);
  });

  it('corks again in the next turn', async () => {
    const { socket, received, client } = await pair();
    const batching = new TurnBatching(socket);
    batching.beforeSend();
    socket.send('a');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual(['a']);
    batching.beforeSend();
    socket.send('b');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(received).toEqual(['a', 'b']);
    client.close();
  });
});
