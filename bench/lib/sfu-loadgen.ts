/**
 * Load generator child process for bench/sfu-forwarding.bench.ts: werift publishers and
 * subscribers (and, for the baseline, plain UDP senders/receivers). Runs in its own process so the
 * SFU host's CPU time is measured without the clients' cost.
 */
import { createSocket, type Socket } from 'node:dgram';
import { FakePublisher, FakeSubscriber } from '../../packages/sfu/src/testing/fake-participant';
import type { LoadCounters, LoadEnvelope, LoadReply, LoadResponse, LoadRequest } from './sfu-ipc';

const publishers: FakePublisher[] = [];
const subscribers: FakeSubscriber[] = [];
let sentRtp = 0;
let relaySent = 0;
let relayReceived = 0;
const relayReceivers: Socket[] = [];
const relaySenders: Socket[] = [];
const timers: NodeJS.Timeout[] = [];

const countersNow = (): LoadCounters => ({
  sent: sentRtp + relaySent,
  received: subscribers.reduce((sum, s) => sum + s.total(), 0) + relayReceived,
});

const every10ms = (pps: number, send: () => void): void => {
  if (pps <= 0) return;
  // paced by elapsed time, not tick count: timers drift under load
  const start = performance.now();
  let done = 0;
  timers.push(
    setInterval(() => {
      const due = Math.floor(((performance.now() - start) / 1000) * pps);
      while (done < due) {
        done++;
        send();
      }
    }, 10),
  );
};

const handle = async (request: LoadRequest): Promise<LoadResponse> => {
  switch (request.kind) {
    case 'publish': {
      const offers: string[] = [];
      for (let i = 0; i < request.publishers; i++) {
        const p = new FakePublisher();
        publishers.push(p);
        offers.push(await p.createOffer());
      }
      return { offers };
    }
    case 'publishAnswers':
      await Promise.all(request.answers.map((a, i) => publishers[i]!.handleAnswer(a)));
      return null;
    case 'subscribe': {
      const answers: string[] = [];
      for (const offer of request.offers) {
        const s = new FakeSubscriber();
        subscribers.push(s);
        answers.push(await s.handleOffer(offer));
      }
      return { answers };
    }
    case 'waitConnected':
      await Promise.all([...publishers, ...subscribers].map((x) => x.waitConnected(20_000)));
      return null;
    case 'start':
      for (const p of publishers) {
        every10ms(request.audioPps, () => {
          p.sendAudio();
          sentRtp++;
        });
        every10ms(request.videoPps, () => {
          p.sendVideo();
          sentRtp++;
        });
      }
      return null;
    case 'stop':
      for (const t of timers.splice(0)) clearInterval(t);
      return null;
    case 'counters':
      return countersNow();
    case 'relayPrepare': {
      // one receive socket per subscriber; the relay forwards every packet to each of them
      const ports: number[] = [];
      for (let i = 0; i < request.subscribers; i++) {
        const socket = createSocket('udp4');
        socket.on('message', () => relayReceived++);
        await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
        relayReceivers.push(socket);
        ports.push(socket.address().port);
      }
      for (let i = 0; i < request.publishers; i++) {
        const socket = createSocket('udp4');
        await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
        relaySenders.push(socket);
      }
      return { ports };
    }
    case 'relayStart': {
      const audio = Buffer.alloc(12 + 120, 0x5a);
      const video = Buffer.alloc(12 + 1100, 0x5a);
      for (const socket of relaySenders) {
        every10ms(request.audioPps, () => {
          socket.send(audio, request.relayPort, '127.0.0.1');
          relaySent++;
        });
        every10ms(request.videoPps, () => {
          socket.send(video, request.relayPort, '127.0.0.1');
          relaySent++;
        });
      }
      return null;
    }
    case 'exit':
      for (const socket of [...relayReceivers, ...relaySenders]) socket.close();
      await Promise.all([...publishers, ...subscribers].map((x) => x.close()));
      setTimeout(() => process.exit(0), 50);
      return null;
    default: {
      const unreachable: never = request;
      throw new Error(`unknown request ${JSON.stringify(unreachable)}`);
    }
  }
};

process.on('message', (envelope: LoadEnvelope) => {
  handle(envelope.request).then(
    (result) => process.send!({ id: envelope.id, result } satisfies LoadReply),
    (err: unknown) => process.send!({ id: envelope.id, error: String(err) } satisfies LoadReply),
  );
});
