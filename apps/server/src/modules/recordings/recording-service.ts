import { randomUUID } from 'node:crypto';
import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConclaveError, PLANS } from '@conclave/protocol';
import type {
  MeetingId,
  RecordingFileKind,
  RecordingSettings,
  RecordingView,
} from '@conclave/protocol';
import type { Logger } from '../../logger';
import type { AccountStore } from '../accounts/account-store';
import type { AdminAuditStore } from '../accounts/audit-store';
import type { UserRecord } from '../accounts/user-store';
import type { MeetingStore } from '../meetings/meeting-store';
import { CompositionQueue } from './composition-queue';
import { LiveRecording } from './live-recording';
import type { RecordingRecord, RecordingStore } from './recording-store';

const DAY = 86_400_000;
const ADMIN_ROLES = new Set(['owner', 'admin']);

export interface RecordingServiceDeps {
  store: RecordingStore;
  audit: AdminAuditStore;
  accounts: AccountStore;
  meetings: MeetingStore;
  /** `<dataDir>/recordings`. */
  dir: string;
  /**
   * Several nodes: whether another live node runs the meeting now, so its recording at start-up
   * is not one a crash cut (default: never).
   */
  runningElsewhere?: (meetingId: MeetingId) => Promise<boolean>;
  /** Derived from the server secret key (sealed-file.ts recordingKey). */
  key: Buffer;
  clock: () => Date;
  logger: Logger;
  ffmpegPath?: string;
  /** This node's id: with several nodes, the one composing a recording claims it (default: local). */
  nodeId?: string;
  /** How long a composition claim holds without renewal (tests shorten it). */
  compositionClaimTtlMs?: number;
}

export interface Availability {
  available: boolean;
  reason: string | null;
}

/** Who is asking: a signed-in account user. */
export type Caller = Pick<UserRecord, 'id' | 'accountId' | 'role'>;

/**
 * Cloud recordings and their custody (DESIGN.md §8): who may record (plan + admin), the live
 * recording, composition after the meeting, who may see, download and delete, retention, and
 * preservation holds. Every deletion leaves an audit entry and a tombstone row.
 */
export class RecordingService {
  readonly #d: RecordingServiceDeps;
  readonly #queue: CompositionQueue;
  #sweepTimer: NodeJS.Timeout | undefined;
  /** The admin changed the account's recording settings (running meetings re-read them). */
  onSettingsChanged: (accountId: string) => void = () => undefined;
  #sweeping: Promise<void> | undefined;

