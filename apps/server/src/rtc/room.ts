import { randomBytes, randomUUID } from 'node:crypto';
import { ConclaveError } from '@conclave/protocol';
import type {
  CaptionEntry,
  Capabilities,
  JoinResult,
  KeyPackageEntry,
  MeetingId,
  ParticipantId,
  PublishTrack,
  Role,
  ServerEvent,
  TileSize,
} from '@conclave/protocol';
import type { Router } from '@conclave/sfu';
import type { Logger } from '../logger';
import type { MeetingSettings } from '../modules/meetings/meeting-store';
import type { SignalingPeer } from '../signaling/peer';
import type { CommitRequest, RefusalReport } from './e2ee/delivery-service';
import { DeliveryService } from './e2ee/delivery-service';
import { clientSupportsE2ee } from './e2ee/e2ee-policy';
import { BreakoutManager } from './breakouts/breakout-manager';
import type { MoveTarget, OpenRequest } from './breakouts/breakout-manager';
import { CaptionsManager } from './captions/captions-manager';
import type { Speaker } from './captions/captions-manager';
import type { SpeechRecognizer } from './captions/recognizer';
import { ChatRelay } from './chat/chat-relay';
import { MediaRouting } from './media-routing';
import { RecordingManager } from './recording/recording-manager';
import type { MeetingRecorder, RecordedTrack } from './recording/recording-manager';
import type { MediaInspection, SubscriberMediaStats } from './media-routing';
import { WhiteboardRelay } from './whiteboard/whiteboard-relay';
import { E2eeGroups } from './e2ee/e2ee-groups';
import { BreakoutPlans } from './e2ee/breakout-plans';
import type { PrepareRequest, PrepareWelcome } from './e2ee/breakout-plans';
import { MuteControls } from './mute-controls';
import { RoomParticipant } from './participant';
import { Roster } from './roster';
import { StageControls } from './stage/stage-controls';

export interface RoomDeps {
  meetingId: MeetingId;
  router: Router;
  logger: Logger;
  reconnectGraceMs: number;
  settings: MeetingSettings;
  recognizer: SpeechRecognizer;
  /** Cloud recording of this meeting (the recordings module behind a port). */
  recorder: MeetingRecorder;
  /** A router on the same media worker, for a breakout room. */
  createRouter: () => Promise<Router>;
  /** Marks the meeting ended in storage. */
  endMeeting: () => Promise<void>;
  /** Called once the room is empty and closed, so the registry can forget it. */
  onClosed: () => void;
}

export interface JoinRequest {
  displayName: string;
  role?: Role;
  resumeToken?: string;
  capabilities?: Capabilities;
  /** The signed-in account behind the connection, if any. */
  accountUserId?: string;
  /** The meeting's settings as stored now (plan and admin changes apply at the next join). */
  settings: MeetingSettings;
}

/**
 * One live meeting: its participants, their media in one SFU router, host actions. Every change
 * runs through one queue, so joins, leaves and negotiations never interleave halfway. Chat,
 * whiteboard, the stage and mute switches need no queue: they are its public parts.
 */
