import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../legal/audit-chain';
import type { CountedFacts } from '../legal/counted-facts';
import { parsePeriod } from './period';
import { changedSinceHead, compareStoredWithLog, replayCountedFacts } from './log-replay';

const facts = (id: string, over: Partial<CountedFacts> = {}): CountedFacts => ({
  id,
  receivedAt: '2026-03-01T00:00:00.000Z',
  type: 'subpoena',
  country: 'US',
  originCountry: null,
  emergency: false,
  nationalSecurity: false,
  accountsSpecified: 1,
  ndo: false,
  status: 'in_review',
  outcome: null,
  ...over,
});

let seq = 0;
const entry = (detail: unknown): AuditEntry => ({
  seq: ++seq,
  at: '2026-03-01T00:00:00.000Z',
  actorKind: 'system',
  actorId: 'test',
  action: 'x',
  entity: 'request',
  entityId: 'x',
  requestId: null,
  detail: JSON.stringify(detail),
  prevHash: '',
  hash: '',
});

describe('replaying counted facts from the audit log', () => {
  it('keeps each request as of the head and as of the end, imports included', async () => {
    seq = 0;
    const log = [
      entry({ counted: facts('a') }),
      entry({
        rows: 2,
        counted: [facts('b', { status: 'closed', outcome: 'rejected' }), facts('c')],
      }),
      entry({ note: 'no facts here' }),
      entry({ counted: facts('a', { status: 'closed', outcome: 'no_data' }) }),
    ];
    const r = await replayCountedFacts(log, 3);
    expect([...r.atHead.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(r.atHead.get('a')?.outcome).toBeNull();
    expect(r.latest.get('a')?.outcome).toBe('no_data');
    expect(r.unreadable).toEqual([]);
    expect(changedSinceHead(r, parsePeriod('2026-H1'))).toEqual(['a']);
    expect(changedSinceHead(r, parsePeriod('2026-H2'))).toEqual([]);
    const onlyA = await replayCountedFacts(log, 3, (f) => f.id === 'a');
    expect([...onlyA.latest.keys(), ...onlyA.atHead.keys()]).toEqual(['a', 'a']);
  });

  it('reports counted facts it cannot read instead of skipping them', async () => {
    seq = 0;
    const r = await replayCountedFacts([entry({ counted: { ...facts('a'), country: 'usa' } })], 1);
    expect(r.unreadable).toHaveLength(1);
    expect(r.unreadable[0]!.seq).toBe(1);
    expect(r.latest.size).toBe(0);
  });

  it('names each stored field that differs from the log, and requests on one side only', () => {
    const log = [facts('a'), facts('b'), facts('d')];
    const stored = [facts('a'), facts('b', { outcome: 'content_disclosed' }), facts('c')];
    expect(compareStoredWithLog(stored, log)).toEqual([
      { requestId: 'b', field: 'outcome', log: null, stored: 'content_disclosed' },
      { requestId: 'c', field: 'request', log: 'not recorded', stored: 'present' },
      { requestId: 'd', field: 'request', log: 'recorded', stored: 'missing' },
    ]);
  });
});
