import type {
  Reaction,
  CaptionEntry,
  ChatMode,
  JoinResult,
  KeyPackageEntry,
  MeetingId,
  ParticipantId,
  PublishTrack,
  TileSize,
} from '@conclave/protocol';
import type { MediaWorker } from '@conclave/sfu';
import type { Logger } from '../logger';
import type { SignalingPeer } from '../signaling/peer';
import type { CommitRequest, RefusalReport } from './e2ee/delivery-service';
import type { OpenRequest } from './breakouts/breakout-manager';
import type { PrepareRequest, PrepareWelcome } from './e2ee/breakout-plans';
import type { SpeechRecognizer } from './captions/recognizer';
import type { MeetingRecorder } from './recording/recording-manager';
import type { JoinRequest } from './room';
import { Room } from './room';

/** What a signaling session may do once joined; bound to one participant of one room. */
export interface ParticipantHandle {
  readonly participantId: ParticipantId;
  leave(reason: 'left'): Promise<void>;
  disconnected(): void;
  setMediaState(audioMuted: boolean, videoMuted: boolean, screenSharing: boolean): Promise<null>;
  publish(sdp: string, tracks: PublishTrack[]): Promise<{ sdp: string }>;
  subscribeAnswer(sdp: string, offerId: string): Promise<null>;
  subscribeRestart(): null;
  subscribeReset(): Promise<null>;
  requestKeyFrames(scope: 'received' | 'own' | 'all'): Promise<null>;
  setTileSizes(tiles: TileSize[]): Promise<null>;
  hostMute(id: ParticipantId): Promise<null>;
  hostRemove(id: ParticipantId): Promise<null>;
  hostEnd(): Promise<null>;
  hostStopShare(id: ParticipantId): null;
  hostAdmit(id: ParticipantId): Promise<null>;
  hostSpotlight(id: ParticipantId | null): null;
  raiseHand(raised: boolean): null;
  react(reaction: Reaction): null;
  e2eeKeyPackage(keyPackage: string, spare: boolean): null;
  e2eeEnable(): Promise<{ keyPackages: KeyPackageEntry[] }>;
  e2eeCommit(req: CommitRequest): { epoch: number };
  e2eeDisable(message: string): Promise<null>;
  e2eeJoinFailed(reason: string, keyPackage: string | undefined): null;
  e2eeRefused(report: RefusalReport): null;
  e2eeAdmitHeld(id: ParticipantId): null;
  chatSend(text: string, to: ParticipantId | null): { messageId: string };
  chatSetMode(mode: ChatMode): null;
  chatSendSealed(sealed: string, to: ParticipantId | null): { messageId: string };
  whiteboardUpdate(update: string): null;
  whiteboardSync(): { state: string; sealed: string[] };
  whiteboardSealed(sealed: string, snapshot: boolean): null;
  breakoutOpen(req: OpenRequest): Promise<null>;
  breakoutPrepare(req: PrepareRequest): Promise<{ planId: string | null }>;
  e2eePrepareWelcome(req: PrepareWelcome): null;
  e2eePrepareReady(req: { planId: string; room: number }): null;
  breakoutMove(id: ParticipantId, roomIndex: number | null): Promise<null>;
  breakoutBroadcast(text: string): null;
  breakoutClose(countdownSeconds: number): Promise<null>;
  breakoutHelp(): null;
  breakoutJoin(roomIndex: number | null): Promise<null>;
  captionsStart(language: string): null;
  captionsStop(): null;
  captionsTranscript(): { entries: CaptionEntry[] };
  recordingStart(): Promise<null>;
  recordingStop(): Promise<null>;
  recordingLocal(recording: boolean): null;
  recordingAllowLocal(allowed: boolean): null;
}

