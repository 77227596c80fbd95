import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import pino from 'pino';
import { expect, it } from 'vitest';
import { MailDispatcher, retryDelayMs } from '../modules/mail/mail-dispatcher';
import type { MailMessage } from '../modules/mail/mailer';
import type { Database } from './schema';
import { SqlOutboxStore } from './sql-outbox-store';

const t0 = new Date('2026-03-01T10:00:00.000Z');
const plus = (ms: number) => new Date(t0.getTime() + ms);

/** The mail queue (outbox table) on every dialect; run by store-contract.ts. */
export function mailQueueContract(get: () => { db: Kysely<Database> }): void {
  const queue = async (to: string, createdAt = t0) => {
    const store = new SqlOutboxStore(get().db);
    const id = randomUUID();
    await store.insertMessage({ id, accountId: null, to, subject: 'S', body: 'B', createdAt });
    return id;
  };
  /** Due rows for one recipient: the contract shares its database with other tests. */
  const dueFor = async (store: SqlOutboxStore, to: string, now: Date) =>
    (await store.listDue(now, new Date(0), 1000)).filter((m) => m.to === to);

  it('queued mail is due at once, with no attempts and no error', async () => {
    const to = `${randomUUID()}@queue.test`;
    const id = await queue(to);
    const store = new SqlOutboxStore(get().db);
    expect(await dueFor(store, to, t0)).toEqual([
      expect.objectContaining({ id, attempts: 0, lastError: null, sentAt: null, body: 'B' }),
    ]);
    expect(await dueFor(store, to, plus(-1))).toEqual([]);
  });

  it('of two store instances claiming the same due mail, exactly one wins', async () => {
    const to = `${randomUUID()}@queue.test`;
    await queue(to);
    const a = new SqlOutboxStore(get().db);
    const b = new SqlOutboxStore(get().db);
    const [seenA] = await dueFor(a, to, t0);
    const [seenB] = await dueFor(b, to, t0);
    const wins = await Promise.all([
      a.claim(seenA!, plus(300_000)),
      b.claim(seenB!, plus(300_000)),
    ]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    const row = await a.findQueued(seenA!.id);
    expect(row).toMatchObject({ attempts: 1, nextAttemptAt: plus(300_000) });
    // Claimed: not due again before the lease ends.
    expect(await dueFor(a, to, plus(299_999))).toEqual([]);
  });

  it('failed attempts back off 30 s doubling up to 1 h, are logged without the mail, and mail past the age limit is kept with its error', async () => {
    expect([1, 2, 3, 4, 7, 8, 20].map(retryDelayMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
    const to = `${randomUUID()}@queue.test`;
    const id = await queue(to);
    const store = new SqlOutboxStore(get().db);
    let now = t0;
    const logLines: string[] = [];
    const failing = new MailDispatcher({
      store: {
        ...bind(store),
        // Only this test's mail: other tests share the table.
        listDue: async (n, nb, l) => (await store.listDue(n, nb, l)).filter((m) => m.to === to),
      },
      transport: {
        send: () =>
          Promise.reject(Object.assign(new Error('secret body'), { code: 'ECONNREFUSED' })),
      },
      clock: () => now,
      giveUpAfterMs: 3 * 3_600_000,
      logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }),
    });
    const schedule: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await failing.tick();
      const row = (await store.findQueued(id))!;
      if (r.failed === 0) break;
      expect(row.lastError).toBe('ECONNREFUSED');
      if (!row.nextAttemptAt) break;
      schedule.push(row.nextAttemptAt.getTime() - now.getTime());
      now = row.nextAttemptAt;
    }
    expect(schedule).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000,
    ]);
    // The next wait would end past 3 h: the dispatcher gave up; the row stays, with its error.
    const kept = (await store.findQueued(id))!;
    expect(kept).toMatchObject({ sentAt: null, nextAttemptAt: null, lastError: 'ECONNREFUSED' });
    expect(kept.attempts).toBe(9);
    expect(logLines).toHaveLength(9);
    expect(logLines.join('')).toContain('ECONNREFUSED');
    for (const secret of ['secret body', to, '"B"'])
      expect(logLines.join('')).not.toContain(secret);
    expect(await dueFor(store, to, plus(10 * 3_600_000))).toEqual([]);
  });

  it('sent mail is marked sent, never due again and drops its body', async () => {
    const to = `${randomUUID()}@queue.test`;
    const id = await queue(to);
    const store = new SqlOutboxStore(get().db);
    const sent: MailMessage[] = [];
    const ok = new MailDispatcher({
      store: {
        ...bind(store),
        listDue: async (n, nb, l) => (await store.listDue(n, nb, l)).filter((m) => m.to === to),
      },
      transport: { send: (m) => Promise.resolve(void sent.push(m)) },
      clock: () => plus(1_000),
    });
    expect(await ok.tick()).toEqual({ sent: 1, failed: 0 });
    expect(await ok.tick()).toEqual({ sent: 0, failed: 0 });
    expect(sent).toEqual([{ accountId: null, to, subject: 'S', text: 'B' }]);
    expect(await store.findQueued(id)).toMatchObject({ sentAt: plus(1_000), body: '' });
    expect(await dueFor(store, to, plus(10 * 3_600_000))).toEqual([]);
  });
}

/** The store's methods as plain functions, so a test can override one. */
function bind(s: SqlOutboxStore) {
  return {
    insertMessage: s.insertMessage.bind(s),
    listMessages: s.listMessages.bind(s),
    listDue: s.listDue.bind(s),
    claim: s.claim.bind(s),
    markSent: s.markSent.bind(s),
    markFailed: s.markFailed.bind(s),
    findQueued: s.findQueued.bind(s),
  };
}
