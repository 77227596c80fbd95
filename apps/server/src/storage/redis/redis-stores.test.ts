import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../modules/accounts/login-limiter';
import type { ClusterMessage } from '../../modules/cluster/cluster-bus';
import { parseClusterMessage } from '../../modules/cluster/cluster-bus';
import { AttemptLimiter } from '../../modules/limits/attempt-limiter';
import { openRedis } from './redis-stores';
import type { RedisParts } from './redis-stores';

// The Redis adapters several nodes share (issue 19), on a real Redis. Two "nodes" = two
// connections with the same prefix: what one counts, the other sees.
const REDIS = process.env.CONCLAVE_TEST_REDIS_URL;
if (!REDIS)
  console.warn(
    'redis stores: Redis SKIPPED (set CONCLAVE_TEST_REDIS_URL, e.g. redis://127.0.0.1:6379)',
  );

describe.runIf(REDIS)('Redis: shared counters and the cluster channel', () => {
  const prefix = `redis-test-${randomBytes(5).toString('hex')}:`;
  let one: RedisParts;
  let two: RedisParts;
  beforeAll(async () => {
    one = await openRedis(REDIS!, prefix);
    two = await openRedis(REDIS!, prefix);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
  });

  it('failed attempts counted on two connections add up, atomically, and are forgotten', async () => {
    const now = Date.now();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? one : two).attempts.addFailure('k1', now + i, 60_000),
      ),
    );
    expect(await one.attempts.get('k1')).toMatchObject({ failures: 20 });
    const limiter = new AttemptLimiter(two.attempts, {
      freeFailures: 2,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      forgetAfterMs: 150,
    });
    await limiter.fail('k2');
    await limiter.fail('k2');
    expect(await limiter.waitMs('k2')).toBe(0);
    expect(
      await new AttemptLimiter(one.attempts, {
        freeFailures: 2,
        baseDelayMs: 1000,
        maxDelayMs: 60_000,
        forgetAfterMs: 150,
      }).fail('k2'),
    ).toBeGreaterThan(900);
    await new Promise((r) => setTimeout(r, 250));
    expect(await one.attempts.get('k2')).toBeUndefined();
  });

  it('sign-in windows: 3 a minute over two nodes means 3 in total', async () => {
    const a = new LoginLimiter(3, one.loginWindows);
    const b = new LoginLimiter(3, two.loginWindows);
    const results = [
      await a.take('198.51.100.7'),
      await b.take('198.51.100.7'),
      await a.take('198.51.100.7'),
      await b.take('198.51.100.7'),
    ];
    expect(results).toEqual([true, true, true, false]);
    expect(await b.take('198.51.100.8')).toBe(true);
  });

  it('a message published by one node reaches every node; junk on the channel is ignored', async () => {
    const got: ClusterMessage[][] = [[], []];
    one.bus.subscribe((m) => got[0]!.push(m));
    two.bus.subscribe((m) => got[1]!.push(m));
    await one.bus.publish({ type: 'account.settings', accountId: 'acc-1' });
    const deadline = Date.now() + 2000;
    while ((got[0]!.length < 1 || got[1]!.length < 1) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([
      [{ type: 'account.settings', accountId: 'acc-1' }],
      [{ type: 'account.settings', accountId: 'acc-1' }],
    ]);
    expect(parseClusterMessage('{"type":"account.settings","accountId":5}')).toBeUndefined();
    expect(parseClusterMessage('{"type":"shutdown"}')).toBeUndefined();
    expect(parseClusterMessage('not json')).toBeUndefined();
  });
});