export interface RoomRegistryDeps {
  workers: MediaWorker[];
  logger: Logger;
  reconnectGraceMs: number;
  endMeeting: (id: MeetingId) => Promise<void>;
  /** The live-captions engine (or a NoRecognizer saying why there is none). */
  recognizer: SpeechRecognizer;
  /** Cloud recording for a meeting (the recordings module behind a port). */
  recorderFor: (meetingId: MeetingId) => MeetingRecorder;
  /** A room opened here (a cluster node that took a meeting over finishes its cut recordings). */
  onRoomOpened?: (meetingId: MeetingId) => void;
  /** A room closed (everyone left, or it ended): a cluster node lets its lease go. */
  onRoomClosed?: (meetingId: MeetingId) => void;
}

/** Live rooms by meeting id. A room is pinned to the media worker with the fewest rooms. */
export class RoomRegistry {
  readonly #deps: RoomRegistryDeps;
  readonly #rooms = new Map<MeetingId, Promise<Room>>();
  readonly #roomsPerWorker = new Map<MediaWorker, number>();
  /** The rooms that finished starting, for load reports. */
  readonly #started = new Map<MeetingId, Room>();

  constructor(deps: RoomRegistryDeps) {
    if (deps.workers.length === 0)
      throw new TypeError('RoomRegistry needs at least one media worker');
    this.#deps = deps;
    for (const w of deps.workers) this.#roomsPerWorker.set(w, 0);
  }

  get roomCount(): number {
    return this.#rooms.size;
  }

  async join(
    meetingId: MeetingId,
    peer: SignalingPeer,
    req: JoinRequest,
  ): Promise<{ handle: ParticipantHandle; result: JoinResult }> {
    let room = await this.#room(meetingId, req.settings);
    if (room.closed) {
      this.#rooms.delete(meetingId);
      room = await this.#room(meetingId, req.settings);
    }
    const { participant, result } = await room.join(peer, req);
    const handle: ParticipantHandle = {
      participantId: participant.id,
      leave: (reason) => room.leave(participant, reason),
      disconnected: () => room.disconnected(participant, peer),
      setMediaState: (a, v, s) => room.mute.setMediaState(participant, a, v, s),
      publish: (sdp, tracks) => room.publish(participant, sdp, tracks),
      subscribeAnswer: (sdp, offerId) => room.subscribeAnswer(participant, sdp, offerId),
      subscribeRestart: () => room.subscribeRestart(participant),
      subscribeReset: () => room.subscribeReset(participant),
      requestKeyFrames: (scope) => room.requestKeyFrames(participant, scope),
      setTileSizes: (tiles) => room.setTileSizes(participant, tiles),
      hostMute: (id) => room.mute.hostMute(participant, id),
      hostRemove: (id) => room.hostRemove(participant, id),
      hostEnd: () => room.hostEnd(participant),
      hostStopShare: (id) => room.mute.hostStopShare(participant, id),
      hostAdmit: (id) => room.hostAdmit(participant, id),
      hostSpotlight: (id) => room.stage.spotlight(participant, id),
      raiseHand: (raised) => room.stage.raiseHand(participant, raised),
      react: (reaction) => room.stage.react(participant, reaction),
      e2eeKeyPackage: (kp, spare) => room.e2eeKeyPackage(participant, kp, spare),
      e2eeEnable: () => room.e2eeEnable(participant),
      e2eeCommit: (req) => room.e2eeCommit(participant, req),
      e2eeDisable: (message) => room.e2eeDisable(participant, message),
      e2eeJoinFailed: (reason, kp) => room.e2eeJoinFailed(participant, reason, kp),
      e2eeRefused: (report) => room.e2eeRefused(participant, report),
      e2eeAdmitHeld: (id) => room.e2eeAdmitHeld(participant, id),
      chatSend: (text, to) => room.chat.send(participant, text, to),
      chatSetMode: (mode) => room.chat.setMode(participant, mode),
      chatSendSealed: (sealed, to) => room.chat.sendSealed(participant, sealed, to),
      whiteboardUpdate: (update) => room.whiteboard.update(participant, update),
      whiteboardSync: () => room.whiteboard.sync(participant),
      whiteboardSealed: (sealed, snapshot) => room.whiteboard.sealed(participant, sealed, snapshot),
      breakoutOpen: (req) => room.breakoutOpen(participant, req),
      breakoutPrepare: (req) => room.breakoutPrepare(participant, req),
      e2eePrepareWelcome: (req) => room.e2eePrepareWelcome(participant, req),
      e2eePrepareReady: (req) => room.e2eePrepareReady(participant, req),
      breakoutMove: (id, index) => room.breakoutMove(participant, id, index),
      breakoutBroadcast: (text) => room.breakoutBroadcast(participant, text),
      breakoutClose: (seconds) => room.breakoutClose(participant, seconds),
      breakoutHelp: () => room.breakoutHelp(participant),
      breakoutJoin: (index) => room.breakoutJoin(participant, index),
      captionsStart: (language) => room.captionsStart(participant, language),
      captionsStop: () => room.captionsStop(participant),
      captionsTranscript: () => room.captionsTranscript(participant),
      recordingStart: () => room.recordingStart(participant),
      recordingStop: () => room.recordingStop(participant),
      recordingLocal: (recording) => room.recordingLocal(participant, recording),
      recordingAllowLocal: (allowed) => room.recordingAllowLocal(participant, allowed),
    };
    return { handle, result };
  }

