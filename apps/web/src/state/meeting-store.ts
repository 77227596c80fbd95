import { RoomClient } from '@conclave/client';
import type {
  BreakoutPlanProgress,
  ConnectionState,
  E2eeView,
  RemoteTrack,
} from '@conclave/client';
import type {
  BreakoutState,
  CaptionEntry,
  CaptionsState,
  ChatMessage,
  ChatMode,
  MeetingId,
  Participant,
  ParticipantId,
  Reaction,
  RecordingState,
  Role,
} from '@conclave/protocol';
import { signalingUrl } from '../app/api';
import { transcriptText } from './transcript';
import { screenShareErrorText } from './screen-share-errors';
import { addToast, addToHistory, classifyNotice, TOAST_MS, TOAST_RESUME_MS } from './notices';
import type { Notice, NoticeTone } from './notices';

export interface MeetingSnapshot {
  connection: ConnectionState;
  participants: Participant[];
  remoteTracks: readonly RemoteTrack[];
  selfId: ParticipantId | undefined;
  role: Role | undefined;
  /** Toasts on screen, one per subject, newest last; they dismiss themselves (notices.ts). */
  toasts: Notice[];
  /** Every notice of this meeting, newest first: the notifications panel. */
  history: Notice[];
  /** History entries not yet seen in the notifications panel. */
  unseenNotices: number;
  /** Increments each time the host mutes this participant; the UI turns the microphone off. */
  mutedByHost: number;
  e2ee: E2eeView | undefined;
  /** Held out of an end-to-end encrypted meeting (unsupported client, policy hold/downgrade). */
  held: boolean;
  /** The host may turn E2EE back on: the unsupported participant left. */
  reenableOffer: string | undefined;
  chat: { mode: ChatMode; messages: ChatMessage[]; unread: number };
  /** This participant's own screen share, while sharing. */
  screen: MediaStreamTrack | null;
  breakouts: BreakoutState;
  /** Host, under E2EE: how many planned breakout rooms have their encrypted group ready. */
  breakoutPlan: BreakoutPlanProgress | null;
  captions: {
    state: CaptionsState | undefined;
    /** The latest caption per speaker, shown under their tile for a few seconds. */
    live: Record<string, CaptionEntry>;
  };
  /** Who records (cloud or on their device); drives the indicator and the join notice. */
  recording: RecordingState | undefined;
  /** Reactions shown over the sender's tile for a few seconds (issue 17). */
  reactions: { id: number; participantId: ParticipantId; reaction: Reaction }[];
  /** Host: the transcript fetched when they ended the meeting, for the download on the ended screen. */
  finalTranscript: CaptionEntry[] | undefined;
}

/** How long a reaction stays over a tile. */
const REACTION_VISIBLE_MS = 4_000;
/** How long a caption stays under a tile. */
const CAPTION_VISIBLE_MS = 10_000;

export interface JoinOptions {
  meetingId: MeetingId;
  displayName: string;
  passcode?: string;
  hostKey?: string;
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  micOn: boolean;
}

/**
 * The one module that owns meeting state in the web app: it wraps a RoomClient and publishes
 * immutable snapshots for React (useSyncExternalStore). User intents are its named actions.
 */
