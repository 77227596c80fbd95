import type { Transport } from '@conclave/sfu';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { SubscriptionNegotiator } from './subscription-negotiator';

function fakeTransport() {
  let n = 0;
  const answers: string[] = [];
  const transport = {
    createOffer: async () => `offer-${++n}`,
    handleAnswer: async (sdp: string) => {
      answers.push(sdp);
    },
  } as unknown as Transport;
  return { transport, answers };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('SubscriptionNegotiator', () => {
  it('keeps one offer in flight and coalesces changes into exactly one follow-up', async () => {
    const { transport, answers } = fakeTransport();
    const offers: string[] = [];
    const n = new SubscriptionNegotiator({
      transport,
      logger: pino({ level: 'silent' }),
      sendOffer: (sdp) => offers.push(sdp),
      describeTracks: () => [],
    });
    n.restart(); // the client is ready
    n.requestOffer();
    n.requestOffer();
    n.requestOffer();
    await tick();
    expect(offers).toEqual(['offer-1']);
    await n.handleAnswer('answer-1');
    await tick();
    expect(answers).toEqual(['answer-1']);
    expect(offers).toEqual(['offer-1', 'offer-2']);
    await n.handleAnswer('answer-2');
    await tick();
    expect(offers).toHaveLength(2);
    n.close();
  });

  it('sends nothing before the client says it is ready, then one offer for what piled up', async () => {
    const { transport } = fakeTransport();
    const offers: string[] = [];
    const n = new SubscriptionNegotiator({
      transport,
      logger: pino({ level: 'silent' }),
      sendOffer: (sdp) => offers.push(sdp),
      describeTracks: () => [],
    });
    n.requestOffer();
    n.requestOffer();
    await tick();
    expect(offers).toEqual([]);
    n.restart();
    await tick();
    expect(offers).toEqual(['offer-1']);
    n.close();
  });

  it('ignores an answer nobody asked for', async () => {
    const { transport, answers } = fakeTransport();
    const n = new SubscriptionNegotiator({
      transport,
      logger: pino({ level: 'silent' }),
      sendOffer: () => undefined,
      describeTracks: () => [],
    });
    await n.handleAnswer('stray');
    expect(answers).toEqual([]);
  });

  it('offers again when the answer does not come in time', async () => {
    const { transport } = fakeTransport();
    const offers: string[] = [];
    const n = new SubscriptionNegotiator({
      transport,
      logger: pino({ level: 'silent' }),
      sendOffer: (sdp) => offers.push(sdp),
      describeTracks: () => [],
      answerTimeoutMs: 20,
    });
    n.restart();
    n.requestOffer();
    await new Promise((r) => setTimeout(r, 60));
    expect(offers.length).toBeGreaterThanOrEqual(2);
    n.close();
  });
});
