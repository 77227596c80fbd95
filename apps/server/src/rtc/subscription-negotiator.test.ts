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
    const ids: string[] = [];
    const n = new SubscriptionNegotiator({
      transport,
      logger: pino({ level: 'silent' }),
      sendOffer: (sdp, _tracks, id) => {
        offers.push(sdp);
        ids.push(id);
      },
      describeTracks: () => [],
    });
    n.restart(); // the client is ready
    n.requestOffer();
    n.requestOffer();
    n.requestOffer();
    await tick();
    expect(offers).toEqual(['offer-1']);
    await n.handleAnswer('answer-1', ids[0]!);
    await tick();
    expect(answers).toEqual(['answer-1']);
    expect(offers).toEqual(['offer-1', 'offer-2']);
    await n.handleAnswer('answer-2', ids[1]!);
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

  it('refuses, unapplied, an answer nobody asked for', async () => {
    const { transport, answers } = fakeTransport();
    const n = new SubscriptionNegotiator({
      transport,
      logger: pino({ level: 'silent' }),
      sendOffer: () => undefined,
      describeTracks: () => [],
    });
    await expect(n.handleAnswer('stray', 'x-1')).rejects.toMatchObject({
      code: 'SUBSCRIBE_OFFER_REPLACED',
    });
    expect(answers).toEqual([]);
  });

  it('applies only the answer to the offer awaiting it: one for an earlier offer or another transport is refused', async () => {
    const { transport, answers } = fakeTransport();
    const make = (ids: string[]) =>
      new SubscriptionNegotiator({
        transport,
        logger: pino({ level: 'silent' }),
        sendOffer: (_sdp, _tracks, id) => ids.push(id),
        describeTracks: () => [],
        answerTimeoutMs: 20,
      });
    const oldIds: string[] = [];
    const ids: string[] = [];
    const replaced = make(oldIds);
    replaced.restart();
    replaced.requestOffer();
    await tick();
    replaced.close();
    const current = make(ids);
    current.restart();
    current.requestOffer();
    await tick();
    const [oldId, newId] = [oldIds[0]!, ids[0]!];
    expect(oldId).not.toBe(newId);
    // the answer the client made for the replaced transport's offer
    await expect(current.handleAnswer('answer-to-old', oldId)).rejects.toMatchObject({
      code: 'SUBSCRIBE_OFFER_REPLACED',
    });
    // the offer timed out and was made again: the answer to the first try is stale
    await new Promise((r) => setTimeout(r, 40));
    expect(ids.length).toBeGreaterThanOrEqual(2);
    await expect(current.handleAnswer('answer-to-timed-out', newId)).rejects.toMatchObject({
      code: 'SUBSCRIBE_OFFER_REPLACED',
    });
    expect(answers).toEqual([]);
    await current.handleAnswer('answer', ids.at(-1)!);
    expect(answers).toEqual(['answer']);
    current.close();
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
