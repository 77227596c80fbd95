import { ConclaveError, PROTOCOL_VERSION } from '@conclave/protocol';
import type {
  CaptionEntry,
  CaptionsState,
  RecordingState,
  BreakoutState,
  Capabilities,
  ChatMessage,
  ChatMode,
  JoinResult,
  MeetingId,
  Participant,
  Reaction,
  ParticipantId,
  Role,
  ServerEvent,
} from '@conclave/protocol';
import type { E2eeView } from '../e2ee/e2ee-manager';
import { E2eeManager } from '../e2ee/e2ee-manager';
import { detectCapabilities } from '../e2ee/capabilities';
import { E2eeWorkerClient } from '../e2ee/worker-client';
import { InvalidStateError } from '../errors';
import type { LocalTracks } from '../media/publisher';
import type { RemoteTrack } from '../media/subscriber';
import { SignalClient } from '../signal/signal-client';
import { TypedEmitter } from '../typed-emitter';
import { WhiteboardClient } from '../whiteboard/whiteboard-client';
import { syncBoardWithE2ee } from '../whiteboard/board-e2ee';
import { ChatManager } from './chat-manager';
import type { ConnectionState } from './connection-state';
import { reconnectDelayMs } from './connection-state';
import { MediaManager } from './media-manager';

/** How long a first join keeps retrying while the meeting's node is being replaced. */
const JOIN_RETRY_BUDGET_MS = 20_000;

export interface RoomClientOptions {
  /** ws:// or wss:// URL of the signaling endpoint. */
  signalingUrl: string;
  meetingId: MeetingId;
  displayName: string;
  passcode?: string;
  hostKey?: string;
  rtcConfig?: RTCConfiguration;
  WebSocket?: typeof WebSocket;
  RTCPeerConnection?: typeof RTCPeerConnection;
  /** Starts the E2EE worker; without it (or without the browser APIs) this client cannot do E2EE. */
  createE2eeWorker?: () => Worker;
  /** Overrides feature detection (Node bots). */
  capabilities?: Capabilities;
  /** false: signaling and E2EE only, no PeerConnections (Node bots for MLS load). */
  media?: boolean;
  /** Send the camera in simulcast layers when its size allows (default true). */
  simulcast?: boolean;
}

export type RoomClientEvents = {
  state: [ConnectionState];
  participants: [Participant[]];
  remoteTracks: [RemoteTrack[]];
  /** The host muted this participant's microphone. */
  mutedByHost: [];
  /** Something the user should read (a failed negotiation, a protocol mismatch). */
  notice: [string];
  e2ee: [E2eeView];
  /** E2EE transitions everyone must see (on, off, downgrade, member change, forgeries). */
  banner: [{ tone: 'info' | 'warning'; text: string }];
  reenableOffered: [string];
  /** This participant is held out of an E2EE meeting, or was let in. */
  held: [boolean];
  chat: [{ mode: ChatMode; messages: ChatMessage[] }];
  /** This participant's screen share started (the track) or ended (null). */
  screenShare: [MediaStreamTrack | null];
  breakouts: [BreakoutState];
  /** Host, under E2EE: how many planned breakout rooms are prepared (null: no plan). */
  breakoutPlan: [BreakoutPlanProgress | null];
  /** This participant was moved to a breakout room (its name) or back to the main room (null). */
  /** The room's name (null: the main room) and, under E2EE, who it holds (see the protocol). */
  breakoutMoved: [string | null, ParticipantId[] | null];
  breakoutMessage: [{ text: string; fromName: string }];
  /** Someone in this room sent a reaction (issue 17). */
  reaction: [{ participantId: ParticipantId; reaction: Reaction }];
  /** Live captions turned on/off or changed language; `notice` says why when no one chose it. */
  captions: [{ state: CaptionsState; notice: string | null }];
  /** Cloud or local recording started/stopped; `notice` says why when no one chose it. */
  recording: [{ state: RecordingState; notice: string | null }];
  /** One recognised utterance (main room only). */
  captionText: [CaptionEntry];
  /** Host: someone in a breakout room asks for help. */
  helpRequested: [
    { participantId: ParticipantId; displayName: string; roomName: string; roomIndex: number },
  ];
};

