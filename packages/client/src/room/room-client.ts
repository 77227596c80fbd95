import { ConclaveError, MAX_CHAT_TEXT, PROTOCOL_VERSION } from '@conclave/protocol';
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
import { Publisher } from '../media/publisher';
import type { RemoteTrack } from '../media/subscriber';
import { Subscriber } from '../media/subscriber';
import { TileSizeReporter } from '../media/tile-sizes';
import { SignalClient } from '../signal/signal-client';
import { TypedEmitter } from '../typed-emitter';
import { WhiteboardClient } from '../whiteboard/whiteboard-client';
import { syncBoardWithE2ee } from '../whiteboard/board-e2ee';
import type { ConnectionState } from './connection-state';
import { reconnectDelayMs } from './connection-state';

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
  /** This participant was moved to a breakout room (its name) or back to the main room (null). */
  breakoutMoved: [string | null];
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

/**
 * A participant's whole view of a meeting: signaling with reconnect, the participant list, and
 * the publish/subscribe PeerConnections. Framework-free; the web app and Node bots use it.
 */
export class RoomClient extends TypedEmitter<RoomClientEvents> {
  readonly #opts: RoomClientOptions;
  #signal: SignalClient | undefined;
  #publisher: Publisher | undefined;
  #subscriber: Subscriber | undefined;
  #tileSizes: TileSizeReporter | undefined;
  #participants = new Map<ParticipantId, Participant>();
  #state: ConnectionState = { status: 'idle' };
  #recording: RecordingState | undefined;
  #self: { id: ParticipantId; role: Role; resumeToken: string; graceSeconds: number } | undefined;
  #local: LocalTracks = {};
  #audioMuted = false;
  #videoMuted = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #joinedOnce = false;
  readonly #capabilities: Capabilities;
  readonly e2ee: E2eeManager;
  readonly whiteboard = new WhiteboardClient();
  #held = false;
  #chatMode: ChatMode = 'everyone';
  #chatMessages: ChatMessage[] = [];
  #screen: MediaStreamTrack | null = null;
  #breakouts: BreakoutState = {
    status: 'none',
    rooms: [],
    assignments: {},
    endsAt: null,
    closingAt: null,
  };

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
    return this.#subscriber?.tracks ?? [];
  }
  /** For diagnostics and tests: the live PeerConnections. */
  get peerConnections(): { publish?: RTCPeerConnection; subscribe?: RTCPeerConnection } {
    return {
      publish: this.#publisher?.peerConnection,
      subscribe: this.#subscriber?.peerConnection,
    };
  }
  /** For tests of bad input: the raw signaling connection. */
  get signal(): SignalClient | undefined {
    return this.#signal;
  }

  /** Local devices to publish; call before join() (null = no such device or denied). */
  /**
   * How big a remote video is drawn (CSS pixels x devicePixelRatio), or null when its tile is
   * hidden or gone: the SFU then sends the smallest layer that looks sharp at that size, or
   * nothing. Call on every resize/visibility change (reports are batched); local tracks are
   * ignored.
   */
  reportTileSize(track: MediaStreamTrack, size: { width: number; height: number } | null): void {
    this.#tileSizes?.report(track, size);
  }

  setLocalTracks(tracks: LocalTracks, muted: { audio: boolean; video: boolean }): void {
    this.#local = tracks;
    this.#audioMuted = muted.audio;
    this.#videoMuted = muted.video;
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
    this.#chatMode = result.chat.mode;
    // Sealed messages exist only on the devices that were there: a reconnect keeps them.
    this.#chatMessages = [...result.chat.history, ...this.#chatMessages.filter((m) => m.e2ee)].sort(
      (a, b) => a.sentAt - b.sentAt,
    );
    this.emit('chat', { mode: this.#chatMode, messages: this.#chatMessages });
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
      this.#opts.media !== false ? this.#startMedia(signal) : undefined,
    ]);
    return result;
  }

  async #startMedia(signal: SignalClient): Promise<void> {
    this.#publisher?.close();
    this.#subscriber?.close();
    const PC = this.#opts.RTCPeerConnection ?? globalThis.RTCPeerConnection;
    const config: RTCConfiguration = {
      ...(this.#opts.rtcConfig ?? { iceServers: [] }),
      // The legacy encoded-streams API must be switched on when the PeerConnection is made.
      ...(this.#capabilities.encodedTransform === 'encoded-streams'
        ? { encodedInsertableStreams: true }
        : {}),
    };
    this.#makeSubscriber(signal, () => new PC(config));
    this.emit('remoteTracks', []);
    this.#publisher = new Publisher(
      signal,
      new PC(config),
      (s, kind) => this.e2ee.attachSender(s, kind),
      { simulcast: this.#opts.simulcast ?? true },
    );
    const publisher = this.#publisher;
    await signal.request({
      type: 'media.state',
      audioMuted: this.#audioMuted,
      videoMuted: this.#videoMuted,
      screenSharing: this.#screen !== null,
    });
    await Promise.all([
      // Offers come only after this: none can arrive before the Subscriber exists.
      signal.request({ type: 'subscribe.restart' }),
      publisher
        .publish(this.#local)
        .then(() => (this.#screen ? publisher.startScreen(this.#screen) : undefined))
        .catch((err: unknown) => {
          this.emit(
            'notice',
            err instanceof ConclaveError ? err.message : 'Sending your audio and video failed.',
          );
        }),
    ]);
  }

  /**
   * The subscribe PeerConnection, with a watchdog: if it fails, or stays unconnected for 5 s
   * after an offer, it is replaced and the server makes a new transport (subscribe.reset).
   */
  #makeSubscriber(signal: SignalClient, makePc: () => RTCPeerConnection): void {
    const pc = makePc();
    const subscriber = new Subscriber(signal, pc, (r, kind) => this.e2ee.attachReceiver(r, kind));
    this.#subscriber = subscriber;
    this.#tileSizes?.close();
    const tileSizes = new TileSizeReporter({
      send: (tiles) => signal.request({ type: 'media.tileSizes', tiles }),
      midOf: (track) => subscriber.tracks.find((t) => t.track === track)?.mid,
    });
    this.#tileSizes = tileSizes;
    subscriber.on('tracks', (t) => {
      tileSizes.remapped();
      this.emit('remoteTracks', t);
    });
    subscriber.on('error', () => this.emit('notice', 'Receiving media failed; retrying.'));
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      clearTimeout(watchdog);
      if (
        this.#subscriber !== subscriber ||
        pc.connectionState === 'connected' ||
        pc.connectionState === 'closed'
      )
        return;
      const reset = () => {
        if (this.#subscriber !== subscriber || signal.closed) return;
        subscriber.close();
        this.#makeSubscriber(signal, makePc);
        this.emit('remoteTracks', []);
        signal.request({ type: 'subscribe.reset' }).catch(() => undefined);
      };
      if (pc.connectionState === 'failed') reset();
      else if (pc.signalingState === 'stable' && pc.remoteDescription)
        watchdog = setTimeout(reset, 5000);
    };
    pc.addEventListener('connectionstatechange', check);
    pc.addEventListener('signalingstatechange', check);
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
        this.#subscriber?.handleOffer(ev.sdp, ev.tracks, ev.offerId);
        return;
      case 'muted.by.host':
        this.#audioMuted = true;
        if (this.#local.microphone) this.#local.microphone.enabled = false;
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
        this.e2ee.participantsChanged();
        return;
      case 'breakout.moved':
        // Under E2EE each room is its own MLS group: leave this one's keys first (issue 18).
        this.e2ee.roomChanged();
        // New transports wait on the room's router: rebuild the PeerConnections.
        if (this.#signal && this.#opts.media !== false) {
          void this.#startMedia(this.#signal).catch(() =>
            this.emit('notice', 'Moving rooms failed; reconnecting media.'),
          );
        }
        this.emit('breakoutMoved', ev.roomName);
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
      case 'share.stopped':
        this.emit('notice', 'The host stopped your screen share.');
        void this.stopScreenShare();
        return;
      case 'chat.message':
        this.#chatMessages = [...this.#chatMessages, ev.message];
        this.emit('chat', { mode: this.#chatMode, messages: this.#chatMessages });
        return;
      case 'chat.sealed':
        void this.e2ee.openChat(ev.message).then((m) => this.#onSealedChat(m));
        return;
      case 'chat.mode':
        this.#chatMode = ev.mode;
        this.emit('chat', { mode: this.#chatMode, messages: this.#chatMessages });
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
    this.#publisher?.close();
    this.#subscriber?.close();
    this.#publisher = undefined;
    this.#subscriber = undefined;
    this.#tileSizes?.close();
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
    this.#audioMuted = muted;
    if (this.#local.microphone) this.#local.microphone.enabled = !muted;
    await this.#sendMediaState();
  }

  /** Camera on (a live track) or off (null); the caller stops the old track. */
  async setCamera(track: MediaStreamTrack | null): Promise<void> {
    this.#local.camera = track;
    this.#videoMuted = track === null;
    await this.#publisher?.replaceTrack('camera', track);
    await this.#sendMediaState();
  }

  async replaceMicrophone(track: MediaStreamTrack | null): Promise<void> {
    this.#local.microphone = track;
    if (track) track.enabled = !this.#audioMuted;
    await this.#publisher?.replaceTrack('microphone', track);
  }

  async #sendMediaState(): Promise<void> {
    if (this.#state.status !== 'connected') return;
    await this.#signal?.request({
      type: 'media.state',
      audioMuted: this.#audioMuted,
      videoMuted: this.#videoMuted,
      screenSharing: this.#screen !== null,
    });
  }

  get screenTrack(): MediaStreamTrack | null {
    return this.#screen;
  }

  /** Shares a screen, window or tab (from getDisplayMedia); ends when the track ends. */
  async startScreenShare(track: MediaStreamTrack): Promise<void> {
    if (!this.#publisher) throw new InvalidStateError('Not connected.');
    this.#screen = track;
    track.addEventListener('ended', () => void this.stopScreenShare(), { once: true });
    this.emit('screenShare', track);
    try {
      await this.#publisher.startScreen(track);
      await this.#sendMediaState();
    } catch (err) {
      await this.stopScreenShare();
      throw err;
    }
  }

  async stopScreenShare(): Promise<void> {
    const track = this.#screen;
    if (!track) return;
    this.#screen = null;
    track.stop();
    this.emit('screenShare', null);
    await this.#publisher?.stopScreen().catch(() => undefined);
    await this.#sendMediaState().catch(() => undefined);
  }

  /** Host: let in a participant held by policy `hold` (this turns E2EE off, with a notice). */
  /** Host: let someone in from the waiting room. */
  async admit(id: ParticipantId): Promise<void> {
    await this.#requireSignal().request({ type: 'host.admit', participantId: id });
  }
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
    const signal = this.#requireSignal();
    if (this.e2ee.view.meeting.status === 'off') {
      await signal.request({ type: 'chat.send', text, to });
      return;
    }
    // E2EE: sealed on this device; the server relays what it cannot read (issue 18).
    const clean = text.trim();
    if (!clean || clean.length > MAX_CHAT_TEXT)
      throw new ConclaveError('BAD_REQUEST', `Messages are 1 to ${MAX_CHAT_TEXT} characters.`);
    const sealed = await this.e2ee.sealChat(clean, to);
    const { messageId } = await signal.request<{ messageId: string }>({
      type: 'chat.sendSealed',
      sealed,
      to,
    });
    this.#addChat({
      id: messageId,
      from: this.#self!.id,
      fromName: this.#opts.displayName,
      to,
      text: clean,
      sentAt: Date.now(),
      e2ee: true,
    });
  }

  /** A relayed sealed message: shown only if it opens, and if its sender may write now. */
  #onSealedChat(m: ChatMessage | undefined): void {
    if (!m) {
      this.emit(
        'notice',
        'A chat message could not be opened on this device: it was not sealed for it, or the keys changed while it was on its way.',
      );
      return;
    }
    const host = this.#participants.get(m.from)?.role === 'host';
    const toHost = m.to !== null && this.#self?.role === 'host';
    if (!host && (this.#chatMode === 'off' || (this.#chatMode === 'host-only' && !toHost))) return;
    this.#addChat(m);
  }

  #addChat(m: ChatMessage): void {
    this.#chatMessages = [...this.#chatMessages, m];
    this.emit('chat', { mode: this.#chatMode, messages: this.#chatMessages });
  }

  async setChatMode(mode: ChatMode): Promise<void> {
    await this.#requireSignal().request({ type: 'chat.setMode', mode });
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
    this.#publisher?.close();
    this.#subscriber?.close();
    this.#publisher = undefined;
    this.#subscriber = undefined;
    this.#tileSizes?.close();
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
