import { Redis } from 'ioredis';
import type { WindowCounter } from '../../modules/accounts/login-limiter';
import type { ClusterBus, ClusterMessage } from '../../modules/cluster/cluster-bus';
import { parseClusterMessage } from '../../modules/cluster/cluster-bus';
import type { AttemptRecord, AttemptStore } from '../../modules/limits/attempt-store';

/**
 * Redis for what several nodes must share (issue 19, DESIGN.md §7): failed-attempt counts
 * (passcodes, /ws abuse), sign-in windows, and the cross-node event channel. Every key and the
 * channel start with `prefix`, so several deployments (or test runs) can share one Redis.
 */
export interface RedisParts {
  attempts: AttemptStore;
  loginWindows: WindowCounter;
  bus: ClusterBus;
  close(): Promise<void>;
}

export async function openRedis(url: string, prefix = 'conclave:'): Promise<RedisParts> {
  const client = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: true });
  client.on('error', () => undefined); // reconnects by itself; commands fail meanwhile
  await client.connect();
  const bus = new RedisBus(client, `${prefix}cluster`);
  await bus.ready;
  return {
    attempts: new RedisAttemptStore(client, `${prefix}attempts:`),
    loginWindows: new RedisWindowCounter(client, `${prefix}window:`),
    bus,
    async close() {
      await bus.close();
      client.disconnect();
    },
  };
}

/** Failed attempts as a hash per key, updated in one MULTI so two nodes never lose a count. */
export class RedisAttemptStore implements AttemptStore {
  constructor(
    readonly client: Redis,
    readonly prefix: string,
  ) {}

  async get(key: string): Promise<AttemptRecord | undefined> {
    const h = await this.client.hgetall(this.prefix + key);
    if (!h.failures) return undefined;
    return { failures: Number(h.failures), lastFailureAt: Number(h.last) };
  }

  async addFailure(key: string, at: number, forgetAfterMs: number): Promise<AttemptRecord> {
    const k = this.prefix + key;
    const res = await this.client
      .multi()
      .hincrby(k, 'failures', 1)
      .hset(k, 'last', at)
      .pexpire(k, forgetAfterMs)
      .exec();
    const failures = Number(res?.[0]?.[1] ?? 1);
    return { failures, lastFailureAt: at };
  }
}

/** A fixed window: the first count creates the key with its expiry, later ones add to it. */
export class RedisWindowCounter implements WindowCounter {
  constructor(
    readonly client: Redis,
    readonly prefix: string,
  ) {}

  async increment(key: string, windowMs: number): Promise<number> {
    const k = this.prefix + key;
    const res = await this.client.multi().set(k, 0, 'PX', windowMs, 'NX').incr(k).exec();
    return Number(res?.[1]?.[1] ?? 1);
  }
}

/** Redis pub/sub on one channel; a subscriber connection of its own (Redis requires it). */
export class RedisBus implements ClusterBus {
  readonly #pub: Redis;
  readonly #sub: Redis;
  readonly #channel: string;
  readonly #handlers: ((m: ClusterMessage) => void)[] = [];
  readonly ready: Promise<unknown>;

  constructor(client: Redis, channel: string) {
    this.#pub = client;
    this.#channel = channel;
    this.#sub = client.duplicate();
    this.#sub.on('error', () => undefined);
    this.#sub.on('message', (ch: string, text: string) => {
      if (ch !== this.#channel) return;
      const m = parseClusterMessage(text);
      if (m) for (const h of this.#handlers) h(m);
    });
    this.ready = this.#sub.subscribe(channel);
  }

  async publish(message: ClusterMessage): Promise<void> {
    await this.#pub.publish(this.#channel, JSON.stringify(message));
  }

  subscribe(handler: (message: ClusterMessage) => void): void {
    this.#handlers.push(handler);
  }

  async close(): Promise<void> {
    this.#sub.disconnect();
    return Promise.resolve();
  }
}