/** Under E2EE, the host's plan of breakout rooms: how many have their encrypted group ready. */
export interface BreakoutPlanProgress {
  planId: string;
  rooms: number;
  ready: number;
}

/**
 * A participant's whole view of a meeting: signaling with reconnect, the participant list and
 * what the participant may ask for; media, chat and E2EE are its managers. Framework-free; the
 * web app and Node bots use it.
 */
export class RoomClient extends TypedEmitter<RoomClientEvents> {
  readonly #opts: RoomClientOptions;
  #signal: SignalClient | undefined;
  #participants = new Map<ParticipantId, Participant>();
  #state: ConnectionState = { status: 'idle' };
  #recording: RecordingState | undefined;
  #self: { id: ParticipantId; role: Role; resumeToken: string; graceSeconds: number } | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #joinedOnce = false;
  readonly #capabilities: Capabilities;
  readonly e2ee: E2eeManager;
  readonly whiteboard = new WhiteboardClient();
  readonly #media: MediaManager;
  readonly #chat: ChatManager;
  #held = false;
  #breakouts: BreakoutState = {
    status: 'none',
    rooms: [],
    assignments: {},
    endsAt: null,
    closingAt: null,
  };
  #breakoutPlan: BreakoutPlanProgress | null = null;

  constructor(opts: RoomClientOptions) {
    super();
    this.#opts = opts;
    const detected = opts.capabilities ?? detectCapabilities();
    const worker =
      detected.encodedTransform && detected.mlsCiphersuites.includes(1) && opts.createE2eeWorker
        ? new E2eeWorkerClient(opts.createE2eeWorker())
        : null;
    // A client without a worker is not E2EE-capable, whatever the browser could do.
    this.#capabilities = worker
      ? detected
      : { ...detected, encodedTransform: null, mlsCiphersuites: [] };
    this.e2ee = new E2eeManager({
      capabilities: this.#capabilities,
      worker,
      selfId: () => this.#self?.id,
      participants: () => this.participants,
      isHost: () => this.#self?.role === 'host',
      roomOf: (id) => this.#breakouts.assignments[id] ?? null,
    });
    this.e2ee.on('view', (v) => this.emit('e2ee', v));
    this.e2ee.on('banner', (b) => this.emit('banner', b));
    this.e2ee.on('reenableOffered', (name) => this.emit('reenableOffered', name));
    syncBoardWithE2ee(this.e2ee, this.whiteboard, () => this.#self?.id);
    this.#media = new MediaManager({
      rtcConfig: opts.rtcConfig,
      RTCPeerConnection: opts.RTCPeerConnection,
      simulcast: opts.simulcast ?? true,
      encodedTransform: this.#capabilities.encodedTransform,
      attachSender: (s, kind) => this.e2ee.attachSender(s, kind),
      attachReceiver: (r, kind) => this.e2ee.attachReceiver(r, kind),
      connectedSignal: () => (this.#state.status === 'connected' ? this.#signal : undefined),
    });
    this.#media.on('remoteTracks', (t) => this.emit('remoteTracks', t));
    this.#media.on('screenShare', (t) => this.emit('screenShare', t));
    this.#media.on('notice', (m) => this.emit('notice', m));
    this.#chat = new ChatManager({
      signal: () => this.#requireSignal(),
      self: () => this.#self,
      displayName: opts.displayName,
      roleOf: (id) => this.#participants.get(id)?.role,
      e2eeOn: () => this.e2ee.meetingEncrypted,
      seal: (text, to) => this.e2ee.sealChat(text, to),
      open: (message) => this.e2ee.openChat(message),
    });
    this.#chat.on('chat', (c) => this.emit('chat', c));
    this.#chat.on('notice', (m) => this.emit('notice', m));
  }

  get capabilities(): Capabilities {
    return this.#capabilities;
  }

  get held(): boolean {
    return this.#held;
  }

  get state(): ConnectionState {
    return this.#state;
  }
  get selfId(): ParticipantId | undefined {
    return this.#self?.id;
  }
  get role(): Role | undefined {
    return this.#self?.role;
  }
  get participants(): Participant[] {
    return [...this.#participants.values()];
  }
  get remoteTracks(): readonly RemoteTrack[] {
    return this.#media.remoteTracks;
  }
  /** For diagnostics and tests: the live PeerConnections. */
  get peerConnections(): { publish?: RTCPeerConnection; subscribe?: RTCPeerConnection } {
    return this.#media.peerConnections;
  }
  /** For tests of bad input: the raw signaling connection. */
  get signal(): SignalClient | undefined {
    return this.#signal;
  }

  /**
   * How big a remote video is drawn (CSS pixels x devicePixelRatio), or null when its tile is
   * hidden or gone: the SFU then sends the smallest layer that looks sharp at that size, or
   * nothing. Call on every resize/visibility change (reports are batched); local tracks are
   * ignored.
   */
  reportTileSize(track: MediaStreamTrack, size: { width: number; height: number } | null): void {
    this.#media.reportTileSize(track, size);
  }

  /** Local devices to publish; call before join() (null = no such device or denied). */
  setLocalTracks(tracks: LocalTracks, muted: { audio: boolean; video: boolean }): void {
    this.#media.setLocalTracks(tracks, muted);
  }

  async join(): Promise<JoinResult> {
    if (this.#state.status !== 'idle') throw new InvalidStateError('join() was already called.');
    this.#setState({ status: 'connecting' });
    // NODE_UNAVAILABLE: the server running this meeting died a moment ago and another takes it
    // over once its lease expires (README "Running several nodes"): try again with back-off.
    const giveUpAt = Date.now() + JOIN_RETRY_BUDGET_MS;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#connect(false);
      } catch (err) {
        const retry =
          err instanceof ConclaveError &&
          err.code === 'NODE_UNAVAILABLE' &&
          this.#status() === 'connecting';
        const delay = Math.max(reconnectDelayMs(attempt), 0);
        if (!retry || Date.now() + delay > giveUpAt) {
          this.#setState({ status: 'idle' });
          throw err;
        }
        await new Promise((r) => setTimeout(r, delay));
        if (this.#status() !== 'connecting') throw err; // closed meanwhile
      }
    }
  }

  /** The state now (a method, so narrowing across awaits does not hide a change). */
  #status(): ConnectionState['status'] {
    return this.#state.status;
  }

  async #connect(resume: boolean): Promise<JoinResult> {
    const signal = await SignalClient.connect(this.#opts.signalingUrl, {
      ...(this.#opts.WebSocket ? { WebSocket: this.#opts.WebSocket } : {}),
    });
    let result: JoinResult;
    // Events that arrive right behind the join result (in the same read) must not be lost: a
    // participant who joined a moment later would be missing from the list for the whole
    // meeting (and shown as an unknown key holder). Buffer them until the result is applied.
    const early: ServerEvent[] = [];
    const offEarly = signal.on('event', (ev) => early.push(ev));
    try {
      const mlsSignatureKey = await this.e2ee.signingKey();
      result = await signal.request<JoinResult>({
        type: 'join',
        protocolVersion: PROTOCOL_VERSION,
        meetingId: this.#opts.meetingId,
        displayName: this.#opts.displayName,
        ...(this.#opts.passcode ? { passcode: this.#opts.passcode } : {}),
        ...(this.#opts.hostKey ? { hostKey: this.#opts.hostKey } : {}),
        ...(resume && this.#self ? { resumeToken: this.#self.resumeToken } : {}),
        capabilities: {
          ...this.#capabilities,
          ...(mlsSignatureKey ? { mlsSignatureKey } : {}),
        },
      });
    } catch (err) {
      offEarly();
      signal.close();
      throw err;
    }
    offEarly();
    // Joined before but not resumed: the seat (and any E2EE group) of before is gone.
    const newSeat = this.#joinedOnce && !result.resumed;
    this.#joinedOnce = true;
    this.#signal = signal;
    this.#self = {
      id: result.participantId,
      role: result.role,
      resumeToken: result.resumeToken,
      graceSeconds: result.reconnectGraceSeconds,
    };
    this.#participants = new Map(result.participants.map((p) => [p.id, p]));
    signal.on('event', (ev) => this.#onEvent(ev));
    for (const ev of early) this.#onEvent(ev);
    signal.on('close', ({ code }) => this.#onSignalClosed(signal, code));
    signal.on('protocolError', (m) => this.emit('notice', m));
    this.#held = result.held;
    this.#chat.joined(result.chat);
    this.#breakouts = result.breakouts;
    this.emit('breakouts', this.#breakouts);
    this.emit('captions', { state: result.captions, notice: null });
    this.#recording = result.recording;
    this.emit('recording', { state: result.recording, notice: null });
    this.#setState({ status: 'connected' });
    this.emit('participants', this.participants);
    this.emit('held', this.#held);
    // E2EE setup (KeyPackage) and media negotiation run side by side: the worker gets its
    // "expect encryption" setting before any frame can flow, the KeyPackage can come later.
    if (!result.held) void this.whiteboard.attach(signal).catch(() => undefined);
    await Promise.all([
      this.e2ee.attach(
        signal,
        result.e2ee,
        {
          userId: result.participantId,
          displayName: this.#opts.displayName,
          deviceId: result.participantId,
        },
        newSeat,
        result.participants.find((p) => p.id === result.participantId)?.accountUserId ?? null,
      ),
      this.#opts.media !== false ? this.#media.start(signal) : undefined,
    ]);
    return result;
  }

  #onEvent(ev: ServerEvent): void {
    switch (ev.type) {
      case 'participant.joined':
      case 'participant.updated':
        this.#participants.set(ev.participant.id, ev.participant);
        if (ev.participant.id === this.#self?.id && ev.participant.held !== this.#held) {
          this.#held = ev.participant.held;
          this.emit('held', this.#held);
          if (!this.#held && this.#signal)
            void this.whiteboard.attach(this.#signal).catch(() => undefined);
        }
        this.emit('participants', this.participants);
        this.e2ee.participantsChanged();
        return;
      case 'participant.left':
        this.#participants.delete(ev.participantId);
        this.emit('participants', this.participants);
        this.e2ee.participantsChanged();
        return;
      case 'subscribe.offer':
        this.#media.handleOffer(ev.sdp, ev.tracks, ev.offerId);
        return;
      case 'muted.by.host':
        this.#media.mutedByHost();
        this.emit('mutedByHost');
        return;
      case 'removed':
        this.#finish({ status: 'removed' });
        return;
      case 'meeting.ended':
        this.#finish({ status: 'ended' });
        return;
      case 'breakout.state':
        this.#breakouts = ev.state;
        this.emit('breakouts', ev.state);
        this.e2ee.breakoutsChanged();
        // A group promoted at the move must be the room this state shows (issue 18).
        void this.e2ee.prepared?.stateChanged();
        return;
      case 'breakout.moved':
        // Under E2EE each room is its own MLS group: leave this one's keys first (issue 18).
        this.e2ee.roomChanged(ev.members ?? null);
        // New transports wait on the room's router: rebuild the PeerConnections.
        if (this.#signal && this.#opts.media !== false) {
          void this.#media
            .start(this.#signal)
            .catch(() => this.emit('notice', 'Moving rooms failed; reconnecting media.'));
        }
        this.emit('breakoutMoved', ev.roomName, ev.members ?? null);
        return;
      case 'breakout.message':
        this.emit('breakoutMessage', { text: ev.text, fromName: ev.fromName });
        return;
      case 'reaction':
        this.emit('reaction', { participantId: ev.participantId, reaction: ev.reaction });
        return;
      case 'breakout.helpRequested':
        this.emit('helpRequested', {
          participantId: ev.participantId,
          displayName: ev.displayName,
          roomName: ev.roomName,
          roomIndex: ev.roomIndex,
        });
        return;
      case 'whiteboard.update':
        this.whiteboard.handleRemote(ev.update);
        return;
      case 'whiteboard.sealed':
        void this.whiteboard.handleSealed(ev.sealed);
        return;
      case 'media.publishLayers':
        // a failure leaves every layer on: more than needed, nothing lost
        void this.#media.setPublishLayers(ev.source, ev.layers).catch(() => undefined);
        return;
      case 'share.stopped':
        this.emit('notice', 'The host stopped your screen share.');
        void this.stopScreenShare();
        return;
      case 'chat.message':
      case 'chat.sealed':
      case 'chat.mode':
        this.#chat.handleEvent(ev);
        return;
      case 'captions.state':
        this.emit('captions', { state: ev.state, notice: ev.notice });
        return;
      case 'captions.text':
        this.emit('captionText', ev.entry);
        return;
      case 'recording.state':
        this.#recording = ev.state;
        this.emit('recording', { state: ev.state, notice: ev.notice });
        return;
      case 'e2ee.planProgress':
        this.#breakoutPlan = { planId: ev.planId, rooms: ev.rooms, ready: ev.ready };
        this.emit('breakoutPlan', this.#breakoutPlan);
        return;
      case 'e2ee.plan':
        if (this.#breakoutPlan && this.#breakoutPlan.planId !== ev.planId) {
          this.#breakoutPlan = null;
          this.emit('breakoutPlan', null);
        }
        this.e2ee.handleEvent(ev);
        return;
      case 'e2ee.state':
      case 'e2ee.pending':
      case 'e2ee.commit':
      case 'e2ee.welcome':
      case 'e2ee.app':
      case 'e2ee.keyPackageNeeded':
      case 'e2ee.downgradeRequired':
      case 'e2ee.reenableOffered':
      case 'e2ee.memberJoinFailed':
      case 'e2ee.startGroup':
      case 'e2ee.prepareGroup':
      case 'e2ee.preparedWelcome':
      case 'e2ee.promote':
        this.e2ee.handleEvent(ev);
        return;
      default: {
        const unreachable: never = ev;
        this.emit('notice', `Unknown event ${String(unreachable)}`);
      }
    }
  }

  #onSignalClosed(signal: SignalClient, code: number): void {
    if (signal !== this.#signal) return;
    const s = this.#state.status;
    if (s !== 'connected' || code === 1000) return;
    this.#media.close();
    this.emit('remoteTracks', []);
    const giveUpAt = Date.now() + (this.#self?.graceSeconds ?? 30) * 1000;
    this.#scheduleReconnect(1, giveUpAt);
  }

  #scheduleReconnect(attempt: number, giveUpAt: number, now = false): void {
    const delay = now ? 0 : reconnectDelayMs(attempt);
    if (Date.now() + delay > giveUpAt) {
      this.#setState({
        status: 'disconnected',
        message: 'The connection to the meeting was lost.',
      });
      return;
    }
    this.#setState({ status: 'reconnecting', attempt, nextRetryAt: Date.now() + delay, giveUpAt });
    this.#retryTimer = setTimeout(() => {
      this.#connect(true).catch((err: unknown) => {
        if (err instanceof ConclaveError) {
          if (err.code === 'MEETING_ENDED') return this.#finish({ status: 'ended' });
          if (err.code === 'RESUME_EXPIRED' || err.code === 'REMOVED_FROM_MEETING') {
            // A fresh join gets a new seat, at once: the server answered, so it is reachable
            // (the meeting may have moved to another node that never knew this seat).
            const fresh = this.#self !== undefined;
            this.#self = undefined;
            return this.#scheduleReconnect(attempt + 1, giveUpAt, fresh);
          }
        }
        this.#scheduleReconnect(attempt + 1, giveUpAt);
      });
    }, delay);
  }

  /** After giving up: try again now (resume if the seat is still held, else a fresh join). */
  retry(): void {
    if (this.#state.status !== 'disconnected') return;
    this.#scheduleReconnect(1, Date.now() + (this.#self?.graceSeconds ?? 30) * 1000);
  }

  async setMicrophoneMuted(muted: boolean): Promise<void> {
    await this.#media.setMicrophoneMuted(muted);
  }

  /** Camera on (a live track) or off (null); the caller stops the old track. */
  async setCamera(track: MediaStreamTrack | null): Promise<void> {
    await this.#media.setCamera(track);
  }

  async replaceMicrophone(track: MediaStreamTrack | null): Promise<void> {
    await this.#media.replaceMicrophone(track);
  }

  get screenTrack(): MediaStreamTrack | null {
    return this.#media.screenTrack;
  }

  /** Shares a screen, window or tab (from getDisplayMedia); ends when the track ends. */
  async startScreenShare(track: MediaStreamTrack): Promise<void> {
    await this.#media.startScreenShare(track);
  }

  async stopScreenShare(): Promise<void> {
    await this.#media.stopScreenShare();
  }

  /** Host: let someone in from the waiting room. */
  async admit(id: ParticipantId): Promise<void> {
    await this.#requireSignal().request({ type: 'host.admit', participantId: id });
  }
  /** Host: let in a participant held by policy `hold` (this turns E2EE off, with a notice). */
  async admitHeld(id: ParticipantId): Promise<void> {
    this.e2ee.expectDowngradeFor(id);
    await this.#requireSignal().request({ type: 'e2ee.admitHeld', participantId: id });
  }

  async hostStopShare(id: ParticipantId): Promise<void> {
    await this.#requireSignal().request({ type: 'host.stopShare', participantId: id });
  }

  /** Host: show one person large for everyone, or end the spotlight (null). */
  async hostSpotlight(id: ParticipantId | null): Promise<void> {
    await this.#requireSignal().request({ type: 'host.spotlight', participantId: id });
  }

  async raiseHand(raised: boolean): Promise<void> {
    await this.#requireSignal().request({ type: 'hand.raise', raised });
  }

  async sendReaction(reaction: Reaction): Promise<void> {
    await this.#requireSignal().request({ type: 'reaction.send', reaction });
  }

  get breakouts(): BreakoutState {
    return this.#breakouts;
  }

  /** Host, under E2EE: the latest word on the plan's prepared rooms (null: no plan). */
  get breakoutPlan(): BreakoutPlanProgress | null {
    return this.#breakoutPlan;
  }

  /**
   * Host: the breakout rooms as planned now (before opening them). Under E2EE each planned
   * room's group is prepared ahead, so opening needs no key exchange; the plan's id, or null.
   */
  async prepareBreakouts(req: {
    rooms: { name: string }[];
    assignments?: Record<string, number>;
    manualOnly?: boolean;
  }): Promise<string | null> {
    const { planId } = await this.#requireSignal().request<{ planId: string | null }>({
      type: 'breakout.prepare',
      rooms: req.rooms,
      assignments: req.assignments ?? {},
      manualOnly: req.manualOnly ?? false,
    });
    return planId;
  }

  async openBreakouts(req: {
    rooms: { name: string }[];
    assignments?: Record<string, number>;
    manualOnly?: boolean;
    durationMinutes?: number | null;
  }): Promise<void> {
    await this.#requireSignal().request({
      type: 'breakout.open',
      rooms: req.rooms,
      assignments: req.assignments ?? {},
      manualOnly: req.manualOnly ?? false,
      durationMinutes: req.durationMinutes ?? null,
    });
  }
  async moveToBreakout(id: ParticipantId, roomIndex: number | null): Promise<void> {
    await this.#requireSignal().request({ type: 'breakout.move', participantId: id, roomIndex });
  }
  /** Host or co-host: visit a breakout room (index), or return to the main room (null). */
  async joinBreakout(roomIndex: number | null): Promise<void> {
    await this.#requireSignal().request({ type: 'breakout.join', roomIndex });
  }
  async broadcastToBreakouts(text: string): Promise<void> {
    await this.#requireSignal().request({ type: 'breakout.broadcast', text });
  }
  async closeBreakouts(countdownSeconds = 10): Promise<void> {
    await this.#requireSignal().request({ type: 'breakout.close', countdownSeconds });
  }
  async askForHelp(): Promise<void> {
    await this.#requireSignal().request({ type: 'breakout.help' });
  }

  async sendChat(text: string, to: ParticipantId | null): Promise<void> {
    await this.#chat.send(text, to);
  }

  async setChatMode(mode: ChatMode): Promise<void> {
    await this.#chat.setMode(mode);
  }

  /** Who records this meeting now (cloud and local), as the server last said. */
  get recording(): RecordingState | undefined {
    return this.#recording;
  }

  /** Host or co-host: start or stop the cloud recording. */
  async setCloudRecording(on: boolean): Promise<void> {
    await this.#requireSignal().request({ type: on ? 'recording.start' : 'recording.stop' });
  }
  /** Tells everyone this device started or stopped recording locally. */
  async setLocalRecording(recording: boolean): Promise<void> {
    await this.#requireSignal().request({ type: 'recording.local', recording });
  }
  /** Host: let participants record on their devices. */
  async allowLocalRecording(allowed: boolean): Promise<void> {
    await this.#requireSignal().request({ type: 'recording.allowLocal', allowed });
  }

  /** Turns live captions on (or changes their language). */
  async startCaptions(language: string): Promise<void> {
    await this.#requireSignal().request({ type: 'captions.start', language });
  }
  async stopCaptions(): Promise<void> {
    await this.#requireSignal().request({ type: 'captions.stop' });
  }
  /** Host: the meeting's transcript so far. */
  async captionsTranscript(): Promise<CaptionEntry[]> {
    const { entries } = await this.#requireSignal().request<{ entries: CaptionEntry[] }>({
      type: 'captions.transcript',
    });
    return entries;
  }

  hostMute(id: ParticipantId): Promise<unknown> {
    return this.#requireSignal().request({ type: 'host.mute', participantId: id });
  }
  hostRemove(id: ParticipantId): Promise<unknown> {
    return this.#requireSignal().request({ type: 'host.remove', participantId: id });
  }
  async endForAll(): Promise<void> {
    await this.#requireSignal().request({ type: 'host.end' });
  }

  async leave(): Promise<void> {
    const signal = this.#signal;
    if (signal && !signal.closed && this.#state.status === 'connected') {
      await signal.request({ type: 'leave' }).catch(() => undefined);
    }
    this.#finish({ status: 'left' });
  }

  #requireSignal(): SignalClient {
    if (!this.#signal || this.#signal.closed) throw new InvalidStateError('Not connected.');
    return this.#signal;
  }

  #finish(state: ConnectionState): void {
    clearTimeout(this.#retryTimer);
    this.#media.close();
    const signal = this.#signal;
    this.#signal = undefined;
    signal?.close();
    this.e2ee.close();
    this.#setState(state);
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    this.emit('state', state);
  }
}
