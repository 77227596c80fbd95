/**
 * Conclave's SFU in a process of its own for bench/sfu-forwarding.bench.ts, so its CPU time and
 * resident memory are measured from /proc like Janus's: one MediaWorker, one router; every
 * subscriber consumes every producer.
 */
import { MediaWorker, type Producer, type Router, type Transport } from '@conclave/sfu';
import { serve, type HostRequest } from './sfu-ipc';

let worker: MediaWorker | undefined;
let router: Router | undefined;
const producers: Producer[] = [];
const subscribers: Transport[] = [];

const getRouter = async (): Promise<Router> => {
  worker ??= await MediaWorker.create({
    iceServers: [],
    iceAdditionalHostAddresses: ['127.0.0.1'],
  });
  router ??= await worker.createRouter();
  return router;
};

serve<HostRequest>(async (request) => {
  switch (request.kind) {
    case 'publish': {
      const r = await getRouter();
      const answers: string[] = [];
      for (const offer of request.offers) {
        const transport = await r.createTransport({ direction: 'publish' });
        transport.on('producer', (p) => producers.push(p));
        answers.push(await transport.handleOffer(offer));
      }
      return { answers };
    }
    case 'subscribe': {
      const r = await getRouter();
      const offers: string[] = [];
      for (let i = 0; i < request.subscribers; i++) {
        const transport = await r.createTransport({ direction: 'subscribe' });
        for (const p of producers) await transport.consume(p.id);
        subscribers.push(transport);
        offers.push(await transport.createOffer());
      }
      return { offers };
    }
    case 'subscribeAnswers':
      await Promise.all(subscribers.map((t, i) => t.handleAnswer(request.answers[i]!)));
      return null;
    case 'exit':
      await worker?.close();
      setTimeout(() => process.exit(0), 50);
      return null;
  }
});