export class MeetingStore {
  #room: RoomClient | undefined;
  #listeners = new Set<() => void>();
  #noticeId = 0;
  #snapshot: MeetingSnapshot = {
    connection: { status: 'idle' },
    participants: [],
    remoteTracks: [],
    selfId: undefined,
    role: undefined,
    toasts: [],
    history: [],
    unseenNotices: 0,
    mutedByHost: 0,
    e2ee: undefined,
    held: false,
    reenableOffer: undefined,
    chat: { mode: 'everyone', messages: [], unread: 0 },
    screen: null,
    breakouts: { status: 'none', rooms: [], assignments: {}, endsAt: null, closingAt: null },
    breakoutPlan: null,
    captions: { state: undefined, live: {} },
    recording: undefined,
    reactions: [],
    finalTranscript: undefined,
  };
  /** The chat panel is open: new messages are read as they come. */
  #chatOpen = false;
  #historyOpen = false;
  #toastTimers = new Map<number, ReturnType<typeof setTimeout>>();
  #toastsHeld = false;

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): MeetingSnapshot => this.#snapshot;

  get room(): RoomClient | undefined {
    return this.#room;
  }

  #update(patch: Partial<MeetingSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...patch };
    for (const l of this.#listeners) l();
  }

  /** Raises a notice: a toast (replacing the one on the same subject) and a history entry. */
  notify(
    text: string,
    tone: NoticeTone = 'info',
    joinRoom?: { index: number; name: string },
  ): void {
    const notice: Notice = {
      id: ++this.#noticeId,
      ...classifyNotice(text),
      tone,
      text,
      at: Date.now(),
      ...(joinRoom ? { joinRoom } : {}),
    };
    const s = this.#snapshot;
    this.#update({
      toasts: addToast(s.toasts, notice),
      history: addToHistory(s.history, notice),
      unseenNotices: this.#historyOpen ? 0 : s.unseenNotices + 1,
    });
    if (!this.#toastsHeld) this.#scheduleDismiss(notice.id, TOAST_MS[tone]);
  }

  #scheduleDismiss(id: number, ms: number): void {
    clearTimeout(this.#toastTimers.get(id));
    this.#toastTimers.set(
      id,
      setTimeout(() => this.dismissToast(id), ms),
    );
  }

  dismissToast(id: number): void {
    clearTimeout(this.#toastTimers.get(id));
    this.#toastTimers.delete(id);
    if (!this.#snapshot.toasts.some((t) => t.id === id)) return;
    this.#update({ toasts: this.#snapshot.toasts.filter((t) => t.id !== id) });
  }

  /**
   * The pointer or the keyboard focus is on the toasts: they stay while someone reads them
   * (WCAG 2.2.1), and go a few seconds after they leave.
   */
  holdToasts(held: boolean): void {
    this.#toastsHeld = held;
    for (const t of this.#snapshot.toasts) {
      if (held) clearTimeout(this.#toastTimers.get(t.id));
      else this.#scheduleDismiss(t.id, TOAST_RESUME_MS);
    }
  }

  /** The notifications panel is open: its entries count as seen. */
  setHistoryOpen(open: boolean): void {
    this.#historyOpen = open;
    if (open && this.#snapshot.unseenNotices > 0) this.#update({ unseenNotices: 0 });
  }

  /** Asks the browser for a screen, window or tab and shares it. */
  async startScreenShare(): Promise<void> {
    const room = this.#room;
    if (!room) return;
    let stream: MediaStream;
    try {
      // Screens change slowly: a low frame rate keeps encoding cheap and text sharp.
      stream = await navigator.mediaDevices.getDisplayMedia({
        video: { frameRate: { ideal: 5, max: 15 }, width: { max: 1920 } },
        audio: false,
      });
    } catch (err) {
      this.notify(screenShareErrorText(err));
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (track) await room.startScreenShare(track);
  }

  setChatOpen(open: boolean): void {
    this.#chatOpen = open;
    if (open) this.#update({ chat: { ...this.#snapshot.chat, unread: 0 } });
  }

  clearReenableOffer(): void {
    this.#update({ reenableOffer: undefined });
  }

  async startCaptions(language: string): Promise<void> {
    await this.#room?.startCaptions(language);
  }

  async stopCaptions(): Promise<void> {
    await this.#room?.stopCaptions();
  }

  /** Host: saves the meeting's transcript as a text file. */
  async downloadTranscript(meetingId: MeetingId): Promise<void> {
    const entries = this.#snapshot.finalTranscript ?? (await this.#room?.captionsTranscript());
    if (!entries || entries.length === 0) {
      this.notify('There is no transcript yet: nothing has been captioned.');
      return;
    }
    saveTextFile(`conclave-transcript-${meetingId}.txt`, transcriptText(meetingId, entries));
  }

  /** Host: ends the meeting, keeping the transcript for the ended screen's download. */
  async endForAll(): Promise<void> {
    const room = this.#room;
    if (!room) return;
    if (this.#snapshot.captions.state?.on || this.#snapshot.finalTranscript === undefined) {
      const entries = await room.captionsTranscript().catch(() => []);
      if (entries.length > 0) this.#update({ finalTranscript: entries });
    }
    await room.endForAll();
  }

  async join(opts: JoinOptions): Promise<void> {
    const room = new RoomClient({
      createE2eeWorker: () =>
        new Worker(new URL('../e2ee.worker.ts', import.meta.url), {
          type: 'module',
          name: 'conclave-e2ee',
        }),
      signalingUrl: signalingUrl(),
      meetingId: opts.meetingId,
      displayName: opts.displayName,
      ...(opts.passcode ? { passcode: opts.passcode } : {}),
      ...(opts.hostKey ? { hostKey: opts.hostKey } : {}),
    });
    if (opts.microphone) opts.microphone.enabled = opts.micOn;
    room.setLocalTracks(
      { microphone: opts.microphone, camera: opts.camera },
      { audio: !opts.micOn || !opts.microphone, video: !opts.camera },
    );
    room.on('state', (connection) =>
      this.#update({ connection, selfId: room.selfId, role: room.role }),
    );
    room.on('participants', (participants) => {
      const before = new Set(this.#snapshot.participants.filter((p) => p.waiting).map((p) => p.id));
      const handsBefore = new Set(
        this.#snapshot.participants.filter((p) => p.handRaised).map((p) => p.id),
      );
      this.#update({ participants, selfId: room.selfId, role: room.role });
      if (room.role !== 'host') return;
      for (const p of participants)
        if (p.handRaised && !handsBefore.has(p.id) && p.id !== room.selfId)
          this.notify(`${p.displayName} raised their hand.`);
      for (const p of participants)
        if (p.waiting && !before.has(p.id))
          this.notify(`${p.displayName} is in the waiting room. Let them in from Participants.`);
    });
    room.on('remoteTracks', (remoteTracks) => this.#update({ remoteTracks }));
    room.on('reaction', ({ participantId, reaction }) => {
      const id = ++this.#noticeId;
      this.#update({
        reactions: [...this.#snapshot.reactions.slice(-19), { id, participantId, reaction }],
      });
      setTimeout(
        () => this.#update({ reactions: this.#snapshot.reactions.filter((r) => r.id !== id) }),
        REACTION_VISIBLE_MS,
      );
    });
    room.on('mutedByHost', () => {
      this.#update({ mutedByHost: this.#snapshot.mutedByHost + 1 });
      this.notify('The host muted your microphone.');
    });
    room.on('notice', (text) => this.notify(text));
    room.on('e2ee', (e2ee) => this.#update({ e2ee }));
    room.on('banner', (b) => this.notify(b.text, b.tone));
    room.on('held', (held) => {
      const released = this.#snapshot.held && !held;
      this.#update({ held });
      if (released)
        this.notify(
          'End-to-end encryption was turned off so you could join. This meeting is now encrypted in transit only.',
          'warning',
        );
    });
    room.on('reenableOffered', (name) => this.#update({ reenableOffer: name }));
    room.on('screenShare', (screen) => this.#update({ screen }));
    room.on('breakouts', (breakouts) => this.#update({ breakouts }));
    room.on('breakoutPlan', (breakoutPlan) => this.#update({ breakoutPlan }));
    const banner = (tone: NoticeTone, text: string, joinRoom?: { index: number; name: string }) =>
      this.notify(text, tone, joinRoom);
    room.on('breakoutMoved', (name) => {
      // Captions of the room just left are not shown in the next one.
      this.#update({ captions: { ...this.#snapshot.captions, live: {} } });
      banner(
        'info',
        name ? `You are now in breakout room ${name}.` : 'You are back in the main room.',
      );
    });
    room.on('breakoutMessage', ({ text, fromName }) =>
      banner('info', `Message from ${fromName} to all rooms: ${text}`),
    );
    room.on('helpRequested', ({ displayName, roomName, roomIndex }) =>
      banner('warning', `${displayName} asks for help in ${roomName}.`, {
        index: roomIndex,
        name: roomName,
      }),
    );
    room.on('chat', ({ mode, messages }) => {
      const before = this.#snapshot.chat;
      const fresh = messages
        .slice(before.messages.length)
        .filter((m) => m.from !== room.selfId).length;
      this.#update({
        chat: { mode, messages, unread: this.#chatOpen ? 0 : before.unread + Math.max(0, fresh) },
      });
    });
    room.on('captions', ({ state, notice }) => {
      const was = this.#snapshot.captions.state;
      this.#update({ captions: { state, live: state.on ? this.#snapshot.captions.live : {} } });
      if (notice) banner('warning', notice);
      else if (state.on && !was?.on && state.startedBy)
        banner(
          'info',
          `${state.startedBy.name} turned on live captions. The server transcribes what is said.`,
        );
      else if (!state.on && was?.on) banner('info', 'Live captions are off.');
    });
    room.on('recording', ({ state, notice }) => {
      const was = this.#snapshot.recording?.cloud;
      this.#update({ recording: state });
      if (notice) banner('warning', notice);
      else if (was && state.cloud.on && !was.on && state.cloud.startedBy)
        banner('info', `${state.cloud.startedBy.name} started recording the meeting.`);
      else if (was?.on && !state.cloud.on) banner('info', 'Cloud recording stopped.');
    });
    room.on('captionText', (entry) => {
      this.#update({
        captions: {
          ...this.#snapshot.captions,
          live: { ...this.#snapshot.captions.live, [entry.participantId]: entry },
        },
      });
      setTimeout(() => {
        const live = this.#snapshot.captions.live;
        if (live[entry.participantId]?.id !== entry.id) return;
        const { [entry.participantId]: _gone, ...rest } = live;
        this.#update({ captions: { ...this.#snapshot.captions, live: rest } });
      }, CAPTION_VISIBLE_MS);
    });
    room.onError = (err) => console.error(err);
    this.#room = room;
    // Closing the tab is leaving: the others rekey at once instead of after the reconnect grace.
    window.addEventListener('pagehide', () => void room.leave(), { once: true });
    // Diagnostics for support and tests: read-only access to the live connections.
    (window as unknown as { conclave?: unknown }).conclave = { room };
    await room.join();
  }

  async leave(): Promise<void> {
    await this.#room?.leave();
  }
}

function saveTextFile(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
