import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { LegalStore } from '../modules/legal/legal-store';
import type { TransparencyStore } from '../modules/transparency/transparency-store';
import { computeReport } from '../modules/transparency/counting';
import { FIXTURE } from '../modules/transparency/fixture';
import { parsePeriod } from '../modules/transparency/period';
import { requestRecord, requesterRecord } from './legal-store-contract';

const T = new Date('2031-02-01T00:00:00.000Z');

/** The transparency part of the storage contract (issue 8); its requests live in 2031. */
export function transparencyStoreContract(
  get: () => { store: TransparencyStore; legal: LegalStore },
): void {
  const requester = async () => {
    const { legal } = get();
    const agencyId = randomUUID();
    await legal.requesters.insertAgency({
      id: agencyId,
      name: 'Police',
      country: 'US',
      subdivision: null,
      level: 'federal',
      emailDomains: [`${agencyId.slice(0, 8)}.example.gov`],
      createdAt: T,
    });
    const id = randomUUID();
    await legal.requesters.insertRequester(
      requesterRecord(agencyId, `j@${agencyId.slice(0, 8)}.example.gov`, { id }),
    );
    return { agencyId, id };
  };

  it('transparency: reads the counted fields of requests received in [start, end) only', async () => {
    const { store, legal } = get();
    const q = await requester();
    const at = (iso: string, over = {}) =>
      legal.requests.insertRequest(
        requestRecord(q.id, q.agencyId, { receivedAt: new Date(iso), ...over }),
      );
    await at('2031-06-30T23:59:59.999Z', {
      type: 'mlat',
      originCountry: 'DE',
      isNationalSecurity: false,
      outcome: 'content_disclosed',
      status: 'released',
    });
    await at('2031-07-01T00:00:00.000Z');
    await at('2030-12-31T23:59:59.999Z');
    const rows = await store.requestsReceivedBetween(
      new Date('2031-01-01T00:00:00.000Z'),
      new Date('2031-07-01T00:00:00.000Z'),
    );
    expect(rows).toEqual([
      {
        receivedAt: new Date('2031-06-30T23:59:59.999Z'),
        type: 'mlat',
        country: 'US',
        originCountry: 'DE',
        isEmergency: false,
        isNationalSecurity: false,
        accountsSpecified: 2,
        hasNdo: true,
        status: 'released',
        outcome: 'content_disclosed',
      },
    ]);
  });

  it('transparency: a report computed from the grouped requests equals one computed row by row', async () => {
    const { store, legal } = get();
    const q = await requester();
    // The fixture moved to 2033 (its own years), every request stored twice so groups count 2.
    for (const f of [...FIXTURE, ...FIXTURE]) {
      const receivedAt = new Date(f.receivedAt);
      receivedAt.setUTCFullYear(receivedAt.getUTCFullYear() + 7);
      await legal.requests.insertRequest(
        requestRecord(q.id, q.agencyId, { ...f, isPreservation: false, receivedAt }),
      );
    }
    for (const id of ['2033-H1', '2033-H2']) {
      const p = parsePeriod(id);
      const rows = await store.requestsReceivedBetween(p.start, p.end);
      const groups = await store.reportGroupsBetween(p.start, p.end);
      expect(groups.length).toBeLessThan(rows.length);
      expect(groups.reduce((n, g) => n + (g.count ?? 1), 0)).toBe(rows.length);
      expect(computeReport(groups, p, 500, T)).toEqual(computeReport(rows, p, 500, T));
    }
  });

  it('transparency: snapshots are never overwritten; the latest version of each period is listed', async () => {
    const { store } = get();
    const snap = (period: string, version: number) => ({
      period,
      version,
      publishedAt: T.toISOString(),
      publishedBy: 'u',
      note: version > 1 ? 'fixed a count' : null,
      auditSeq: 3,
      auditHead: 'a'.repeat(64),
      data: { period, marker: version } as never,
    });
    expect(await store.insertSnapshot(snap('2031-H1', 1))).toBe(true);
    expect(await store.insertSnapshot({ ...snap('2031-H1', 1), note: 'x' })).toBe(false);
    expect(await store.insertSnapshot(snap('2031-H1', 2))).toBe(true);
    expect(await store.insertSnapshot(snap('2031-H2', 1))).toBe(true);
    const versions = await store.listVersions('2031-H1');
    expect(versions.map((v) => [v.version, v.note])).toEqual([
      [1, null],
      [2, 'fixed a count'],
    ]);
    expect(versions[0]).toEqual(snap('2031-H1', 1));
    const latest = (await store.listLatest()).filter((s) => s.period.startsWith('2031'));
    expect(latest.map((s) => [s.period, s.version])).toEqual([
      ['2031-H2', 1],
      ['2031-H1', 2],
    ]);
  });

  it('transparency: the guide text is upserted', async () => {
    const { store } = get();
    await store.setText('guide', '# One', T, 'u');
    await store.setText('guide', '# Two', T, 'u');
    expect((await store.getText('guide'))?.markdown).toBe('# Two');
  });

  it('transparency: a failed transaction leaves neither snapshot nor audit entry', async () => {
    const { store, legal } = get();
    const before = await legal.audit.head();
    await expect(
      store.transaction(async (tx, l) => {
        await tx.insertSnapshot({
          period: '2032-H1',
          version: 1,
          publishedAt: T.toISOString(),
          publishedBy: 'u',
          note: null,
          auditSeq: 0,
          auditHead: '0'.repeat(64),
          data: {} as never,
        });
        await l.audit.append({
          at: T,
          actorKind: 'user',
          actorId: 'u',
          action: 'report.published',
          entity: 'transparency_report',
          entityId: '2032-H1/v1',
          requestId: null,
          detail: {},
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.listVersions('2032-H1')).toEqual([]);
    expect(await legal.audit.head()).toEqual(before);
  });
}
