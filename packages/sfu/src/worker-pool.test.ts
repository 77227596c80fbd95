import { afterEach, expect, it } from 'vitest';
import { WorkerPool } from './worker-pool';

let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
});

it('the pool spreads routers over the least-loaded workers', async () => {
  pool = await WorkerPool.create({ size: 2 });
  const a = await pool.createRouter();
  const b = await pool.createRouter();
  expect(pool.workers.map((w) => w.routerCount)).toEqual([1, 1]);
  a.close();
  expect(pool.pick().routerCount).toBe(0);
  const c = await pool.createRouter();
  expect(pool.workers.map((w) => w.routerCount)).toEqual([1, 1]);
  expect(b.closed || c.closed).toBe(false);
  const dumps = await Promise.all(pool.workers.map((w) => w.dump()));
  expect(dumps.map((d) => d.routers)).toEqual([1, 1]);
});
