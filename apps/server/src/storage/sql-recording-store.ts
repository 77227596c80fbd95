import { recordingStatusSchema, retentionDaysSchema } from '@conclave/protocol';
import type { MeetingId, RecordingSettings } from '@conclave/protocol';
import type { Kysely, Selectable } from 'kysely';
import type {
  RecordingFileRecord,
  RecordingHold,
  RecordingPatch,
  RecordingRecord,
  RecordingStore,
  StoredFileKind,
} from '../modules/recordings/recording-store';
import { DEFAULT_RECORDING_SETTINGS } from '../modules/recordings/recording-store';
import type { Database, RecordingFilesTable, RecordingsTable } from './schema';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

export class SqlRecordingStore implements RecordingStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(r: RecordingRecord): Promise<void> {
    await this.#db
      .insertInto('recordings')
      .values({
        id: r.id,
        account_id: r.accountId,
        meeting_id: r.meetingId,
        owner_user_id: r.ownerUserId,
        started_by_name: r.startedByName,
        started_at: r.startedAt.toISOString(),
        ended_at: iso(r.endedAt),
        status: r.status,
        interrupted: r.interrupted ? 1 : 0,
        stop_reason: r.stopReason,
        progress: r.progress,
        error: r.error,
        duration_ms: r.durationMs,
        deleted_at: iso(r.deletedAt),
        deleted_by: r.deletedBy,
        deletion_audit_seq: r.deletionAuditSeq,
      })
      .execute();
  }

  async update(id: string, p: RecordingPatch): Promise<void> {
    const set: Partial<RecordingsTable> = {};
    if (p.endedAt !== undefined) set.ended_at = iso(p.endedAt);
    if (p.status !== undefined) set.status = p.status;
    if (p.interrupted !== undefined) set.interrupted = p.interrupted ? 1 : 0;
    if (p.stopReason !== undefined) set.stop_reason = p.stopReason;
    if (p.progress !== undefined) set.progress = p.progress;
    if (p.error !== undefined) set.error = p.error?.slice(0, 500) ?? null;
    if (p.durationMs !== undefined) set.duration_ms = p.durationMs;
    if (p.deletedAt !== undefined) set.deleted_at = iso(p.deletedAt);
    if (p.deletedBy !== undefined) set.deleted_by = p.deletedBy;
    if (p.deletionAuditSeq !== undefined) set.deletion_audit_seq = p.deletionAuditSeq;
    if (Object.keys(set).length === 0) return;
    await this.#db.updateTable('recordings').set(set).where('id', '=', id).execute();
  }

  async find(id: string): Promise<RecordingRecord | undefined> {
    const row = await this.#db
      .selectFrom('recordings')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRecording(row) : undefined;
  }

  async listForOwner(userId: string): Promise<RecordingRecord[]> {
    const rows = await this.#db
      .selectFrom('recordings')
      .selectAll()
      .where('owner_user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .orderBy('started_at', 'desc')
      .limit(500)
      .execute();
    return rows.map(toRecording);
  }

  async listForAccount(accountId: string): Promise<RecordingRecord[]> {
    const rows = await this.#db
      .selectFrom('recordings')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('deleted_at', 'is', null)
      .orderBy('started_at', 'desc')
      .limit(1000)
      .execute();
    return rows.map(toRecording);
  }

  async listForOwnerIncludingDeleted(userId: string): Promise<RecordingRecord[]> {
    const rows = await this.#db
      .selectFrom('recordings')
      .selectAll()
      .where('owner_user_id', '=', userId)
      .orderBy('started_at', 'asc')
      .execute();
    return rows.map(toRecording);
  }

  async claimComposition(
    id: string,
    nodeId: string,
    nowMs: number,
    untilMs: number,
  ): Promise<boolean> {
    // One conditional update: of two nodes racing, exactly one changes the row.
    const result = await this.#db
      .updateTable('recordings')
      .set({ composer_node: nodeId, composer_until: untilMs })
      .where('id', '=', id)
      .where('status', '=', 'composing')
      .where((eb) =>
        eb.or([
          eb('composer_node', 'is', null),
          eb('composer_node', '=', nodeId),
          eb('composer_until', '<', nowMs),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async releaseComposition(id: string, nodeId: string): Promise<void> {
    await this.#db
      .updateTable('recordings')
      .set({ composer_node: null, composer_until: null })
      .where('id', '=', id)
      .where('composer_node', '=', nodeId)
      .execute();
  }

  async listByStatus(status: RecordingRecord['status']): Promise<RecordingRecord[]> {
    const rows = await this.#db
      .selectFrom('recordings')
      .selectAll()
      .where('status', '=', status)
      .where('deleted_at', 'is', null)
      .execute();
    return rows.map(toRecording);
  }

  async listEndedBefore(endedBefore: Date): Promise<RecordingRecord[]> {
    const rows = await this.#db
      .selectFrom('recordings')
      .selectAll()
      .where('deleted_at', 'is', null)
      .where('ended_at', 'is not', null)
      .where('ended_at', '<', endedBefore.toISOString())
      .execute();
    return rows.map(toRecording);
  }

  async insertFile(f: RecordingFileRecord): Promise<void> {
    await this.#db
      .insertInto('recording_files')
      .values({
        id: f.id,
        recording_id: f.recordingId,
        kind: f.kind,
        path: f.path,
        bytes: f.bytes,
        sha256: f.sha256,
        participant_id: f.participantId,
        participant_name: f.participantName,
        source: f.source,
        offset_ms: f.offsetMs,
        complete: f.complete ? 1 : 0,
        created_at: f.createdAt.toISOString(),
      })
      .execute();
  }

  async updateFile(
    id: string,
    p: Pick<RecordingFileRecord, 'bytes' | 'sha256' | 'complete'>,
  ): Promise<void> {
    await this.#db
      .updateTable('recording_files')
      .set({ bytes: p.bytes, sha256: p.sha256, complete: p.complete ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  async files(recordingId: string): Promise<RecordingFileRecord[]> {
    const rows = await this.#db
      .selectFrom('recording_files')
      .selectAll()
      .where('recording_id', '=', recordingId)
      .orderBy('created_at', 'asc')
      .execute();
    return rows.map(toFile);
  }

  async deleteFiles(recordingId: string): Promise<void> {
    await this.#db.deleteFrom('recording_files').where('recording_id', '=', recordingId).execute();
  }

  async deleteFile(id: string): Promise<void> {
    await this.#db.deleteFrom('recording_files').where('id', '=', id).execute();
  }

  async settings(accountId: string): Promise<RecordingSettings> {
    const row = await this.#db
      .selectFrom('account_recording_settings')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) return { ...DEFAULT_RECORDING_SETTINGS };
    return {
      allowCloudRecording: Number(row.allow_cloud_recording) === 1,
      retentionDays: retentionDaysSchema
        .catch(DEFAULT_RECORDING_SETTINGS.retentionDays)
        .parse(row.retention_days === null ? null : Number(row.retention_days)),
    };
  }

  async saveSettings(accountId: string, s: RecordingSettings): Promise<void> {
    const values = {
      allow_cloud_recording: s.allowCloudRecording ? 1 : 0,
      retention_days: s.retentionDays,
    };
    await this.#db
      .insertInto('account_recording_settings')
      .values({ account_id: accountId, ...values })
      .onConflict((oc) => oc.column('account_id').doUpdateSet(values))
      .execute();
  }

  async addHold(h: RecordingHold): Promise<void> {
    await this.#db
      .insertInto('recording_holds')
      .values({
        recording_id: h.recordingId,
        request_id: h.requestId,
        placed_at: h.placedAt.toISOString(),
        released_at: iso(h.releasedAt),
      })
      .onConflict((oc) =>
        oc.columns(['recording_id', 'request_id']).doUpdateSet({ released_at: null }),
      )
      .execute();
  }

  async releaseHolds(requestId: string, at: Date): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('recording_holds')
      .select('recording_id')
      .where('request_id', '=', requestId)
      .where('released_at', 'is', null)
      .execute();
    await this.#db
      .updateTable('recording_holds')
      .set({ released_at: at.toISOString() })
      .where('request_id', '=', requestId)
      .where('released_at', 'is', null)
      .execute();
    return rows.map((r) => r.recording_id);
  }

  async activeHolds(recordingId: string): Promise<RecordingHold[]> {
    const rows = await this.#db
      .selectFrom('recording_holds')
      .selectAll()
      .where('recording_id', '=', recordingId)
      .where('released_at', 'is', null)
      .execute();
    return rows.map((r) => ({
      recordingId: r.recording_id,
      requestId: r.request_id,
      placedAt: new Date(r.placed_at),
      releasedAt: date(r.released_at),
    }));
  }
}

function toRecording(row: Selectable<RecordingsTable>): RecordingRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    meetingId: row.meeting_id as MeetingId,
    ownerUserId: row.owner_user_id,
    startedByName: row.started_by_name,
    startedAt: new Date(row.started_at),
    endedAt: date(row.ended_at),
    status: recordingStatusSchema.catch('failed').parse(row.status),
    interrupted: Number(row.interrupted) === 1,
    stopReason: row.stop_reason,
    progress: Number(row.progress),
    error: row.error,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    deletedAt: date(row.deleted_at),
    deletedBy: row.deleted_by,
    deletionAuditSeq: row.deletion_audit_seq === null ? null : Number(row.deletion_audit_seq),
  };
}

const KINDS: StoredFileKind[] = ['track', 'video', 'audio', 'transcript'];
const SOURCES = ['microphone', 'camera', 'screen'] as const;

function toFile(row: Selectable<RecordingFilesTable>): RecordingFileRecord {
  return {
    id: row.id,
    recordingId: row.recording_id,
    kind: KINDS.find((k) => k === row.kind) ?? 'track',
    path: row.path,
    bytes: Number(row.bytes),
    sha256: row.sha256,
    participantId: row.participant_id,
    participantName: row.participant_name,
    source: SOURCES.find((s) => s === row.source) ?? null,
    offsetMs: Number(row.offset_ms),
    complete: Number(row.complete) === 1,
    createdAt: new Date(row.created_at),
  };
}