export class Room {
  readonly #deps: RoomDeps;
  readonly #log: Logger;
  readonly #participants = new Roster();
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  readonly #e2ee: DeliveryService;
  /** The main room's group and one per breakout room (issue 18). */
  readonly #groups: E2eeGroups;
  /** Breakout rooms planned under E2EE: their groups are prepared before they open. */
  readonly #plans: BreakoutPlans;
  /** Spotlight, raised hands, reactions (issue 17). */
  readonly stage = new StageControls(this.#participants);
  /** Mute and share switches, the participant's own and the host's. */
  readonly mute = new MuteControls(this.#participants);
  readonly chat = new ChatRelay(this.#participants, () => this.#e2ee.active);
  readonly whiteboard = new WhiteboardRelay(this.#participants, () => this.#e2ee.active);
  readonly #media: MediaRouting;
  readonly #breakouts: BreakoutManager;
  readonly #captions: CaptionsManager;
  readonly #recording: RecordingManager;
  #recordingSettled: Promise<void> = Promise.resolve();

  constructor(deps: RoomDeps) {
    this.#deps = deps;
    this.#log = deps.logger.child({ meetingId: deps.meetingId });
    this.#breakouts = new BreakoutManager({
      participants: () => this.#participants.values(),
      get: (id) => this.#participants.get(id),
      broadcast: (event) => this.#participants.broadcast(event),
      createRouter: deps.createRouter,
      moveMedia: (p, room) => this.#moveMedia(p, room),
      // Everyone a timer moves back arrives in the main group together (one commit).
      serial: (fn) => this.#serial(() => this.#groups.batch(fn)),
    });
    this.#media = new MediaRouting({
      routerFor: (p) => this.#breakouts.routerFor(p) ?? deps.router,
      logger: this.#log,
      participants: () => this.#participants.values(),
    });
    this.#captions = new CaptionsManager({
      recognizer: deps.recognizer,
      logger: this.#log,
      speakers: () => this.#speakers(),
      participants: () => this.#participants.values(),
    });
    this.#recording = new RecordingManager({
      recorder: deps.recorder,
      logger: this.#log,
      tracks: () => this.#recordedTracks(),
      participants: () => this.#participants.values(),
      requestKeyFrame: (producer) => void producer.requestKeyFrame().catch(() => undefined),
      transcriptSince: (at) => this.#captions.entriesSince(at),
      e2eeActive: () => this.#e2ee.active,
    });
    this.#e2ee = this.#deliveryService(null, () => this.#serial(() => this.#releaseHeld()));
    this.#groups = new E2eeGroups(this.#e2ee, (roomId) =>
      this.#deliveryService(roomId, () => Promise.resolve()),
    );
    this.#plans = new BreakoutPlans({
      participants: () => this.#participants.values(),
      get: (id) => this.#participants.get(id),
      send: (id, event) => this.#participants.get(id)?.peer?.send(event),
      broadcast: (event) => this.#participants.broadcast(event),
      canPrepare: () => this.#e2ee.active && !this.#breakouts.active,
      takeSpares: (ids) => this.#groups.takeSpares(ids),
    });
    this.#groups.claimPrepared = (ids) => this.#plans.claim(ids);
    this.#groups.onSpare = () => this.#plans.spareArrived();
  }

  /** The Delivery Service of one room's group: it sees and tells only that room's people. */
  #deliveryService(roomId: string | null, releaseHeld: () => Promise<void>): DeliveryService {
    const inRoom = (p: RoomParticipant | undefined) =>
      p !== undefined && p.breakoutId === roomId ? p : undefined;
    return new DeliveryService(
      {
        participants: () => [...this.#participants.values()].filter((p) => inRoom(p)),
        get: (id) => inRoom(this.#participants.get(id)),
        send: (id, event) => inRoom(this.#participants.get(id))?.peer?.send(event),
        broadcast: (event) => {
          for (const p of this.#participants.values()) if (inRoom(p)) p.peer?.send(event);
        },
        releaseHeld,
      },
      this.#deps.settings,
      { logger: this.#log },
    );
  }

  get closed(): boolean {
    return this.#closed;
  }

  get participantCount(): number {
    return this.#participants.size;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#closed) throw new ConclaveError('MEETING_ENDED');
      return fn();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  join(
    peer: SignalingPeer,
    req: JoinRequest,
  ): Promise<{ participant: RoomParticipant; result: JoinResult }> {
    return this.#serial(async () => {
      this.#e2ee.updateSettings(req.settings);
      if (req.resumeToken) {
        const existing = [...this.#participants.values()].find(
          (p) => p.resumeToken === req.resumeToken,
        );
        if (existing) return this.#resume(existing, peer, req.displayName);
      }
      if (!req.role) throw new ConclaveError('RESUME_EXPIRED');
      // The plan's participant cap (account meetings); resumes above keep their seat.
      const cap = req.settings.maxParticipants;
      if (cap !== undefined && this.#participants.size >= cap)
        throw new ConclaveError('MEETING_FULL');
      const e2eeCapable = clientSupportsE2ee(req.capabilities);
      const policy = req.settings.unsupportedClientPolicy;
      if (this.#e2ee.active && !e2eeCapable && policy === 'refuse')
        throw new ConclaveError('E2EE_CLIENT_UNSUPPORTED');
      const participant = new RoomParticipant({
        id: randomUUID() as ParticipantId,
        resumeToken: randomBytes(24).toString('base64url'),
        displayName: req.displayName,
        role: req.role,
        peer,
        e2eeCapable,
        clientLabel: req.capabilities?.clientLabel ?? 'Unknown client',
        mlsSignatureKey: e2eeCapable ? (req.capabilities?.mlsSignatureKey ?? null) : null,
        accountUserId: req.accountUserId ?? null,
      });
      // Everyone but hosts waits in the waiting room when the account turned it on.
      participant.waiting = req.settings.waitingRoom === true && req.role !== 'host';
      // An unsupported client never gets media while E2EE is on (DESIGN.md §4.1 rule 6).
      participant.held = participant.waiting || (this.#e2ee.active && !e2eeCapable);
      this.#participants.add(participant);
      await this.#media.setUpSubscriber(participant);
      await this.#recording.refreshAvailability();
      this.#participants.broadcast(
        { type: 'participant.joined', participant: participant.view() },
        participant.id,
      );
      if (participant.held && !participant.waiting && policy === 'downgrade')
        this.#e2ee.unsupportedJoined(participant);
      return { participant, result: this.#joinResult(participant, false) };
    });
  }

  async #resume(p: RoomParticipant, peer: SignalingPeer, displayName: string) {
    clearTimeout(p.graceTimer);
    p.graceTimer = undefined;
    const previous = p.peer;
    p.peer = peer;
    p.displayName = displayName;
    previous?.close('replaced by a new connection');
    // Media is set up afresh: the client builds new PeerConnections after a resume.
    this.#closePublished(p);
    p.closeMedia();
    await this.#media.setUpSubscriber(p);
    this.#participants.broadcast({ type: 'participant.updated', participant: p.view() }, p.id);
    return { participant: p, result: this.#joinResult(p, true) };
  }

  #joinResult(p: RoomParticipant, resumed: boolean): JoinResult {
    return {
      participantId: p.id,
      resumeToken: p.resumeToken,
      role: p.role,
      meetingId: this.#deps.meetingId,
      participants: [...this.#participants.values()].map((x) => x.view()),
      reconnectGraceSeconds: Math.round(this.#deps.reconnectGraceMs / 1000),
      resumed,
      e2ee: this.#e2ee.view(),
      held: p.held,
      chat: this.chat.viewFor(p),
      breakouts: this.#breakouts.view(),
      captions: this.#captions.view(),
      recording: this.#recording.view(),
    };
  }

  publish(p: RoomParticipant, sdp: string, tracks: PublishTrack[]): Promise<{ sdp: string }> {
    return this.#serial(async () => {
      const { answer, screenChanged } = await this.#media.publish(p, sdp, tracks, () => {
        // A producer closed (its track stopped in a re-offer): the share state may have changed.
        if (!this.#closed && this.#participants.has(p.id))
          this.#participants.broadcast({ type: 'participant.updated', participant: p.view() });
      });
      if (screenChanged)
        this.#participants.broadcast({ type: 'participant.updated', participant: p.view() });
      this.#captions.sync();
      this.#recording.sync();
      return { sdp: answer };
    });
  }

  /**
   * Host: let someone in from the waiting room. An unsupported client in an E2EE meeting then
   * meets the E2EE policy as if they had just joined (downgrade asks the host's device first).
   */
  hostAdmit(host: RoomParticipant, targetId: ParticipantId): Promise<null> {
    const target = this.#participants.hostTarget(host, targetId);
    if (!target.waiting)
      throw new ConclaveError('PARTICIPANT_NOT_FOUND', 'That participant is not waiting.');
    return this.#serial(async () => {
      target.waiting = false;
      if (this.#e2ee.active && !target.e2eeCapable) {
        this.#participants.broadcast({ type: 'participant.updated', participant: target.view() });
        // `hold` and `refuse`: they stay held; the host can still let them in (which turns
        // E2EE off, as for any held participant).
        if (this.#e2ee.settings.unsupportedClientPolicy === 'downgrade')
          this.#e2ee.unsupportedJoined(target);
        return null;
      }
      target.held = false;
      await this.#media.connectReleased(target);
      this.#e2ee.admitted(target);
      this.#participants.broadcast({ type: 'participant.updated', participant: target.view() });
      this.#captions.sync();
      this.#recording.sync();
      return null;
    });
  }

  async subscribeAnswer(p: RoomParticipant, sdp: string, offerId: string): Promise<null> {
    await this.#media.handleSubscribeAnswer(p, sdp, offerId);
    return null;
  }

  requestKeyFrames(p: RoomParticipant, scope: 'received' | 'own' | 'all'): Promise<null> {
    if (p.held) return Promise.reject(new ConclaveError('NOT_LET_IN'));
    return this.#media.requestKeyFrames(p, scope).then(() => null);
  }

  setTileSizes(p: RoomParticipant, tiles: TileSize[]): Promise<null> {
    return this.#media.setTileSizes(p, tiles).then(() => null);
  }

  /** A fresh subscribe transport for `p` (its old one failed on the client side). */
  subscribeReset(p: RoomParticipant): Promise<null> {
    return this.#serial(() => this.#media.resetSubscriber(p).then(() => null));
  }

  subscribeRestart(p: RoomParticipant): null {
    p.negotiator?.restart();
    return null;
  }

  hostRemove(host: RoomParticipant, targetId: ParticipantId): Promise<null> {
    const target = this.#participants.hostTarget(host, targetId);
    return this.#serial(async () => {
      target.peer?.send({ type: 'removed' });
      target.peer?.close('removed by host');
      this.#drop(target, 'removed');
      return null;
    });
  }

  hostEnd(host: RoomParticipant): Promise<null> {
    if (host.role !== 'host') throw new ConclaveError('NOT_HOST');
    return this.#serial(async () => {
      await this.#deps.endMeeting();
      this.close('meeting.ended');
      return null;
    });
  }

  /** Captions and cloud recording need the server to see the media (DESIGN.md §4.1 rule 4). */
  #assertNotE2ee(): void {
    if (this.#e2ee.active) throw new ConclaveError('E2EE_FEATURE_UNAVAILABLE');
  }

  // ---- breakout rooms (each with its own SFU router; under E2EE each its own MLS group)

  /** `p` changed rooms: new transports on that room's router; the client rebuilds its media. */
  async #moveMedia(p: RoomParticipant, room: MoveTarget | null): Promise<void> {
    this.#closePublished(p);
    p.closeMedia();
    await this.#media.setUpSubscriber(p);
    // Under E2EE its device checks the group prepared for its room against these people, at its
    // own move rather than once everyone has moved (issue 18).
    const members = room && this.#e2ee.active ? { members: room.members } : {};
    p.peer?.send({ type: 'breakout.moved', roomName: room?.name ?? null, ...members });
    // Under E2EE: out of the old room's MLS group, into the new room's (issue 18).
    this.#groups.moved(p, room?.members);
    // Their old microphone's pipeline closes here; `publish` opens one for the new producer.
    this.#captions.sync();
    this.#recording.sync();
  }

  breakoutOpen(host: RoomParticipant, req: OpenRequest): Promise<null> {
    // Each room's group starts once everyone is in it, with their spare KeyPackages, or is the
    // group prepared for exactly its people while the host planned (issue 18).
    return this.#serial(async () => {
      try {
        return await this.#groups.batch(() => this.#breakouts.open(host, req));
      } finally {
        this.#plans.clear();
      }
    });
  }

  /** Host or co-host: the rooms as planned now; under E2EE their groups are prepared ahead. */
  breakoutPrepare(host: RoomParticipant, req: PrepareRequest): Promise<{ planId: string | null }> {
    // In the room's queue: a plan never lands halfway through opening the rooms.
    return this.#serial(async () => this.#plans.prepare(host, req));
  }

  e2eePrepareWelcome(p: RoomParticipant, req: PrepareWelcome): null {
    return this.#plans.welcome(p, req);
  }

  e2eePrepareReady(p: RoomParticipant, req: { planId: string; room: number }): null {
    return this.#plans.ready(p, req);
  }

  breakoutMove(
    host: RoomParticipant,
    targetId: ParticipantId,
    roomIndex: number | null,
  ): Promise<null> {
    const target = this.#participants.hostTarget(host, targetId);
    return this.#serial(() =>
      this.#groups.batch(() => this.#breakouts.move(host, target, roomIndex)),
    );
  }

  breakoutBroadcast(host: RoomParticipant, text: string): null {
    return this.#breakouts.broadcastMessage(host, text);
  }

  breakoutClose(host: RoomParticipant, countdownSeconds: number): Promise<null> {
    // In the room's queue: a close sent right behind Open waits for the opening to finish. Out
    // of it, it was refused while the rooms' routers were being made, or its state showed only
    // the moves made so far (under E2EE a device checks the first state after its move against
    // the room its move named, issue 18).
    return this.#serial(async () => this.#breakouts.close(host, countdownSeconds));
  }

  breakoutHelp(p: RoomParticipant): null {
    return this.#breakouts.help(p);
  }

  /** Host or co-host: visit a breakout room, or return to the main room (null). */
  breakoutJoin(host: RoomParticipant, roomIndex: number | null): Promise<null> {
    return this.#serial(() => this.#groups.batch(() => this.#breakouts.visit(host, roomIndex)));
  }

  // ---- live captions (the server hears the audio, so unavailable while E2EE is on; one setting
  // for the main room and every breakout room, each caption line only to the speaker's room)

  captionsStart(p: RoomParticipant, language: string): null {
    this.#assertNotE2ee();
    if (p.held)
      throw new ConclaveError('CAPTIONS_NOT_ALLOWED', 'You can use captions once you are let in.');
    return this.#captions.start(p, language);
  }

  captionsStop(p: RoomParticipant): null {
    return this.#captions.stop(p);
  }

  captionsTranscript(p: RoomParticipant): { entries: CaptionEntry[] } {
    return this.#captions.transcript(p);
  }

  /** Microphones of people who are let in, in every room. */
  *#speakers(): Iterable<Speaker> {
    for (const participant of this.#participants.values()) {
      if (participant.held || !participant.peer) continue;
      const room = this.#breakouts.roomOf(participant);
      for (const track of participant.published.values())
        if (track.source === 'microphone') yield { participant, producer: track.producer, room };
    }
  }

  // ---- recording (cloud: the server writes what it forwards, so not while E2EE is on;
  // local: the participant's browser records, the server only tells everyone who does)

  recordingStart(p: RoomParticipant): Promise<null> {
    this.#assertNotE2ee();
    return this.#serial(() => this.#recording.start(p));
  }

  recordingStop(p: RoomParticipant): Promise<null> {
    return this.#serial(() => this.#recording.stop(p));
  }

  recordingLocal(p: RoomParticipant, recording: boolean): null {
    return this.#recording.setLocal(p, recording);
  }

  recordingAllowLocal(p: RoomParticipant, allowed: boolean): null {
    return this.#recording.allowLocal(p, allowed);
  }

  /** The main room's tracks of people who are let in (breakout rooms are not recorded). */
  *#recordedTracks(): Iterable<RecordedTrack> {
    for (const participant of this.#participants.values()) {
      if (participant.held || participant.breakoutId !== null) continue;
      for (const track of participant.published.values())
        yield { participant, producer: track.producer, source: track.source };
    }
  }

  // ---- diagnostics for tests and operators (no key material exists here to show)

  /** What the SFU receives from each publisher (needs media.inspection) and its counters. */
  inspectMedia(): Promise<MediaInspection[]> {
    return this.#media.inspect();
  }

  /** What the SFU sends participant `id` (layers, counters, downlink estimate). */
  async subscriberMediaStats(id: ParticipantId): Promise<SubscriberMediaStats | undefined> {
    const p = this.#participants.get(id);
    return p ? this.#media.subscriberStats(p) : undefined;
  }

  /** Sends an event to every member as if it came from the server's own logic (forgery tests). */
  inject(event: ServerEvent): void {
    this.#participants.broadcast(event);
  }

  /** The Delivery Service forgets `id` as a member (a removal) while the SFU keeps its media. */
  dropFromE2eeKeepMedia(id: ParticipantId): void {
    const p = this.#participants.get(id);
    if (p) this.#e2ee.participantLeft(p);
  }

  e2eeView() {
    return this.#e2ee.view();
  }

  // ---- end-to-end encryption (the Delivery Service does the work)

  e2eeKeyPackage(p: RoomParticipant, keyPackage: string, spare = false): null {
    if (spare) this.#groups.spare(p, keyPackage);
    else this.#groups.for(p).keyPackage(p, keyPackage);
    return null;
  }

  /** Turning E2EE on closes open breakout rooms first, with a notice (DESIGN.md §4.1 rule 4). */
  e2eeEnable(p: RoomParticipant): Promise<{ keyPackages: KeyPackageEntry[] }> {
    return this.#serial(async () => {
      if (this.#breakouts.active) {
        if (p.role !== 'host') throw new ConclaveError('NOT_HOST');
        await this.#breakouts.closeNow();
        this.#participants.broadcast({
          type: 'breakout.message',
          text: 'Breakout rooms closed: end-to-end encryption is being turned on.',
          fromName: p.displayName,
        });
      }
      // The server must not hear end-to-end encrypted audio (DESIGN.md §4.1 rule 4).
      this.#captions.stopWithNotice(
        'Live captions stopped: end-to-end encryption is being turned on.',
      );
      // Nothing is written after the switch: the recording ends before E2EE starts.
      await this.#recording.stopWithNotice(
        'Cloud recording stopped: end-to-end encryption is being turned on, so the server can no longer see the media.',
        'End-to-end encryption was turned on.',
      );
      this.whiteboard.clearSealed();
      return this.#e2ee.enable(p);
    });
  }

  e2eeCommit(p: RoomParticipant, req: CommitRequest): { epoch: number } {
    return this.#groups.for(p).commit(p, req);
  }

  e2eeJoinFailed(p: RoomParticipant, reason: string, keyPackage: string | undefined): null {
    this.#groups.for(p).joinFailed(p, reason, keyPackage);
    return null;
  }

  e2eeRefused(p: RoomParticipant, report: RefusalReport): null {
    this.#groups.for(p).refused(p, report);
    return null;
  }

  e2eeDisable(p: RoomParticipant, message: string): Promise<null> {
    if (this.#groups.breakoutGroups > 0)
      // Each room's group turns off only on the host device's authenticated message inside it,
      // and that device is in one group: the rooms must close first (issue 18).
      throw new ConclaveError(
        'E2EE_BAD_STATE',
        'Close the breakout rooms first: each room is encrypted with its own keys. Turn encryption off once everyone is back in the main room.',
      );
    return this.#e2ee.disable(p, message).then(() => {
      this.#groups.reset();
      this.#plans.clear();
      // Devices keep the document; the host's device puts it back in the clear (issue 18).
      this.whiteboard.clearSealed();
      return null;
    });
  }

  e2eeAdmitHeld(host: RoomParticipant, targetId: ParticipantId): null {
    this.#e2ee.requestDowngradeFor(host, this.#participants.hostTarget(host, targetId));
    return null;
  }

  /** E2EE is off: connect the media of everyone who was held out. */
  async #releaseHeld(): Promise<void> {
    const held = [...this.#participants.values()].filter((p) => p.held);
    for (const p of held) p.held = false;
    for (const p of held) {
      await this.#media.connectReleased(p);
      this.#participants.broadcast({ type: 'participant.updated', participant: p.view() });
    }
    this.#captions.sync();
    this.#recording.sync();
  }

  leave(p: RoomParticipant, reason: 'left' | 'timeout'): Promise<void> {
    return this.#serial(async () => this.#drop(p, reason)).catch(() => undefined);
  }

  /** The signaling connection dropped: keep the seat for the grace period. */
  disconnected(p: RoomParticipant, peer: SignalingPeer): void {
    if (p.peer !== peer || !this.#participants.has(p.id)) return;
    p.peer = undefined;
    this.#participants.broadcast({ type: 'participant.updated', participant: p.view() }, p.id);
    p.graceTimer = setTimeout(() => void this.leave(p, 'timeout'), this.#deps.reconnectGraceMs);
    p.graceTimer.unref();
  }

  #closePublished(p: RoomParticipant): void {
    for (const track of p.published.values()) track.producer.close();
  }

  #drop(p: RoomParticipant, reason: 'left' | 'removed' | 'timeout'): void {
    if (!this.#participants.delete(p.id)) return;
    clearTimeout(p.graceTimer);
    this.#closePublished(p);
    p.closeMedia();
    p.peer = undefined;
    this.#groups.left(p);
    this.#captions.sync();
    this.#recording.sync();
    this.#recording.participantLeft(p.id);
    this.#participants.broadcast({ type: 'participant.left', participantId: p.id, reason });
    this.#log.info({ participantId: p.id, reason }, 'participant left');
    if (this.#participants.size === 0) this.close();
  }

  /**
   * The account's plan or admin settings changed: E2EE availability and the unsupported-client
   * policy follow at once; the delivery service tells everyone when the E2EE view changed.
   */
  updateSettings(settings: MeetingSettings): void {
    if (this.#closed) return;
    this.#e2ee.updateSettings(settings);
    void this.#recording.refreshAvailability();
  }

  /** Resolves once a closed room's recording is finished and handed to composition. */
  get settled(): Promise<void> {
    return this.#recordingSettled;
  }

  /**
   * Closes the room; with a reason, tells everyone first (meeting ended, server shutdown).
   * `moved`: another node took the meeting over; clients reconnect there (close code 1012).
   */
  close(notice?: 'meeting.ended' | 'moved'): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.#participants.values()) {
      clearTimeout(p.graceTimer);
      if (notice === 'meeting.ended') p.peer?.send({ type: notice });
      if (notice === 'moved') p.peer?.close('meeting moved', 1012);
      else p.peer?.close(notice ?? 'room closed');
      p.closeMedia();
    }
    this.#participants.clear();
    this.#recordingSettled = this.#recording
      .dispose()
      .catch((err: unknown) => this.#log.error({ err }, 'recording did not finish'));
    this.#groups.close();
    this.#e2ee.close();
    this.#captions.dispose();
    this.whiteboard.destroy();
    this.#breakouts.dispose();
    this.#deps.router.close();
    this.#deps.onClosed();
  }
}