  constructor(deps: RecordingServiceDeps) {
    this.#d = deps;
    this.#queue = new CompositionQueue({
      store: deps.store,
      key: deps.key,
      dir: deps.dir,
      logger: deps.logger,
      now: deps.clock,
      nodeId: deps.nodeId ?? 'local',
      ...(deps.ffmpegPath ? { ffmpegPath: deps.ffmpegPath } : {}),
      ...(deps.compositionClaimTtlMs ? { claimTtlMs: deps.compositionClaimTtlMs } : {}),
    });
  }

  // ---- recording a meeting

  async availability(meetingId: MeetingId): Promise<Availability & { accountId?: string }> {
    const meeting = await this.#d.meetings.findById(meetingId);
    if (!meeting?.accountId)
      return {
        available: false,
        reason: 'Cloud recording needs a meeting scheduled from an account whose plan includes it.',
      };
    const account = await this.#d.accounts.findAccount(meeting.accountId);
    if (!account || !PLANS[account.plan].cloudRecording)
      return {
        available: false,
        reason:
          'Cloud recording is not available with your subscription. Check with your account admin.',
      };
    const settings = await this.#d.store.settings(account.id);
    if (!settings.allowCloudRecording)
      return {
        available: false,
        reason: 'Your account admin has not allowed cloud recording.',
      };
    return { available: true, reason: null, accountId: account.id };
  }

  /** Starts a recording of the meeting (the caller checked the host role and E2EE). */
  async begin(meetingId: MeetingId, startedByName: string): Promise<LiveRecording> {
    const a = await this.availability(meetingId);
    if (!a.available || !a.accountId)
      throw new ConclaveError('RECORDING_UNAVAILABLE', a.reason ?? undefined);
    const meeting = await this.#d.meetings.findById(meetingId);
    const account = await this.#d.accounts.findAccount(a.accountId);
    const id = randomUUID();
    const startedAt = this.#d.clock();
    await this.#d.store.insert({
      id,
      accountId: a.accountId,
      meetingId,
      ownerUserId: meeting?.ownerUserId ?? null,
      startedByName,
      startedAt,
      endedAt: null,
      status: 'recording',
      interrupted: false,
      stopReason: null,
      progress: 0,
      error: null,
      durationMs: 0,
      deletedAt: null,
      deletedBy: null,
      deletionAuditSeq: null,
    });
    return new LiveRecording(id, startedAt, {
      store: this.#d.store,
      key: this.#d.key,
      dir: join(this.#d.dir, id),
      logger: this.#d.logger.child({ recordingId: id }),
      now: this.#d.clock,
      saveTranscript: account ? PLANS[account.plan].cloudTranscripts : false,
      onFinished: (rid) => this.#queue.enqueue(rid),
    });
  }

  /**
   * Start-up: a recording still "recording" was cut by a crash (kill -9, power loss). Its files
   * hold everything sealed before that; it is marked interrupted and composed from them. A
   * composition cut the same way runs again.
   */
  async recover(): Promise<number> {
    const cut = [];
    for (const r of await this.#d.store.listByStatus('recording'))
      if (!(await this.#d.runningElsewhere?.(r.meetingId))) cut.push(r);
    for (const r of cut) {
      const durationMs = r.durationMs ?? 0;
      await this.#d.store.update(r.id, {
        status: 'composing',
        interrupted: true,
        endedAt: new Date(r.startedAt.getTime() + durationMs),
        stopReason: 'The server stopped while recording; the recording holds what was saved.',
      });
      this.#queue.enqueue(r.id);
    }
    for (const r of await this.#d.store.listByStatus('composing'))
      if (!cut.some((c) => c.id === r.id)) this.#queue.enqueue(r.id);
    return cut.length;
  }

  /**
   * Several nodes: this node just took over the meeting (its previous node died), so a recording
   * of it still "recording" was cut by that crash: finish it the same way as at start-up. Its
   * files are in the recordings directory every node shares.
   */
  async recoverMeeting(meetingId: MeetingId): Promise<number> {
    let n = 0;
    for (const r of await this.#d.store.listByStatus('recording')) {
      if (r.meetingId !== meetingId) continue;
      await this.#d.store.update(r.id, {
        status: 'composing',
        interrupted: true,
        endedAt: new Date(r.startedAt.getTime() + (r.durationMs ?? 0)),
        stopReason: 'The server running the meeting stopped; the recording holds what was saved.',
      });
      this.#queue.enqueue(r.id);
      n++;
    }
    return n;
  }

  /** Resolves when no composition is queued or running (tests and the benchmark). */
  compositionIdle(): Promise<void> {
    return this.#queue.idle();
  }

  // ---- what users see

  async listMine(caller: Caller): Promise<RecordingView[]> {
    return Promise.all((await this.#d.store.listForOwner(caller.id)).map((r) => this.#view(r)));
  }

  /** Account owners and admins: every recording of the account. */
  async listAccount(caller: Caller): Promise<RecordingView[]> {
    if (!ADMIN_ROLES.has(caller.role)) throw new ConclaveError('FORBIDDEN');
    return Promise.all(
      (await this.#d.store.listForAccount(caller.accountId)).map((r) => this.#view(r)),
    );
  }

  async get(caller: Caller, id: string): Promise<RecordingView> {
    return this.#view(await this.#authorized(caller, id));
  }

  /** The sealed file of one output (the route streams it, opened, with ranges). */
  async file(
    caller: Caller,
    id: string,
    kind: RecordingFileKind,
  ): Promise<{ path: string; bytes: number; sha256: string; name: string }> {
    const r = await this.#authorized(caller, id);
    const file = (await this.#d.store.files(id)).find((f) => f.kind === kind);
    if (!file) {
      if (kind !== 'transcript' && r.status !== 'ready')
        throw new ConclaveError('RECORDING_NOT_READY');
      throw new ConclaveError('RECORDING_NOT_FOUND', 'This recording has no such file.');
    }
    const path = join(this.#d.dir, file.path);
    // Before any header is sent: a file this node cannot see (several nodes without a shared
    // recordings directory, or a directory restored without it) is a clear 404, not a cut stream.
    try {
      await access(path);
    } catch {
      this.#d.logger.warn({ recordingId: id, kind }, 'recording file missing on this node');
      throw new ConclaveError(
        'RECORDING_NOT_FOUND',
        "This recording's file is not in this server's recordings directory. With several nodes, every node must share it (README, Running several nodes).",
      );
    }
    const ext = kind === 'transcript' ? 'txt' : 'webm';
    const day = r.startedAt.toISOString().slice(0, 10);
    return {
      path,
      bytes: file.bytes,
      sha256: file.sha256,
      name: `meeting-${r.meetingId}-${day}-${kind}.${ext}`,
    };
  }

  /** The owner, a co-host of the meeting, or an admin of the account deletes it (audited). */
  async delete(caller: Caller, id: string): Promise<void> {
    const r = await this.#authorized(caller, id);
    if (r.status === 'recording')
      throw new ConclaveError('RECORDING_NOT_READY', 'Stop the recording before deleting it.');
    await this.#erase(r, caller.id, 'recording.deleted');
  }

  async #authorized(caller: Caller, id: string): Promise<RecordingRecord> {
    const r = await this.#d.store.find(id);
    // Someone else's recording is indistinguishable from none (no probing across accounts).
    if (!r || r.deletedAt || r.accountId !== caller.accountId)
      throw new ConclaveError('RECORDING_NOT_FOUND');
    if (r.ownerUserId === caller.id || ADMIN_ROLES.has(caller.role)) return r;
    if ((await this.#d.meetings.cohosts(r.meetingId)).includes(caller.id)) return r;
    throw new ConclaveError('RECORDING_NOT_FOUND');
  }

  async #erase(r: RecordingRecord, actor: string | null, action: string): Promise<void> {
    const files = await this.#d.store.files(r.id);
    const at = this.#d.clock();
    const seq = await this.#d.audit.append({
      accountId: r.accountId,
      actorUserId: actor,
      action,
      target: r.id,
      detail: {
        meetingId: r.meetingId,
        startedAt: r.startedAt.toISOString(),
        files: files
          .filter((f) => f.kind !== 'track')
          .map((f) => ({
            kind: f.kind,
            bytes: f.bytes,
            sha256: f.sha256,
          })),
      },
      at,
    });
    await rm(join(this.#d.dir, r.id), { recursive: true, force: true });
    await this.#d.store.deleteFiles(r.id);
    await this.#d.store.update(r.id, {
      deletedAt: at,
      deletedBy: actor ?? 'retention',
      deletionAuditSeq: seq,
    });
  }

  async #view(r: RecordingRecord): Promise<RecordingView> {
    const [files, settings, holds] = await Promise.all([
      this.#d.store.files(r.id),
      this.#d.store.settings(r.accountId),
      this.#d.store.activeHolds(r.id),
    ]);
    const held = holds.length > 0;
    const deleteAfter =
      held || settings.retentionDays === null || !r.endedAt
        ? null
        : new Date(r.endedAt.getTime() + settings.retentionDays * DAY).toISOString();
    const meeting = await this.#d.meetings.findById(r.meetingId);
    return {
      id: r.id,
      meetingId: r.meetingId,
      meetingTitle: meeting?.title ?? null,
      ownerUserId: r.ownerUserId,
      startedByName: r.startedByName,
      startedAt: r.startedAt.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
      durationSeconds: r.durationMs === null ? null : Math.round(r.durationMs / 1000),
      status: r.status,
      interrupted: r.interrupted,
      stopReason: r.stopReason,
      progress: r.progress,
      error: r.error,
      files: files
        .filter((f) => f.kind !== 'track')
        .map((f) => ({ kind: f.kind as RecordingFileKind, bytes: f.bytes, sha256: f.sha256 })),
      deleteAfter,
      held,
    };
  }

  // ---- account settings

  async settings(accountId: string) {
    const account = await this.#d.accounts.findAccount(accountId);
    const plan = PLANS[account?.plan ?? 'basic'];
    return {
      ...(await this.#d.store.settings(accountId)),
      planIncludesCloudRecording: plan.cloudRecording,
      planIncludesCloudTranscripts: plan.cloudTranscripts,
    };
  }

  async saveSettings(caller: Caller, patch: Partial<RecordingSettings>) {
    if (!ADMIN_ROLES.has(caller.role)) throw new ConclaveError('FORBIDDEN');
    const before = await this.#d.store.settings(caller.accountId);
    const next = { ...before, ...patch };
    await this.#d.store.saveSettings(caller.accountId, next);
    await this.#d.audit.append({
      accountId: caller.accountId,
      actorUserId: caller.id,
      action: 'recording.settings_changed',
      target: null,
      detail: { before, after: next },
      at: this.#d.clock(),
    });
    this.onSettingsChanged(caller.accountId);
    return this.settings(caller.accountId);
  }

  // ---- retention (run by the scheduler) and preservation

  /** Deletes every recording past its account's retention that no preservation request holds. */
  async sweepRetention(): Promise<string[]> {
    const now = this.#d.clock();
    const deleted: string[] = [];
    const settings = new Map<string, RecordingSettings>();
    for (const r of await this.#d.store.listEndedBefore(new Date(now.getTime() - 7 * DAY))) {
      if (!r.endedAt || r.status === 'recording' || r.status === 'composing') continue;
      let s = settings.get(r.accountId);
      if (!s) settings.set(r.accountId, (s = await this.#d.store.settings(r.accountId)));
      if (s.retentionDays === null) continue;
      if (r.endedAt.getTime() + s.retentionDays * DAY > now.getTime()) continue;
      if ((await this.#d.store.activeHolds(r.id)).length > 0) continue;
      await this.#erase(r, null, 'recording.retention_deleted');
      deleted.push(r.id);
    }
    return deleted;
  }

  /** Holds every recording of meetings the users own, for a preservation request. */
  async placeHolds(requestId: string, userIds: string[]): Promise<string[]> {
    const placedAt = this.#d.clock();
    const held: string[] = [];
    for (const userId of new Set(userIds))
      for (const r of await this.#d.store.listForOwner(userId)) {
        await this.#d.store.addHold({ recordingId: r.id, requestId, placedAt, releasedAt: null });
        held.push(r.id);
      }
    return held;
  }

  /** Releases a request's holds; retention applies again at the next sweep. */
  releaseHolds(requestId: string): Promise<string[]> {
    return this.#d.store.releaseHolds(requestId, this.#d.clock());
  }

  /** What is held for a user, for a production: live recordings with files, and deletions. */
  async custodyOf(userId: string) {
    const all = await this.#d.store.listForOwnerIncludingDeleted(userId);
    return Promise.all(
      all.map(async (r) => ({
        recordingId: r.id,
        meetingId: r.meetingId,
        startedAt: r.startedAt.toISOString(),
        endedAt: r.endedAt?.toISOString() ?? null,
        status: r.deletedAt ? ('deleted' as const) : r.status,
        files: r.deletedAt
          ? []
          : (await this.#d.store.files(r.id))
              .filter((f) => f.kind !== 'track')
              .map((f) => ({ kind: f.kind, bytes: f.bytes, sha256: f.sha256 })),
        deletedAt: r.deletedAt?.toISOString() ?? null,
        deletedBy: r.deletedBy,
        deletionAuditEntry: r.deletionAuditSeq,
        heldBy: (await this.#d.store.activeHolds(r.id)).map((h) => h.requestId),
      })),
    );
  }

  start(sweepIntervalMs: number): void {
    void this.recover().catch((err: unknown) =>
      this.#d.logger.error({ err }, 'recording recovery failed'),
    );
    this.#sweepTimer = setInterval(() => {
      this.#sweeping ??= this.sweepRetention()
        .then(() => undefined)
        .catch((err: unknown) => this.#d.logger.error({ err }, 'recording retention failed'))
        .finally(() => (this.#sweeping = undefined));
    }, sweepIntervalMs);
    this.#sweepTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#sweepTimer);
    await this.#sweeping;
    await this.#queue.stop();
  }
}
