import { ConclaveError } from '@conclave/protocol';
import type {
  BandWidth,
  ReportData,
  ReportQuery,
  ReportView,
  SnapshotMeta,
  TrendPoint,
} from '@conclave/protocol';
import type { Actor } from '../legal/actor';
import { audit } from '../legal/actor';
import type { Clock } from '../legal/deadlines';
import { computeReport } from './counting';
import { DEFAULT_GUIDE } from './default-guide';
import { parsePeriod } from './period';
import type { SnapshotRecord, TransparencyStore } from './transparency-store';
import { filterReport, jurisdictionsOf, totalsOf } from './views';

/** Preview, publish, errata and the public reading side of transparency reports. */
export class TransparencyService {
  readonly #store: TransparencyStore;
  readonly #clock: Clock;

  constructor(d: { store: TransparencyStore; clock: Clock }) {
    this.#store = d.store;
    this.#clock = d.clock;
  }

  async #compute(store: TransparencyStore, periodId: string, bandWidth: BandWidth) {
    const period = parsePeriod(periodId);
    const rows = await store.reportGroupsBetween(period.start, period.end);
    return computeReport(rows, period, bandWidth, this.#clock());
  }

  /** What would be published now (nothing is stored). */
  async preview(periodId: string, bandWidth: BandWidth): Promise<ReportView> {
    const data = await this.#compute(this.#store, periodId, bandWidth);
    const versions = await this.#store.listVersions(periodId);
    return view(data, null, versions, {});
  }

  /** Version 1 of a period that has ended. */
  publish(actor: Actor, periodId: string, bandWidth: BandWidth): Promise<SnapshotMeta> {
    const period = parsePeriod(periodId);
    if (this.#clock() < period.end) throw new ConclaveError('TRANSPARENCY_PERIOD_OPEN');
    return this.#publishVersion(actor, periodId, 1, bandWidth, null);
  }

  /** A new version with a note; `expectedVersion` must be the newest one. */
  async errata(
    actor: Actor,
    periodId: string,
    expectedVersion: number,
    note: string,
    bandWidth?: BandWidth,
  ): Promise<SnapshotMeta> {
    parsePeriod(periodId);
    const versions = await this.#store.listVersions(periodId);
    const latest = versions.at(-1);
    if (!latest) throw new ConclaveError('TRANSPARENCY_NOT_PUBLISHED');
    if (latest.version !== expectedVersion) throw new ConclaveError('TRANSPARENCY_VERSION_STALE');
    return this.#publishVersion(
      actor,
      periodId,
      expectedVersion + 1,
      bandWidth ?? latest.data.nationalSecurity.bandWidth,
      note,
    );
  }

  #publishVersion(
    actor: Actor,
    periodId: string,
    version: number,
    bandWidth: BandWidth,
    note: string | null,
  ): Promise<SnapshotMeta> {
    return this.#store.transaction(async (tx, legal) => {
      const data = await this.#compute(tx, periodId, bandWidth);
      // The audit head the numbers were computed from, so anyone can re-check them later.
      const head = await legal.audit.head();
      const now = this.#clock();
      const snap: SnapshotRecord = {
        period: data.period,
        version,
        publishedAt: now.toISOString(),
        publishedBy: actor.id,
        note,
        auditSeq: head.seq,
        auditHead: head.hash,
        data,
      };
      if (!(await tx.insertSnapshot(snap)))
        throw new ConclaveError(
          version === 1 ? 'TRANSPARENCY_ALREADY_PUBLISHED' : 'TRANSPARENCY_VERSION_STALE',
        );
      const totals = totalsOf(data);
      await audit(
        legal,
        now,
        actor,
        version === 1 ? 'report.published' : 'report.errata',
        'transparency_report',
        `${data.period}/v${version}`,
        null,
        {
          period: data.period,
          version,
          note,
          auditSeq: head.seq,
          auditHead: head.hash,
          received: totals.received,
          bandWidth,
        },
      );
      return meta(snap);
    });
  }

  /** A published version (the newest by default), filtered. */
  async published(periodId: string, q: ReportQuery): Promise<ReportView> {
    parsePeriod(periodId);
    const versions = await this.#store.listVersions(periodId);
    const snap = q.version ? versions.find((v) => v.version === q.version) : versions.at(-1);
    if (!snap) throw new ConclaveError('TRANSPARENCY_NOT_PUBLISHED');
    return view(snap.data, snap, versions, q);
  }

  async trends(): Promise<TrendPoint[]> {
    const latest = await this.#store.listLatest();
    return latest.map((s) => {
      const t = totalsOf(s.data);
      return {
        period: s.period,
        version: s.version,
        received: t.received,
        someDataProduced: t.someDataProduced,
        percentSomeDataProduced: t.percentSomeDataProduced,
      };
    });
  }

  async guide(): Promise<{ markdown: string; updatedAt: string | null }> {
    const g = await this.#store.getText('guide');
    return g
      ? { markdown: g.markdown, updatedAt: g.updatedAt.toISOString() }
      : { markdown: DEFAULT_GUIDE, updatedAt: null };
  }

  async setGuide(actor: Actor, markdown: string): Promise<void> {
    await this.#store.transaction(async (tx, legal) => {
      const now = this.#clock();
      await tx.setText('guide', markdown, now, actor.id);
      await audit(legal, now, actor, 'guide.updated', 'transparency_guide', 'guide', null, {
        chars: markdown.length,
      });
    });
  }
}

function meta(s: SnapshotRecord): SnapshotMeta {
  const { data: _data, ...m } = s;
  return m;
}

function view(
  data: ReportData,
  snap: SnapshotRecord | null,
  versions: SnapshotRecord[],
  q: ReportQuery,
): ReportView {
  const filter = { jurisdiction: q.jurisdiction ?? null, type: q.type ?? null };
  const shown = filterReport(data, filter);
  return {
    snapshot: snap && meta(snap),
    filter,
    jurisdictions: jurisdictionsOf(data),
    data: shown,
    totals: totalsOf(shown),
    versions: versions.map((v) => ({
      version: v.version,
      publishedAt: v.publishedAt,
      note: v.note,
    })),
  };
}
