import type { AuditEntryView } from '@conclave/protocol';

/** One line of the trail: an entry, or a run of views by the same person. */
export interface TrailRow {
  first: AuditEntryView;
  last: AuditEntryView;
  count: number;
  /** How many of each view action a folded run holds, e.g. request.viewed ×3, audit.viewed ×3. */
  actions: Map<string, number>;
}

const isView = (e: AuditEntryView) => e.action.endsWith('.viewed');

/**
 * Every open of the request page is audited (the request and its trail: `request.viewed`,
 * `audit.viewed`), so a reviewer at work leaves long runs of views between the changes. A run
 * of consecutive views by one person shows as one line, with the range of entry numbers and the
 * count of each kind; any other action always has its own line.
 */
export function groupViews(entries: readonly AuditEntryView[]): TrailRow[] {
  const rows: TrailRow[] = [];
  for (const e of entries) {
    const prev = rows.at(-1);
    if (
      prev &&
      isView(e) &&
      isView(prev.last) &&
      prev.last.actorKind === e.actorKind &&
      prev.last.actorId === e.actorId
    ) {
      prev.last = e;
      prev.count++;
      prev.actions.set(e.action, (prev.actions.get(e.action) ?? 0) + 1);
    } else rows.push({ first: e, last: e, count: 1, actions: new Map([[e.action, 1]]) });
  }
  return rows;
}

/** "request.viewed" for one entry; "request.viewed ×3, audit.viewed ×2" for a folded run. */
export function rowAction(r: TrailRow): string {
  if (r.count === 1) return r.first.action;
  return [...r.actions].map(([a, n]) => `${a} ×${n}`).join(', ');
}