  #room(meetingId: MeetingId, settings: JoinRequest['settings']): Promise<Room> {
    const existing = this.#rooms.get(meetingId);
    if (existing) return existing;
    const worker = [...this.#roomsPerWorker.entries()].sort((a, b) => a[1] - b[1])[0]![0];
    const created = (async () => {
      const router = await worker.createRouter();
      this.#roomsPerWorker.set(worker, (this.#roomsPerWorker.get(worker) ?? 0) + 1);
      const room: Room = new Room({
        meetingId,
        router,
        logger: this.#deps.logger,
        reconnectGraceMs: this.#deps.reconnectGraceMs,
        settings,
        recognizer: this.#deps.recognizer,
        recorder: this.#deps.recorderFor(meetingId),
        createRouter: () => worker.createRouter(),
        endMeeting: () => this.#deps.endMeeting(meetingId),
        onClosed: () => {
          this.#roomsPerWorker.set(
            worker,
            Math.max(0, (this.#roomsPerWorker.get(worker) ?? 1) - 1),
          );
          if (this.#rooms.get(meetingId) === created) this.#rooms.delete(meetingId);
          if (this.#started.get(meetingId) === room) {
            this.#started.delete(meetingId);
            this.#deps.onRoomClosed?.(meetingId);
          }
        },
      });
      this.#started.set(meetingId, room);
      this.#deps.onRoomOpened?.(meetingId);
      return room;
    })();
    this.#rooms.set(meetingId, created);
    created.catch(() => this.#rooms.delete(meetingId));
    return created;
  }

  /** The meetings with a live room here and their participants (a cluster node's load). */
  load(): { meetingIds: MeetingId[]; participants: number } {
    let participants = 0;
    for (const room of this.#started.values()) participants += room.participantCount;
    return { meetingIds: [...this.#started.keys()], participants };
  }

  /** The live room of a meeting, for diagnostics and tests (undefined when nobody is in it). */
  async room(meetingId: MeetingId): Promise<Room | undefined> {
    const room = await this.#rooms.get(meetingId);
    return room && !room.closed ? room : undefined;
  }

  /** Graceful shutdown: close every room (clients see the connection drop and retry). */
  async closeAll(): Promise<void> {
    const rooms = await Promise.allSettled([...this.#rooms.values()]);
    for (const r of rooms) if (r.status === 'fulfilled') r.value.close();
    this.#rooms.clear();
    // Recordings in progress are finished (their files closed) before storage goes away.
    await Promise.all(rooms.flatMap((r) => (r.status === 'fulfilled' ? [r.value.settled] : [])));
  }
}
