/**
 * Load generator child process for bench/sfu-forwarding.bench.ts: werift publishers (synthetic
 * Opus 120 B + VP8 1100 B RTP) and subscribers. The same code drives Conclave's SFU and Janus; it
 * runs in its own process so the servers' CPU time excludes the clients' cost.
 */
import { FakePublisher, FakeSubscriber } from '../../packages/sfu/src/testing/fake-participant';
import { serve, type LoadCounters, type LoadRequest, type LoadResponse } from './sfu-ipc';

const publishers: FakePublisher[] = [];
const subscribers: FakeSubscriber[] = [];
let sentRtp = 0;
const timers: NodeJS.Timeout[] = [];

const countersNow = (): LoadCounters => ({
  sent: sentRtp,
  received: subscribers.reduce((sum, s) => sum + s.total(), 0),
  lost: subscribers.reduce((sum, s) => sum + s.lost, 0),
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

serve<LoadRequest>(async (request): Promise<LoadResponse> => {
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
        // accepts RTX (RFC 4588) when offered, as Chromium and Firefox do
        const s = new FakeSubscriber({ rtx: true });
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
    case 'exit':
      for (const t of timers.splice(0)) clearInterval(t);
      await Promise.all([...publishers, ...subscribers].map((x) => x.close().catch(() => {})));
      setTimeout(() => process.exit(0), 50);
      return null;
  }
});
