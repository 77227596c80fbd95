import type { AuditEntryView } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import { groupViews, rowAction } from './audit-rows';

let seq = 0;
const e = (action: string, actorId = 'ann'): AuditEntryView => ({
  seq: ++seq,
  at: '2026-11-26T10:00:00.000Z',
  actorKind: 'user',
  actorId,
  action,
  entity: 'request',
  entityId: 'r1',
  detail: '{}',
  hash: `h${seq}`,
});

describe('audit trail rows', () => {
  it('folds consecutive views by one person, never other actions', () => {
    seq = 0;
    const rows = groupViews([
      e('request.viewed'),
      e('audit.viewed'),
      e('request.viewed'),
      e('decision.recorded'),
      e('decision.recorded'),
      e('request.viewed'),
      e('request.viewed', 'bob'),
      e('audit.viewed', 'bob'),
    ]);
    expect(rows.map((r) => [r.first.seq, r.last.seq, r.count, rowAction(r)])).toEqual([
      [1, 3, 3, 'request.viewed ×2, audit.viewed ×1'],
      [4, 4, 1, 'decision.recorded'],
      [5, 5, 1, 'decision.recorded'],
      [6, 6, 1, 'request.viewed'],
      [7, 8, 2, 'request.viewed ×1, audit.viewed ×1'],
    ]);
  });
});
